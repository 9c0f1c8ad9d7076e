// Random presentation schedules for the randomized binning tests: gaps shorter than the window
// make presentations overlap, zero gaps make equal starts, some stop at exactly the maximum
// duration and some (pathologically) before they start, and sometimes the order is shuffled (the
// sweeps must stay correct, just slower).
import { binEdges } from '../../../stages/binned/core/index.js';
import type { Random } from '../../random.js';

export interface ScheduleShape {
  readonly binWidths: readonly number[];
  readonly maxPresentations: number;
  /** The first start is `from + random * spread` seconds. */
  readonly from: number;
  readonly spread: number;
  /** Shares of presentations lasting exactly the maximum duration, and stopping early. */
  readonly exact: number;
  readonly early: number;
}

export interface Schedule {
  readonly edges: Float64Array;
  readonly start: number[];
  readonly stop: number[];
}

export function randomSchedule(random: Random, shape: ScheduleShape): Schedule {
  const binWidth = random.pick(shape.binWidths);
  const maxDuration = random.pick([0.2502092301320999, 0.5004, 1.0008, 2.0017, random.next() * 3]);
  const edges = binEdges({ maxDuration, binWidth });
  const window = edges.at(-1)!;
  const nP = random.int(1, shape.maxPresentations);
  const start: number[] = [];
  const stop: number[] = [];
  let t = shape.from + random.next() * shape.spread;
  for (let p = 0; p < nP; p++) {
    t += random.pick([0, window * random.next(), window + random.next(), maxDuration]);
    start.push(t);
    const roll = random.next();
    const duration = roll < shape.exact ? maxDuration : roll < shape.exact + shape.early ? -random.next() * binWidth : maxDuration * random.next();
    stop.push(t + duration);
  }
  if (random.next() < 0.2) {
    for (let i = nP - 1; i > 0; i--) {
      const j = random.int(0, i);
      [start[i], start[j]] = [start[j]!, start[i]!];
      [stop[i], stop[j]] = [stop[j]!, stop[i]!];
    }
  }
  return { edges, start, stop };
}
