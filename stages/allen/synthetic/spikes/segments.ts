// The session as piecewise-constant stimulus "keys" for the spike model: every presentation row
// is a segment keyed by (stimulus, condition), gaps and spontaneous rows are key 0 (baseline).
// A unit's firing intensity is rate × gain[key], constant within a segment, which makes both the
// expected spike count (a sum over keys) and exact spike placement (a walk over segments) cheap.

import { SPONTANEOUS, stimulusSpec, type StimulusSpec } from '../timeline/catalog.js';
import type { Timeline } from '../timeline/schedule.js';

/** A block of keys belonging to one stimulus (movies: one block per movie, shared by variants). */
export interface KeyRange {
  readonly base: number;
  readonly size: number;
  readonly spec: StimulusSpec;
}

export interface Segments {
  /** Segment k spans [start[k], start[k+1]); start has one more entry than key. */
  readonly start: Float64Array;
  readonly key: Int32Array;
  readonly ranges: readonly KeyRange[];
  readonly keyCount: number;
  /** Seconds spent in each key over the whole session. */
  readonly keySeconds: Float64Array;
}

export function buildSegments(timeline: Timeline, sessionEnd: number): Segments {
  // Key ranges, in sorted stimulus order (deterministic); movie variants share their movie's range.
  const ranges: KeyRange[] = [];
  const baseOf = new Map<string, number>();
  let next = 1;
  for (const table of timeline.tables) {
    if (table.name === SPONTANEOUS) continue;
    const spec = stimulusSpec(table.name);
    const shareKey = spec.movie?.id ?? spec.name;
    let base = baseOf.get(shareKey);
    if (base === undefined) {
      const size = spec.movie?.frames ?? spec.conditions.length;
      base = next;
      next += size;
      baseOf.set(shareKey, base);
      ranges.push({ base, size, spec });
    }
    baseOf.set(spec.name, base);
  }

  // All stimulus rows in time order.
  let rows = 0;
  for (const t of timeline.tables) if (t.name !== SPONTANEOUS) rows += t.start.length;
  const rowStart = new Float64Array(rows);
  const rowStop = new Float64Array(rows);
  const rowKey = new Int32Array(rows);
  let r = 0;
  for (const t of timeline.tables) {
    if (t.name === SPONTANEOUS) continue;
    const base = baseOf.get(t.name) as number;
    for (let i = 0; i < t.start.length; i++, r++) {
      rowStart[r] = t.start[i] as number;
      rowStop[r] = t.stop[i] as number;
      rowKey[r] = base + (t.condition[i] as number);
    }
  }
  const order = Int32Array.from({ length: rows }, (_, i) => i).sort((a, b) => (rowStart[a] as number) - (rowStart[b] as number));

  const starts: number[] = [0];
  const keys: number[] = [];
  let cursor = 0;
  for (let k = 0; k < rows; k++) {
    const i = order[k] as number;
    const s = Math.max(cursor, rowStart[i] as number);
    const nextStart = k + 1 < rows ? (rowStart[order[k + 1] as number] as number) : Number.POSITIVE_INFINITY;
    const e = Math.min(rowStop[i] as number, nextStart, sessionEnd);
    if (e <= s) continue;
    if (s > cursor) {
      keys.push(0);
      starts.push(s);
    }
    keys.push(rowKey[i] as number);
    starts.push(e);
    cursor = e;
  }
  if (sessionEnd > cursor) {
    keys.push(0);
    starts.push(sessionEnd);
  }
  const start = Float64Array.from(starts);
  const key = Int32Array.from(keys);
  const keySeconds = new Float64Array(next);
  for (let k = 0; k < key.length; k++) {
    const kk = key[k] as number;
    keySeconds[kk] = (keySeconds[kk] as number) + (start[k + 1] as number) - (start[k] as number);
  }
  return { start, key, ranges, keyCount: next, keySeconds };
}
