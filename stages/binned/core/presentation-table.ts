// The columnar presentations table shared by §2–§5 of binned-dataset.md.
//
// A session has ~70k presentations and the pooled filter sees ~600k, so every column is a typed
// array and a row subset is an index gather. Null is NaN: after §2.2 parsing a NaN can only mean
// "missing" ("nan" and NaN cells are null by definition), so no separate null mask is needed.
// Text cells (list-strings, words) are kept apart so a relevant parameter can treat them as null
// while nothing is lost.

import type { Cell } from './cells.js';

export interface ParamColumn {
  /** Numeric value per row; NaN where the cell is null or text. */
  readonly values: Float64Array;
  /** The text cells, `undefined` elsewhere; absent when the column holds no text at all. */
  readonly text?: readonly (string | undefined)[];
}

export interface PresentationTable {
  readonly length: number;
  /** Global presentation id (§2.1): row number after the start-time sort, kept through drops. */
  readonly id: Int32Array;
  readonly stimulusName: readonly string[];
  readonly startTime: Float64Array;
  readonly stopTime: Float64Array;
  /** `stop_time - start_time` (§2.3), or a whole-movie sum (§3); NaN = null. */
  readonly duration: Float64Array;
  /** Every other column (stimulus_block, orientation, frame, ...), in first-appearance order. */
  readonly params: ReadonlyMap<string, ParamColumn>;
}

/** The cell of a parameter column as §2.2 defines it; a missing column is all null. */
export function cellAt(table: PresentationTable, column: string, row: number): Cell {
  const col = table.params.get(column);
  if (!col) return null;
  const text = col.text?.[row];
  if (text !== undefined) return text;
  const v = col.values[row]!;
  return Number.isNaN(v) ? null : v;
}

/**
 * The column as float64 with null (and text, which counts as null in a relevant parameter, §2.2)
 * as NaN. A missing column is all NaN.
 */
export function numericColumn(table: PresentationTable, column: string): Float64Array {
  return table.params.get(column)?.values ?? new Float64Array(table.length).fill(NaN);
}

function gather(values: Float64Array, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

function gatherColumn(col: ParamColumn, rows: ArrayLike<number>): ParamColumn {
  const values = gather(col.values, rows);
  if (!col.text) return { values };
  const text: (string | undefined)[] = new Array<string | undefined>(rows.length);
  let any = false;
  for (let i = 0; i < rows.length; i++) {
    const t = col.text[rows[i]!];
    text[i] = t;
    if (t !== undefined) any = true;
  }
  return any ? { values, text } : { values };
}

/** The given rows, in the given order. */
export function takeRows(table: PresentationTable, rows: ArrayLike<number>): PresentationTable {
  const id = new Int32Array(rows.length);
  const stimulusName: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    id[i] = table.id[r]!;
    stimulusName[i] = table.stimulusName[r]!;
  }
  const params = new Map<string, ParamColumn>();
  for (const [name, col] of table.params) params.set(name, gatherColumn(col, rows));
  return {
    length: rows.length,
    id,
    stimulusName,
    startTime: gather(table.startTime, rows),
    stopTime: gather(table.stopTime, rows),
    duration: gather(table.duration, rows),
    params,
  };
}

/** Rows for which `keep(row)` holds, in table order. */
export function filterRows(table: PresentationTable, keep: (row: number) => boolean): PresentationTable {
  const rows: number[] = [];
  for (let r = 0; r < table.length; r++) if (keep(r)) rows.push(r);
  return rows.length === table.length ? table : takeRows(table, rows);
}
