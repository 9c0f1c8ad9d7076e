// The pooled median-duration filter (binned-dataset.md §4).
//
// The medians pool every session, but each session's filtered table must be writable on its own.
// So the work splits in three: collect each session's durations (small: one float per
// presentation), compute the medians once all sessions are in, then filter any session with them.

import { filterRows, type PresentationTable } from './presentation-table.js';
import { isMovie } from './whole-movies.js';

/** Keep a row only if `|duration - median| < tolerance` (strict). */
export interface DurationTolerances {
  /** For stimulus names without `natural_movie`, in seconds. */
  readonly tolerance: number;
  /** For names containing `natural_movie` (whole-movie repeats of ~30 s and ~120 s). */
  readonly movieTolerance: number;
}

export const DEFAULT_DURATION_TOLERANCES: DurationTolerances = { tolerance: 0.001, movieTolerance: 0.01 };

/** The durations one session contributes to the pool. */
export interface SessionDurations {
  readonly sessionId: number;
  /** Stimulus names in order of first appearance (presentation id). */
  readonly names: readonly string[];
  /** Every row's duration per name, NaN = null. */
  readonly durations: ReadonlyMap<string, Float64Array>;
}

/** Collects the durations of one session's whole-movie table (§3 output, before §5). */
export function sessionDurations(sessionId: number, table: PresentationTable): SessionDurations {
  const lists = new Map<string, number[]>();
  for (let r = 0; r < table.length; r++) {
    const name = table.stimulusName[r]!;
    const list = lists.get(name);
    if (list) list.push(table.duration[r]!);
    else lists.set(name, [table.duration[r]!]);
  }
  const durations = new Map<string, Float64Array>();
  for (const [name, list] of lists) durations.set(name, Float64Array.from(list));
  return { sessionId, names: [...lists.keys()], durations };
}

/**
 * NumPy's median of the non-null values: the middle value, or for an even count the two middle
 * values added and halved (`np.mean` of them: (a + b) / 2, not a + (b - a) / 2, which can differ
 * in the last bit). NaN when there is no value.
 */
export function median(values: Float64Array): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort();
  const n = v.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Medians per stimulus name, with names in report order. */
export interface PooledMedians {
  /** First appearance over sessions in ascending id, then presentation id (§4 report order). */
  readonly order: readonly string[];
  /** NaN when a name has no non-null duration in any session. */
  readonly median: ReadonlyMap<string, number>;
}

function bySessionId(sessions: readonly SessionDurations[]): SessionDurations[] {
  return [...sessions].sort((a, b) => a.sessionId - b.sessionId);
}

export function pooledMedians(sessions: readonly SessionDurations[]): PooledMedians {
  const ordered = bySessionId(sessions);
  const order: string[] = [];
  const seen = new Set<string>();
  const sizes = new Map<string, number>();
  for (const s of ordered) {
    for (const name of s.names) {
      if (!seen.has(name)) {
        seen.add(name);
        order.push(name);
      }
      sizes.set(name, (sizes.get(name) ?? 0) + s.durations.get(name)!.length);
    }
  }
  const result = new Map<string, number>();
  for (const name of order) {
    const pooled = new Float64Array(sizes.get(name)!);
    let at = 0;
    for (const s of ordered) {
      const d = s.durations.get(name);
      if (!d) continue;
      pooled.set(d, at);
      at += d.length;
    }
    result.set(name, median(pooled));
  }
  return { order, median: result };
}

/**
 * Whether a row survives the filter. A null duration never passes (NaN makes the comparison
 * false), and neither does any row of a name whose median is null.
 */
export function passesMedianFilter(
  name: string,
  duration: number,
  medians: PooledMedians,
  tolerances: DurationTolerances = DEFAULT_DURATION_TOLERANCES,
): boolean {
  const m = medians.median.get(name);
  // Medians come from every session, this one included; a missing name is a caller bug.
  if (m === undefined) throw new Error(`no pooled median for stimulus ${JSON.stringify(name)}`);
  const tolerance = isMovie(name) ? tolerances.movieTolerance : tolerances.tolerance;
  return Math.abs(duration - m) < tolerance;
}

/**
 * One session's whole-movie table after the filter. natural_movie_one and
 * natural_movie_one_more_repeats keep their own medians: they are grouped only in §5/§8.
 */
export function applyMedianFilter(options: {
  readonly table: PresentationTable;
  readonly medians: PooledMedians;
  readonly tolerances?: DurationTolerances;
}): PresentationTable {
  const { table, medians, tolerances } = options;
  return filterRows(table, (r) => passesMedianFilter(table.stimulusName[r]!, table.duration[r]!, medians, tolerances));
}

/** One row of `presentations_filtered_summary.csv`. */
export interface FilterSummaryRow {
  readonly stimulusName: string;
  readonly before: number;
  readonly after: number;
  readonly removed: number;
  /** `removed / before * 100`, unrounded (the CSV rounds it). */
  readonly percentRemoved: number;
}

/** Counts before and after the filter per name, pooled over sessions, in report order. */
export function filterSummary(options: {
  readonly sessions: readonly SessionDurations[];
  readonly medians: PooledMedians;
  readonly tolerances?: DurationTolerances;
}): FilterSummaryRow[] {
  const { sessions, medians, tolerances } = options;
  return medians.order.map((name) => {
    let before = 0;
    let after = 0;
    for (const s of sessions) {
      const d = s.durations.get(name);
      if (!d) continue;
      before += d.length;
      for (const x of d) if (passesMedianFilter(name, x, medians, tolerances)) after++;
    }
    const removed = before - after;
    return { stimulusName: name, before, after, removed, percentRemoved: (removed / before) * 100 };
  });
}
