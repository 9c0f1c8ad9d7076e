// The hdmf DynamicTable encoding, shared by units, electrodes, TimeIntervals and the eye-tracking
// tables (allen-nwb-layout §2.1): a group whose `colnames` attribute lists its columns, an `id`
// dataset with one element per row, one VectorData dataset per column, and for a ragged column a
// VectorIndex `<col>_index` of exclusive cumulative end offsets (row i is data[end[i-1]:end[i]],
// end[-1] = 0, slicing along the first axis).
//
// Tolerated variants from other writers: `colnames` as fixed-length ASCII (NWB 2.0.x) or vlen
// UTF-8, scalar or 1-D, or missing altogether (then every dataset except `id` and the indexes is a
// column, by name); any integer width for `id` and for indexes (int32, uint8, uint16 in the
// fixtures); `colnames` entries without a dataset (treated as absent columns).

import { FIX_DAMAGED } from './errors.js';
import type { H5File } from './h5file.js';
import { describeType, isNumericClass, readNumeric, readStrings, typeClass } from './h5read.js';
import type { ColumnSet, NumericColumn, StringColumn } from './types.js';

export interface TableLayout {
  readonly path: string;
  readonly rows: number;
  readonly id: NumericColumn;
  /** Columns in `colnames` order that have a dataset. */
  readonly columns: readonly ColumnInfo[];
}

export interface ColumnInfo {
  readonly name: string;
  readonly path: string;
  /** The VectorIndex path when the column is ragged. */
  readonly indexPath: string | undefined;
  readonly shape: readonly number[];
  /** 'numeric' / 'string' for 1-D scalar cells; 'other' for everything else. */
  readonly cells: 'numeric' | 'string' | 'other';
}

/** Reads `id` and describes the columns; the group must exist (callers decide when it is optional). */
export function readTableLayout(h5: H5File, path: string): TableLayout {
  h5.requireGroup(path);
  const idPath = `${path}/id`;
  h5.requireDataset(idPath);
  const id = readNumeric(h5, idPath).values;
  const names = h5.attrStrings(path, 'colnames') ?? inferColumnNames(h5, path);
  const columns: ColumnInfo[] = [];
  for (const name of names) {
    const colPath = `${path}/${name}`;
    if (!h5.hasDataset(colPath)) continue;
    const m = h5.metadata(colPath);
    const shape = m.shape ?? [0];
    const indexPath = h5.hasDataset(`${colPath}_index`) ? `${colPath}_index` : undefined;
    // A plain column must have one cell per row; a ragged one is checked through its index.
    if (indexPath === undefined && shape.length >= 1 && shape[0] !== id.length) {
      h5.fail(colPath, `has ${shape[0]} rows but ${idPath} has ${id.length}`, FIX_DAMAGED);
    }
    columns.push({ name, path: colPath, indexPath, shape, cells: cellKind(h5, colPath, shape, indexPath) });
  }
  return { path, rows: id.length, id, columns };
}

function cellKind(h5: H5File, path: string, shape: readonly number[], indexPath: string | undefined): ColumnInfo['cells'] {
  if (indexPath !== undefined || shape.length !== 1) return 'other';
  const cls = typeClass(h5, h5.metadata(path));
  if (isNumericClass(cls)) return 'numeric';
  return cls === 'string' ? 'string' : 'other';
}

/** Without `colnames`: every dataset but `id` and the VectorIndex of another dataset, by name. */
function inferColumnNames(h5: H5File, path: string): string[] {
  const children = new Set(h5.childNames(path));
  return [...children]
    .filter((n) => n !== 'id' && !(n.endsWith('_index') && children.has(n.slice(0, -'_index'.length))))
    .filter((n) => h5.entity(`${path}/${n}`).kind === 'dataset')
    .sort();
}

export function column(layout: TableLayout, name: string): ColumnInfo | undefined {
  return layout.columns.find((c) => c.name === name);
}

/** Every 1-D scalar column; the others are listed in `skipped`. */
export function readColumnSet(h5: H5File, layout: TableLayout): ColumnSet {
  const numeric = new Map<string, NumericColumn>();
  const strings = new Map<string, StringColumn>();
  const skipped: string[] = [];
  for (const c of layout.columns) {
    if (c.cells === 'numeric') numeric.set(c.name, readNumeric(h5, c.path).values);
    else if (c.cells === 'string') strings.set(c.name, readStrings(h5, c.path));
    else skipped.push(c.name);
  }
  return { numeric, strings, skipped };
}

/**
 * A VectorIndex, validated against its table and its data: one entry per row, integers,
 * non-decreasing, none beyond the data's first dimension. Read once; it is small (one per row).
 */
export function readRaggedIndex(h5: H5File, options: { indexPath: string; dataPath: string; rows: number }): Float64Array {
  const { indexPath, dataPath, rows } = options;
  const m = h5.metadata(indexPath);
  const cls = typeClass(h5, m);
  if (cls !== 'integer') h5.fail(indexPath, `holds ${describeType(h5, m)}; a VectorIndex must hold integers`);
  const end = readNumeric(h5, indexPath).values;
  if (end.length !== rows) h5.fail(indexPath, `has ${end.length} entries but the table has ${rows} rows`, FIX_DAMAGED);
  const dataLength = h5.rowCount(dataPath);
  let previous = 0;
  for (let i = 0; i < end.length; i++) {
    const e = end[i] as number;
    if (e < previous) {
      h5.fail(indexPath, `is not monotonic: entry ${i} is ${e}, after ${previous}`, FIX_DAMAGED);
    }
    previous = e;
  }
  if (previous > dataLength) {
    h5.fail(indexPath, `points past the end of ${dataPath}: its last entry is ${previous} but the data has ${dataLength} elements`, FIX_DAMAGED);
  }
  return end;
}

/** A named numeric column of a ColumnSet; undefined when absent, an error when not numeric. */
export function pickNumeric(h5: H5File, table: string, columns: ColumnSet, name: string): NumericColumn | undefined {
  const found = columns.numeric.get(name);
  if (found === undefined && (columns.strings.has(name) || columns.skipped.includes(name))) {
    h5.fail(`${table}/${name}`, 'is not a column of numbers, one per row');
  }
  return found;
}

/** A named string column of a ColumnSet; undefined when absent, an error when not text. */
export function pickStrings(h5: H5File, table: string, columns: ColumnSet, name: string): StringColumn | undefined {
  const found = columns.strings.get(name);
  if (found === undefined && (columns.numeric.has(name) || columns.skipped.includes(name))) {
    h5.fail(`${table}/${name}`, 'is not a column of strings, one per row');
  }
  return found;
}
