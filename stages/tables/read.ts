// Reading an Arrow IPC table back into plain typed arrays.
//
// Arrow JS quirks handled here so that callers do not meet them: int64 columns arrive as
// BigInt64Array; a column may be split over several record batches (chunks); a chunk's values
// are already sliced to the chunk while its validity bitmap is not (bit `offset + i`); the value
// under a null slot is unspecified. The table files are written by other stages, so a missing
// column or a column of another type is the user's to fix (a stale or foreign file): StageError.

import { readFile } from 'node:fs/promises';
import { DataType, Precision, tableFromIPC, type Data, type Table, type Vector } from 'apache-arrow';
import { StageError } from '../../engine/builtin/types.js';
import type { ColumnType } from './columns.js';

const FIX_STALE =
  'the file was not written by this version of pipe (or was changed by hand); delete it and re-run the stage that writes it';

function typeOf(type: DataType): ColumnType | 'other' {
  if (DataType.isInt(type) && type.isSigned && type.bitWidth === 64) return 'int64';
  if (DataType.isInt(type) && type.isSigned && type.bitWidth === 32) return 'int32';
  if (DataType.isFloat(type) && type.precision === Precision.DOUBLE) return 'float64';
  if (DataType.isUtf8(type)) return 'utf8';
  if (DataType.isBool(type)) return 'bool';
  return 'other';
}

const DECODER = new TextDecoder();

function isAscii(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

function isPresent(d: Data, i: number): boolean {
  if (d.nullCount === 0 || !d.nullBitmap || d.nullBitmap.length === 0) return true;
  const bit = d.offset + i;
  return (d.nullBitmap[bit >> 3]! & (1 << (bit & 7))) !== 0;
}

/** A table read from an IPC file (or stream) with typed, null-aware column accessors. */
export class TableFile {
  readonly rows: number;
  /** Column names in file order. */
  readonly names: readonly string[];
  private readonly types: ReadonlyMap<string, ColumnType | 'other'>;

  private constructor(
    readonly file: string,
    private readonly table: Table,
  ) {
    this.rows = table.numRows;
    this.names = table.schema.fields.map((f) => f.name);
    this.types = new Map(table.schema.fields.map((f) => [f.name, typeOf(f.type as DataType)]));
  }

  /** Reads the whole file; StageError if it is missing or not an Arrow IPC table. */
  static async read(file: string): Promise<TableFile> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new StageError(`${file}: cannot read the table (${code ?? String(e)})`, 'check that the stage that writes it has run');
    }
    let table: Table;
    try {
      table = tableFromIPC(bytes);
    } catch (e) {
      throw new StageError(`${file}: not an Arrow IPC table (${(e as Error).message})`, FIX_STALE);
    }
    return new TableFile(file, table);
  }

  has(name: string): boolean {
    return this.types.has(name);
  }

  /** The column's type, or undefined when there is no such column. */
  type(name: string): ColumnType | 'other' | undefined {
    return this.types.get(name);
  }

  /** 1 where the row is present, 0 where null; undefined when the column has no null. */
  validity(name: string): Uint8Array | undefined {
    const type = this.type(name);
    if (type === undefined) this.missing(name);
    const vector = this.vector(name, type);
    if (vector.nullCount === 0) return undefined;
    const out = new Uint8Array(this.rows);
    this.eachChunk(vector, (d, at) => {
      for (let i = 0; i < d.length; i++) out[at + i] = isPresent(d, i) ? 1 : 0;
    });
    return out;
  }

  /**
   * An int64, int32 or float64 column as float64, NaN where null. int64 values must be exact
   * in float64 (|x| <= 2^53), which every id of the Allen files is.
   */
  numbers(name: string): Float64Array {
    const type = this.type(name);
    if (type === undefined) this.missing(name);
    if (type !== 'int64' && type !== 'int32' && type !== 'float64') this.wrongType(name, 'a numeric type');
    const out = new Float64Array(this.rows);
    this.eachChunk(this.vector(name, type), (d, at) => {
      const values = d.values as Float64Array | Int32Array | BigInt64Array;
      for (let i = 0; i < d.length; i++) {
        if (!isPresent(d, i)) {
          out[at + i] = NaN;
          continue;
        }
        const x = values[i]!;
        if (typeof x === 'bigint') {
          if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < -BigInt(Number.MAX_SAFE_INTEGER)) {
            throw new StageError(`${this.file}: column '${name}' row ${at + i} holds ${x}, beyond the exact range of float64`, FIX_STALE);
          }
          out[at + i] = Number(x);
        } else {
          out[at + i] = x;
        }
      }
    });
    return out;
  }

  /** An int64 column as BigInt64Array (0 where null; see validity()). */
  bigints(name: string): BigInt64Array {
    const out = new BigInt64Array(this.rows);
    this.eachChunk(this.vector(name, 'int64'), (d, at) => {
      const values = d.values as BigInt64Array;
      for (let i = 0; i < d.length; i++) if (isPresent(d, i)) out[at + i] = values[i]!;
    });
    return out;
  }

  /** An int32 column (0 where null; see validity()). */
  int32s(name: string): Int32Array {
    const out = new Int32Array(this.rows);
    this.eachChunk(this.vector(name, 'int32'), (d, at) => {
      const values = d.values as Int32Array;
      for (let i = 0; i < d.length; i++) if (isPresent(d, i)) out[at + i] = values[i]!;
    });
    return out;
  }

  /** A utf8 column, null where null. */
  strings(name: string): (string | null)[] {
    const out: (string | null)[] = new Array<string | null>(this.rows);
    this.eachChunk(this.vector(name, 'utf8'), (d, at) => {
      const offsets = d.valueOffsets as Int32Array;
      const bytes = d.values as Uint8Array;
      // Presentation tables hold ~400k short text cells per session. Decoding an all-ASCII
      // buffer once and slicing it is ~10× faster than one TextDecoder call per cell, and
      // ASCII is what these files hold; anything else takes the per-cell path.
      // (latin1 maps byte k to char k, so byte offsets are char offsets.)
      const from = offsets[0]!;
      const to = offsets[d.length]!;
      const text = isAscii(bytes, from, to) ? Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1') : undefined;
      for (let i = 0; i < d.length; i++) {
        if (!isPresent(d, i)) out[at + i] = null;
        else if (text !== undefined) out[at + i] = text.slice(offsets[i]! - from, offsets[i + 1]! - from);
        else out[at + i] = DECODER.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!));
      }
    });
    return out;
  }

  /** A bool column as 0/1 (0 where null; see validity()). */
  bools(name: string): Uint8Array {
    const vector = this.vector(name, 'bool');
    const out = new Uint8Array(this.rows);
    let i = 0;
    for (const v of vector) out[i++] = v === true ? 1 : 0;
    return out;
  }

  private vector(name: string, expected: ColumnType | 'other'): Vector {
    const type = this.type(name);
    if (type === undefined) this.missing(name);
    if (type !== expected) this.wrongType(name, expected);
    const vector = this.table.getChild(name);
    if (!vector) throw new Error(`Arrow table of ${this.file} lists column '${name}' but has no vector for it`);
    return vector;
  }

  private eachChunk(vector: Vector, visit: (d: Data, at: number) => void): void {
    let at = 0;
    for (const d of vector.data) {
      visit(d, at);
      at += d.length;
    }
  }

  private missing(name: string): never {
    throw new StageError(`${this.file}: the table has no column '${name}' (it has ${this.names.join(', ') || 'none'})`, FIX_STALE);
  }

  private wrongType(name: string, expected: string): never {
    const actual = this.table.schema.fields.find((f) => f.name === name)?.type;
    throw new StageError(`${this.file}: column '${name}' is ${String(actual)}, expected ${expected}`, FIX_STALE);
  }
}

/** Reads an Arrow IPC table file. */
export function readTableFile(file: string): Promise<TableFile> {
  return TableFile.read(file);
}
