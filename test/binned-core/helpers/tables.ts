// Builds small presentation tables directly, for tests of the steps after §2.

import { cellAt, type Cell, type ParamColumn, type PresentationTable } from '../../../stages/binned/core/index.js';

export interface TableSpec {
  readonly names: readonly string[];
  readonly start: readonly number[];
  readonly stop: readonly number[];
  /** Defaults to stop - start. */
  readonly duration?: readonly number[];
  /** Defaults to 0..n-1. */
  readonly id?: readonly number[];
  readonly params?: Readonly<Record<string, readonly Cell[]>>;
}

export function makeTable(spec: TableSpec): PresentationTable {
  const n = spec.names.length;
  const params = new Map<string, ParamColumn>();
  for (const [name, cells] of Object.entries(spec.params ?? {})) {
    const values = Float64Array.from(cells, (c) => (typeof c === 'number' ? c : NaN));
    const hasText = cells.some((c) => typeof c === 'string');
    params.set(
      name,
      hasText ? { values, text: cells.map((c) => (typeof c === 'string' ? c : undefined)) } : { values },
    );
  }
  return {
    length: n,
    id: Int32Array.from(spec.id ?? Array.from({ length: n }, (_, i) => i)),
    stimulusName: [...spec.names],
    startTime: Float64Array.from(spec.start),
    stopTime: Float64Array.from(spec.stop),
    duration: Float64Array.from(spec.duration ?? spec.start.map((s, i) => spec.stop[i]! - s)),
    params,
  };
}

/** A column as plain cells, for readable assertions. */
export function cells(table: PresentationTable, column: string): Cell[] {
  return Array.from({ length: table.length }, (_, r) => cellAt(table, column, r));
}
