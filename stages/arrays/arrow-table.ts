// A thin reader of the pipeline's Arrow IPC tables (stages/README.md: "Tables are Apache Arrow IPC
// files"), turning columns into the plain arrays the binned-dataset core works with: numbers as
// Float64Array with null as NaN (the core's convention, stages/binned/core/presentation-table.ts),
// text and booleans as arrays with null.
//
// The tables these stages read are small (≤ ~3,000 units, ≤ ~100k presentations, behaviour
// series of a few million samples), so a file is read whole. Imports apache-arrow: load this
// module only from a stage's run(), never from a descriptor.

import { readFileSync } from 'node:fs';
import { tableFromIPC, Type, type Table } from 'apache-arrow';
import { StageError } from '../../engine/builtin/types.js';

export interface ArrowTable {
  /** The file, for messages. */
  readonly file: string;
  readonly table: Table;
  readonly rows: number;
}

const REPAIR = 're-run the stage that wrote this table';

export function readArrowTable(file: string): ArrowTable {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new StageError(`${file}: cannot read the table (${(e as Error).message})`, REPAIR);
  }
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new StageError(`${file}: not an Arrow IPC table (${(e as Error).message})`, REPAIR);
  }
  return { file, table, rows: table.numRows };
}

export function hasColumn(t: ArrowTable, name: string): boolean {
  return t.table.schema.fields.some((f) => f.name === name);
}

export function columnNames(t: ArrowTable): string[] {
  return t.table.schema.fields.map((f) => f.name);
}

function column(t: ArrowTable, name: string) {
  const v = t.table.getChild(name);
  if (v === null) throw new StageError(`${t.file}: column '${name}' is missing`, REPAIR);
  return v;
}

/**
 * A numeric column (any int or float width) as float64, null → NaN. int64 values must be exact
 * in float64 (|x| ≤ 2^53): the ids of the Allen files are, and anything else would be rounded.
 */
export function numberColumn(t: ArrowTable, name: string): Float64Array {
  const v = column(t, name);
  const typeId = v.type.typeId as Type;
  // A column of nulls only may be written with Arrow's null type (pyarrow infers it so).
  if (typeId === Type.Null) return new Float64Array(t.rows).fill(NaN);
  if (typeId !== Type.Int && typeId !== Type.Float) {
    throw new StageError(`${t.file}: column '${name}' is ${String(v.type)}, expected a number`, REPAIR);
  }
  const out = new Float64Array(t.rows);
  let k = 0;
  for (const chunk of v.data) {
    const values = chunk.values as ArrayLike<number | bigint>;
    const checkNulls = chunk.nullCount > 0;
    for (let i = 0; i < chunk.length; i++, k++) {
      if (checkNulls && !chunk.getValid(i)) {
        out[k] = NaN;
        continue;
      }
      const x = values[i]!;
      if (typeof x === 'bigint') {
        const n = Number(x);
        if (!Number.isSafeInteger(n)) throw new StageError(`${t.file}: column '${name}' row ${k}: ${x} is not exact as a float64`, REPAIR);
        out[k] = n;
      } else out[k] = x;
    }
  }
  return out;
}

/** A numeric column that may not hold nulls (ids, positions). */
export function requiredNumberColumn(t: ArrowTable, name: string): Float64Array {
  const out = numberColumn(t, name);
  const i = out.findIndex((x) => Number.isNaN(x));
  if (i >= 0) throw new StageError(`${t.file}: column '${name}' is null in row ${i}`, REPAIR);
  return out;
}

/** A text column (plain or dictionary-encoded), null kept. */
export function stringColumn(t: ArrowTable, name: string): (string | null)[] {
  const v = column(t, name);
  const typeId = v.type.typeId as Type;
  const dictionaryOfText = typeId === Type.Dictionary && (v.type as { dictionary: { typeId: Type } }).dictionary.typeId === Type.Utf8;
  if (typeId !== Type.Utf8 && typeId !== Type.LargeUtf8 && !dictionaryOfText) {
    throw new StageError(`${t.file}: column '${name}' is ${String(v.type)}, expected text`, REPAIR);
  }
  const out = new Array<string | null>(t.rows);
  for (let i = 0; i < t.rows; i++) out[i] = (v.get(i) as string | null) ?? null;
  return out;
}

/** A boolean column, null kept. */
export function boolColumn(t: ArrowTable, name: string): (boolean | null)[] {
  const v = column(t, name);
  if ((v.type.typeId as Type) !== Type.Bool) {
    throw new StageError(`${t.file}: column '${name}' is ${String(v.type)}, expected bool`, REPAIR);
  }
  const out = new Array<boolean | null>(t.rows);
  for (let i = 0; i < t.rows; i++) out[i] = (v.get(i) as boolean | null) ?? null;
  return out;
}
