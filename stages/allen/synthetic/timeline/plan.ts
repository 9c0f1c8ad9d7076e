// The block order of the two session types, with real-session counts.
//
// Totals per stimulus are the real table sizes of allen-nwb-layout.md §5.2 (BO 715093703,
// FC 766640955; movies counted in repeats: 18,000 rows = 20 × 900 frames). The split into blocks
// and the spontaneous gaps follow the published description of the two protocols (gabors and
// flashes first, one ~30 min spontaneous block mid-session, the other stimuli in 2–3 blocks) [INF];
// BO has 15 spontaneous rows and FC 6, as in §5.2.

import type { SessionType } from './catalog.js';
import { scaled, type Sizing } from '../sizing.js';

export type PlanItem =
  | { readonly kind: 'spontaneous'; readonly seconds: number }
  | { readonly kind: 'block'; readonly stimulus: string; readonly share: number };

const sp = (seconds: number): PlanItem => ({ kind: 'spontaneous', seconds });
/** A block showing `share` of the stimulus' presentations (or movie repeats). */
const blk = (stimulus: string, share: number): PlanItem => ({ kind: 'block', stimulus, share });

const BO_PLAN: readonly PlanItem[] = [
  sp(60), blk('gabors', 1), sp(289), blk('flashes', 1), sp(30),
  blk('drifting_gratings', 1 / 3), sp(30), blk('natural_movie_three', 1 / 2), sp(30),
  blk('natural_movie_one', 1 / 2), sp(30), blk('static_gratings', 1 / 3), sp(30),
  blk('natural_scenes', 1 / 3), sp(1800), blk('natural_scenes', 1 / 3), sp(30),
  blk('static_gratings', 1 / 3), sp(30), blk('drifting_gratings', 1 / 3), sp(30),
  blk('natural_movie_three', 1 / 2), sp(30), blk('natural_movie_one', 1 / 2), sp(30),
  blk('natural_scenes', 1 / 3), blk('static_gratings', 1 / 3), sp(30),
  blk('drifting_gratings', 1 / 3), sp(30),
];

const FC_PLAN: readonly PlanItem[] = [
  sp(60), blk('gabors', 1), sp(289), blk('flashes', 1), sp(30),
  blk('natural_movie_one_more_repeats', 1 / 2), blk('dot_motion', 1 / 2),
  blk('drifting_gratings_contrast', 1), sp(1800), blk('natural_movie_one_shuffled', 1 / 2),
  blk('drifting_gratings_75_repeats', 1 / 2), sp(30), blk('natural_movie_one_more_repeats', 1 / 2),
  blk('dot_motion', 1 / 2), blk('natural_movie_one_shuffled', 1 / 2),
  blk('drifting_gratings_75_repeats', 1 / 2), sp(30),
];

/** Real presentations per stimulus (movies: repeats), from allen-nwb-layout.md §5.2. */
const REAL_COUNTS: Readonly<Record<string, number>> = {
  gabors: 3645,
  flashes: 150,
  drifting_gratings: 628,
  natural_movie_three: 10,
  natural_movie_one: 20,
  static_gratings: 6000,
  natural_scenes: 5950,
  dot_motion: 495,
  drifting_gratings_75_repeats: 600,
  drifting_gratings_contrast: 540,
  natural_movie_one_more_repeats: 60,
  natural_movie_one_shuffled: 20,
};

/**
 * Smallest counts that still show every quirk: both flash colours and an outlier, blank sweeps
 * next to real conditions, and for movies a normal repeat, one with a dropped frame and a
 * truncated one.
 */
const MIN_COUNTS: Readonly<Record<string, number>> = {
  gabors: 4,
  flashes: 3,
  drifting_gratings: 3,
  natural_movie_three: 3,
  natural_movie_one: 3,
  static_gratings: 4,
  natural_scenes: 4,
  dot_motion: 3,
  drifting_gratings_75_repeats: 3,
  drifting_gratings_contrast: 4,
  natural_movie_one_more_repeats: 3,
  natural_movie_one_shuffled: 2,
};

export interface SizedBlock {
  readonly kind: 'block';
  readonly stimulus: string;
  readonly block: number;
  /** Presentations in this block (movies: repeats). */
  readonly count: number;
}
export type SizedItem = { readonly kind: 'spontaneous'; readonly seconds: number } | SizedBlock;

export function planFor(sessionType: SessionType): readonly PlanItem[] {
  switch (sessionType) {
    case 'brain_observatory_1.1':
      return BO_PLAN;
    case 'functional_connectivity':
      return FC_PLAN;
  }
}

/** The plan with concrete counts: each stimulus' total split over its blocks, every block ≥ 1. */
export function sizePlan(sessionType: SessionType, sizing: Sizing): SizedItem[] {
  const plan = withExtraStimuli(planFor(sessionType), sizing);
  const totals = new Map<string, number>();
  const blocksOf = new Map<string, number>();
  for (const item of plan) {
    if (item.kind !== 'block') continue;
    blocksOf.set(item.stimulus, (blocksOf.get(item.stimulus) ?? 0) + 1);
  }
  for (const [stimulus, nBlocks] of blocksOf) {
    const real = REAL_COUNTS[stimulus] ?? 0;
    const min = Math.max(MIN_COUNTS[stimulus] ?? 1, nBlocks);
    totals.set(stimulus, Math.max(nBlocks, sizing.presentations[stimulus] ?? scaled(real, sizing.scale, min)));
  }
  // Hand out each total block by block; the last block of a stimulus takes the remainder.
  const given = new Map<string, number>();
  const seen = new Map<string, number>();
  let block = 0;
  return plan.map((item): SizedItem => {
    if (item.kind === 'spontaneous') return { kind: 'spontaneous', seconds: Math.max(0.25, item.seconds * sizing.scale) };
    const total = totals.get(item.stimulus) ?? 1;
    const nth = (seen.get(item.stimulus) ?? 0) + 1;
    seen.set(item.stimulus, nth);
    const already = given.get(item.stimulus) ?? 0;
    const left = (blocksOf.get(item.stimulus) ?? 1) - nth;
    const count = left === 0 ? total - already : Math.max(1, Math.min(total - already - left, Math.round(total * item.share)));
    given.set(item.stimulus, already + count);
    return { kind: 'block', stimulus: item.stimulus, block: block++, count };
  });
}

/**
 * Stimuli asked for in `sizing.presentations` but absent from the protocol get one block before
 * the last spontaneous gap (eight published BO sessions also show drifting_gratings_contrast).
 */
function withExtraStimuli(plan: readonly PlanItem[], sizing: Sizing): readonly PlanItem[] {
  const present = new Set(plan.flatMap((i) => (i.kind === 'block' ? [i.stimulus] : [])));
  const extra = Object.keys(sizing.presentations)
    .filter((s) => !present.has(s) && REAL_COUNTS[s] !== undefined)
    .sort();
  if (extra.length === 0) return plan;
  return [...plan.slice(0, -1), ...extra.map((s) => blk(s, 1)), ...plan.slice(-1)];
}

export function stimuliOf(sessionType: SessionType): string[] {
  return [...new Set(planFor(sessionType).flatMap((i) => (i.kind === 'block' ? [i.stimulus] : [])))].sort();
}
