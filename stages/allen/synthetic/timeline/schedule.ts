// The session's presentations: start/stop times, stimulus_block and condition of every row of
// every `<name>_presentations` table.
//
// Timing model (allen-nwb-layout.md §5; binned-dataset.md §3–4):
// - A presentation lasts a whole number of display frames, ±0.1 ms of sync jitter on each edge,
//   so durations sit on the published medians well within the 0.001 s filter tolerance.
// - Outliers are dropped frames: the presentation lasts one display frame (16.7 ms) longer and
//   everything after it shifts. Random at the published removal rates
//   (presentations_filtered_summary.csv), plus one forced per stimulus so that small sessions
//   show the median-duration filter at work (for the movie with the truncated repeat, that repeat).
// - Movies are one row per movie frame (2 display frames), frames of a repeat contiguous (one
//   frame's stop is the next one's start), so a repeat's summed duration equals its span. A
//   dropped frame lengthens the repeat by 16.7 ms, beyond the 0.01 s movie tolerance. One repeat
//   per session is truncated (the script stopped early) and fails the filter too.
// - Spontaneous rows span the gaps between blocks and carry no parameters at all.
// - Tiny sessions leave out the gray gaps between presentations (durations are unchanged), which
//   keeps their timeline, and so their 30–60 Hz behaviour data, short.

import type { Rng } from '../random.js';
import type { Sizing } from '../sizing.js';
import { DISPLAY_FRAME_S as F, MOVIE_FRAME_DISPLAY_FRAMES, SPONTANEOUS, stimulusSpec, type SessionType, type StimulusSpec } from './catalog.js';
import { sizePlan, type SizedBlock } from './plan.js';

export interface PresentationTable {
  readonly name: string;
  readonly start: Float64Array;
  readonly stop: Float64Array;
  /** stimulus_block, NaN for spontaneous rows. */
  readonly block: Float64Array;
  /** Index into the stimulus' conditions; for movies the movie frame; -1 for spontaneous. */
  readonly condition: Int32Array;
}

export interface Timeline {
  /** One table per stimulus name, spontaneous included, in sorted name order (as written). */
  readonly tables: readonly PresentationTable[];
  /** First presentation start and last presentation stop. */
  readonly start: number;
  readonly end: number;
}

/** Chance of a dropped frame per presentation (movies: per repeat), from the published filter. */
const OUTLIER_RATE: Readonly<Record<string, number>> = {
  gabors: 0.0004,
  flashes: 0.0002,
  drifting_gratings: 0.0008,
  static_gratings: 0.0001,
  natural_scenes: 0.0002,
  drifting_gratings_contrast: 0.0003,
  drifting_gratings_75_repeats: 0.0006,
  dot_motion: 0.0035,
  natural_movie_one: 0.015,
  natural_movie_three: 0.01,
  natural_movie_one_more_repeats: 0.005,
  natural_movie_one_shuffled: 0.005,
};

/** The movie whose repeat is truncated, per session type. */
const TRUNCATED_MOVIE: Readonly<Record<SessionType, string>> = {
  'brain_observatory_1.1': 'natural_movie_three',
  functional_connectivity: 'natural_movie_one_more_repeats',
};

const JITTER_S = 1e-4;

class Rows {
  readonly start: number[] = [];
  readonly stop: number[] = [];
  readonly block: number[] = [];
  readonly condition: number[] = [];
  push(start: number, stop: number, block: number, condition: number): void {
    this.start.push(start);
    this.stop.push(stop);
    this.block.push(block);
    this.condition.push(condition);
  }
  freeze(name: string): PresentationTable {
    return {
      name,
      start: Float64Array.from(this.start),
      stop: Float64Array.from(this.stop),
      block: Float64Array.from(this.block),
      condition: Int32Array.from(this.condition),
    };
  }
}

/** Per stimulus: the shuffled condition sequence and the forced outlier/truncation positions. */
interface StimulusDraw {
  readonly sequence: readonly number[];
  readonly forcedOutlier: number;
  readonly truncated: number;
  used: number;
}

export function buildTimeline(opts: { readonly sessionType: SessionType; readonly sizing: Sizing; readonly rng: Rng }): Timeline {
  const { sessionType, sizing, rng } = opts;
  const plan = sizePlan(sessionType, sizing);
  const draws = drawStimuli(plan.filter((i): i is SizedBlock => i.kind === 'block'), TRUNCATED_MOVIE[sessionType], rng);
  const rows = new Map<string, Rows>();
  const rowsOf = (name: string): Rows => {
    let r = rows.get(name);
    if (r === undefined) rows.set(name, (r = new Rows()));
    return r;
  };
  const jitter = (): number => rng.range(-JITTER_S, JITTER_S);

  let t = Math.max(0.5, rng.range(10, 20) * sizing.scale);
  for (const item of plan) {
    if (item.kind === 'spontaneous') {
      rowsOf(SPONTANEOUS).push(t, t + item.seconds, Number.NaN, -1);
      t += item.seconds;
      continue;
    }
    const spec = stimulusSpec(item.stimulus);
    const draw = draws.get(item.stimulus) as StimulusDraw;
    const out = rowsOf(item.stimulus);
    for (let k = 0; k < item.count; k++) {
      const i = draw.used++;
      // Tiny sessions get only the forced outlier: with 3–6 rows a random second one would
      // shift the median itself.
      const dropped = i === draw.forcedOutlier || (!sizing.tiny && rng.chance(OUTLIER_RATE[spec.name] ?? 0));
      if (spec.movie !== undefined) {
        t = movieRepeat({ spec, sizing, t, block: item.block, dropped, truncated: i === draw.truncated, out, rng, jitter });
      } else {
        const onFrames = spec.onFrames + (dropped ? 1 : 0);
        out.push(t + jitter(), t + onFrames * F + jitter(), item.block, draw.sequence[i] as number);
        t += (onFrames + (sizing.tiny ? 0 : spec.gapFrames)) * F;
      }
    }
  }

  const tables = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, r]) => r.freeze(name));
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const table of tables) {
    if (table.start.length === 0) continue;
    start = Math.min(start, table.start[0] as number);
    end = Math.max(end, table.stop[table.stop.length - 1] as number);
  }
  return { tables, start, end };
}

function movieRepeat(args: {
  spec: StimulusSpec;
  sizing: Sizing;
  t: number;
  block: number;
  dropped: boolean;
  truncated: boolean;
  out: Rows;
  rng: Rng;
  jitter: () => number;
}): number {
  const { spec, sizing, block, out, rng, jitter } = args;
  const movie = spec.movie as NonNullable<StimulusSpec['movie']>;
  const frames = sizing.movieFrames ?? movie.frames;
  const shown = args.truncated ? Math.floor(frames * 0.6) : frames;
  const order = Array.from({ length: frames }, (_, k) => k);
  if (movie.shuffled) rng.shuffle(order);
  const dropAt = args.dropped ? 1 + rng.int(shown - 1) : -1;
  const frameS = MOVIE_FRAME_DISPLAY_FRAMES * F;
  let edge = args.t;
  let nominal = args.t;
  for (let k = 0; k < shown; k++) {
    nominal += frameS + (k === dropAt ? F : 0);
    const next = nominal + jitter();
    out.push(edge, next, block, order[k] as number);
    edge = next;
  }
  return nominal;
}

function drawStimuli(blocks: readonly SizedBlock[], truncatedMovie: string, rng: Rng): Map<string, StimulusDraw> {
  const totals = new Map<string, number>();
  const firstBlockCount = new Map<string, number>();
  for (const b of blocks) {
    totals.set(b.stimulus, (totals.get(b.stimulus) ?? 0) + b.count);
    if (!firstBlockCount.has(b.stimulus)) firstBlockCount.set(b.stimulus, b.count);
  }
  const draws = new Map<string, StimulusDraw>();
  for (const [name, total] of [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const spec = stimulusSpec(name);
    const sequence = spec.movie !== undefined ? [] : conditionSequence(spec, total, rng);
    // The last repeat of the first block is cut short; that is this movie's forced outlier.
    const truncated = name === truncatedMovie ? (firstBlockCount.get(name) ?? 1) - 1 : -1;
    let forcedOutlier = truncated >= 0 ? -1 : rng.int(total);
    for (let guard = 0; guard < 1000 && forcedOutlier >= 0; guard++) {
      const blank = spec.movie === undefined && spec.blank(spec.conditions[sequence[forcedOutlier] as number] ?? {});
      if (!blank) break;
      forcedOutlier = rng.int(total);
    }
    draws.set(name, { sequence, forcedOutlier, truncated, used: 0 });
  }
  return draws;
}

/**
 * Shuffled full passes over the condition grid (real sessions show each condition equally
 * often, in random order), cut at `total`; a blank sweep is swapped in if the cut has none.
 */
function conditionSequence(spec: StimulusSpec, total: number, rng: Rng): number[] {
  const n = spec.conditions.length;
  const out: number[] = [];
  while (out.length < total) out.push(...rng.shuffle(Array.from({ length: n }, (_, i) => i)));
  out.length = total;
  const blanks = spec.conditions.flatMap((c, i) => (spec.blank(c) ? [i] : []));
  if (blanks.length > 0 && !out.some((c) => blanks.includes(c))) out[rng.int(total)] = blanks[0] as number;
  return out;
}
