// Hand-built raw presentations tables (the contract's `data/presentations_raw/session_<id>.arrow`)
// for the filter tests: written column by column, not through extract, so the filter is tested
// against the file layout of stages/README.md rather than against extract's output.

import type { Column } from '../../stages/tables/columns.js';
import { writeTableFile } from '../../stages/tables/write.js';

export interface RawRow {
  readonly name: string;
  readonly start: number;
  readonly stop: number;
  /** Defaults to stop - start; null for masked (invalid) presentations. */
  readonly duration?: number | null;
  readonly block?: number | null;
  readonly frame?: number | null;
  /** A list-string cell: null in `size`, kept in `size__text`. */
  readonly sizeText?: string;
}

const isPresent = (v: number | null | undefined): v is number => v !== null && v !== undefined;

/** The rows in the given order get presentation ids 0..n-1 (they must be in start-time order). */
export function rawColumns(rows: readonly RawRow[]): Column[] {
  const f64 = (name: string, values: readonly (number | null | undefined)[]): Column => ({
    name,
    type: 'float64',
    values: Float64Array.from(values, (v) => (isPresent(v) ? v : NaN)),
    valid: values.map(isPresent),
  });
  const columns: Column[] = [
    { name: 'presentation_id', type: 'int64', values: rows.map((_, i) => i) },
    { name: 'stimulus_name', type: 'utf8', values: rows.map((r) => r.name) },
    f64('start_time', rows.map((r) => r.start)),
    f64('stop_time', rows.map((r) => r.stop)),
    f64('duration', rows.map((r) => (r.duration === undefined ? r.stop - r.start : r.duration))),
    f64('stimulus_block', rows.map((r) => r.block)),
    f64('frame', rows.map((r) => r.frame)),
    f64('size', rows.map(() => null)),
  ];
  if (rows.some((r) => r.sizeText !== undefined)) {
    columns.push({ name: 'size__text', type: 'utf8', values: rows.map((r) => r.sizeText ?? null) });
  }
  return columns;
}

export function writeRawTable(file: string, rows: readonly RawRow[]): Promise<void> {
  return writeTableFile({ file, columns: rawColumns(rows) });
}

const movie = (name: string, start: number, frames: readonly number[], durations: readonly number[], block: number): RawRow[] => {
  let t = start;
  return frames.map((frame, k) => {
    const row = { name, start: t, stop: t + durations[k]!, frame, block };
    t += durations[k]!;
    return row;
  });
};

const SIZE = '[20.0, 20.0]';

/**
 * Session 10. Durations are binary fractions, so every comparison with a median and a tolerance
 * of 0.25 / 0.5 is exact and strictness can be tested at the boundary.
 */
export const SESSION_10: readonly RawRow[] = [
  { name: 'spontaneous', start: 0, stop: 5 }, // 0: dropped (§2.5)
  { name: 'flashes', start: 5, stop: 6, block: 1, sizeText: SIZE }, // 1: 1.0, |1 - 1.375| ≥ 0.25
  { name: 'flashes', start: 6, stop: 7.5, block: 1, sizeText: SIZE }, // 2: 1.5, kept
  // 3–8: two repeats of natural_movie_one (frame drops 2 → 0 at id 6): 1.5 and 0.5+0.5+1 = 2.0.
  ...movie('natural_movie_one', 10, [0, 1, 2, 0, 1, 2], [0.5, 0.5, 0.5, 0.5, 0.5, 1], 2),
  { name: 'invalid_presentation', start: 14, stop: 15, duration: null }, // 9: dropped (§2.5)
  { name: 'natural_movie_one_shuffled', start: 16, stop: 16.5, frame: 0, block: 3 }, // 10: dropped
  { name: 'flashes', start: 17, stop: 18.625, block: 4 }, // 11: 1.625, exactly 0.25 off: removed
];

/** Session 20: flashes 2, 1.25, 1.125; natural_movie_one twice 1.5; its own more_repeats movie. */
export const SESSION_20: readonly RawRow[] = [
  { name: 'flashes', start: 0, stop: 2, block: 1 }, // 0
  ...movie('natural_movie_one_more_repeats', 3, [0, 1], [0.5, 0.5], 2), // 1–2: one repeat of 1.0
  { name: 'flashes', start: 5, stop: 6.25, block: 1 }, // 3: 1.25, kept
  { name: 'flashes', start: 7, stop: 8.125, block: 1 }, // 4: 1.125, exactly 0.25 off: removed
  ...movie('natural_movie_one', 9, [0, 1, 2, 0, 1, 2], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], 3), // 5–10
];
