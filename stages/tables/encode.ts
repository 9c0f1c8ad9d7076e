// Column lists → Arrow IPC *file* bytes (the random-access format with the `ARROW1` magic at both
// ends, stages/README.md), built buffer by buffer with makeData rather than through Arrow's
// builders: the bytes then depend only on the values, which keeps them identical for identical
// tables (a downstream stage stays fresh when its input's rows did not change), and a 70k-row
// column is one typed-array copy instead of 70k builder calls.
//
// Determinism details: a column without nulls gets no validity bitmap; null slots hold 0 (not
// whatever the caller had there); every NaN is written as the one canonical quiet NaN, because
// different NaN payloads would be different bytes for the same table.

import {
  Bool,
  Field,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData,
  tableToIPC,
  type Data,
  type DataType,
} from 'apache-arrow';
import { rowCount, type Column } from './columns.js';

interface Validity {
  /** 1 = present, 0 = null; undefined when every row is present. */
  readonly mask: Uint8Array | undefined;
  readonly nullCount: number;
  /** Bit i set = row i present; undefined when there are no nulls. */
  readonly bitmap: Uint8Array | undefined;
}

const ALL_PRESENT: Validity = { mask: undefined, nullCount: 0, bitmap: undefined };

/** The validity of a column from its 0/1 mask (typed loops: a presentations column has ~70k rows). */
function validityOf(rows: number, mask: Uint8Array): Validity {
  const bitmap = new Uint8Array((rows + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < rows; i++) {
    if (mask[i]) bitmap[i >> 3]! |= 1 << (i & 7);
    else nullCount++;
  }
  return nullCount === 0 ? ALL_PRESENT : { mask, nullCount, bitmap };
}

function maskValidity(rows: number, valid: ArrayLike<boolean | number> | undefined): Validity {
  if (valid === undefined) return ALL_PRESENT;
  // Only truthiness is read, so a Uint8Array mask (notNaN's) is used as it is.
  if (valid instanceof Uint8Array) return validityOf(rows, valid);
  const mask = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) mask[i] = valid[i] ? 1 : 0;
  return validityOf(rows, mask);
}

function int64Data(column: Extract<Column, { type: 'int64' }>, rows: number): Data {
  const v = maskValidity(rows, column.valid);
  const data = new BigInt64Array(rows);
  const values = column.values;
  if (values instanceof BigInt64Array) {
    data.set(values);
    if (v.mask) for (let i = 0; i < rows; i++) if (!v.mask[i]) data[i] = 0n;
  } else {
    for (let i = 0; i < rows; i++) {
      if (v.mask && !v.mask[i]) continue;
      const x = values[i]!;
      // A float64 id beyond 2^53 has already lost digits; writing it would hide that.
      if (!Number.isSafeInteger(x)) throw new RangeError(`int64 column '${column.name}' row ${i}: ${x} is not a safe integer`);
      data[i] = BigInt(x);
    }
  }
  return makeData({ type: new Int64(), length: rows, nullCount: v.nullCount, nullBitmap: v.bitmap, data });
}

function int32Data(column: Extract<Column, { type: 'int32' }>, rows: number): Data {
  const v = maskValidity(rows, column.valid);
  const data = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    if (v.mask && !v.mask[i]) continue;
    const x = column.values[i]!;
    if (!Number.isInteger(x) || x < -(2 ** 31) || x >= 2 ** 31) {
      throw new RangeError(`int32 column '${column.name}' row ${i}: ${x} is not a 32-bit integer`);
    }
    data[i] = x;
  }
  return makeData({ type: new Int32(), length: rows, nullCount: v.nullCount, nullBitmap: v.bitmap, data });
}

function float64Data(column: Extract<Column, { type: 'float64' }>, rows: number): Data {
  const v = maskValidity(rows, column.valid);
  const data = new Float64Array(rows);
  const values = column.values;
  for (let i = 0; i < rows; i++) {
    if (v.mask && !v.mask[i]) continue;
    const x = values[i]!;
    // x !== x: NaN, written as the canonical NaN whatever its payload.
    data[i] = x !== x ? NaN : x;
  }
  return makeData({ type: new Float64(), length: rows, nullCount: v.nullCount, nullBitmap: v.bitmap, data });
}

const EMPTY = new Uint8Array(0);

function utf8Data(column: Extract<Column, { type: 'utf8' }>, rows: number): Data {
  const values = column.values;
  const mask = new Uint8Array(rows);
  // Text columns repeat a few values (stimulus names, list-strings, "good"/"noise"), so each
  // distinct value is encoded once.
  const encoder = new TextEncoder();
  const encoded = new Map<string, Uint8Array>();
  const parts: Uint8Array[] = new Array<Uint8Array>(rows);
  const valueOffsets = new Int32Array(rows + 1);
  let bytes = 0;
  let previous: string | undefined;
  let previousPart: Uint8Array = EMPTY;
  for (let i = 0; i < rows; i++) {
    const s = values[i];
    let part: Uint8Array = EMPTY;
    if (s !== null && s !== undefined) {
      mask[i] = 1;
      // Runs of one value (a stimulus's rows) skip even the map lookup.
      if (s !== previous) {
        let e = encoded.get(s);
        if (e === undefined) {
          e = encoder.encode(s);
          encoded.set(s, e);
        }
        previous = s;
        previousPart = e;
      }
      part = previousPart;
    }
    parts[i] = part;
    bytes += part.length;
    if (bytes >= 2 ** 31) throw new RangeError(`utf8 column '${column.name}' exceeds 2 GiB of text`);
    valueOffsets[i + 1] = bytes;
  }
  const data = new Uint8Array(bytes);
  for (let i = 0; i < rows; i++) {
    const part = parts[i]!;
    const at = valueOffsets[i]!;
    // A byte loop: for cells of a few bytes it beats the per-call overhead of data.set().
    for (let k = 0; k < part.length; k++) data[at + k] = part[k]!;
  }
  const v = validityOf(rows, mask);
  return makeData({ type: new Utf8(), length: rows, nullCount: v.nullCount, nullBitmap: v.bitmap, valueOffsets, data });
}

function boolData(column: Extract<Column, { type: 'bool' }>, rows: number): Data {
  const v = maskValidity(rows, column.valid);
  const data = new Uint8Array((rows + 7) >> 3);
  for (let i = 0; i < rows; i++) if ((!v.mask || v.mask[i]) && column.values[i]) data[i >> 3]! |= 1 << (i & 7);
  return makeData({ type: new Bool(), length: rows, nullCount: v.nullCount, nullBitmap: v.bitmap, data });
}

function columnData(column: Column, rows: number): Data {
  switch (column.type) {
    case 'int64':
      return int64Data(column, rows);
    case 'int32':
      return int32Data(column, rows);
    case 'float64':
      return float64Data(column, rows);
    case 'utf8':
      return utf8Data(column, rows);
    case 'bool':
      return boolData(column, rows);
    default: {
      const never: never = column;
      return never;
    }
  }
}

/** The Arrow table of the columns, in the given order, as one record batch. */
export function arrowTable(columns: readonly Column[]): Table {
  const rows = rowCount(columns);
  const children = columns.map((c) => columnData(c, rows));
  // Every field is declared nullable, whether or not this table has nulls, so that the schema
  // (and with it the bytes) of a column does not change with the data.
  const fields = columns.map((c, i) => new Field(c.name, children[i]!.type as DataType, true));
  const schema = new Schema(fields);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children }));
  return new Table(schema, [batch]);
}

/** The IPC file bytes of the columns. */
export function encodeTable(columns: readonly Column[]): Uint8Array {
  return tableToIPC(arrowTable(columns), 'file');
}
