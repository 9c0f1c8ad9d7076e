// The sparse binning of bin_spikes against the core's merge sweep (`binUnitSpikes`), cell for
// cell, on random cases crowded with the situations where the two could disagree: spikes exactly
// on bin bounds (inner edges count twice), exactly at movie stop times (they fill every clipped
// bin after the stop), duplicates, bursts that saturate at 255, overlapping, shuffled and
// negative-length presentations.

import { describe, expect, it } from 'vitest';
import { binUnitSpikes, spikeDataLayout, type BinValues } from '../../stages/binned/core/index.js';
import { binUnitSparse } from '../../stages/binned/bin/sparse-binning.js';
import { seeded, type Random } from '../random.js';
import { randomSchedule } from '../binned-core/helpers/random-schedule.js';

interface Case {
  startTime: Float64Array;
  stopTime: Float64Array;
  edges: Float64Array;
  clipToStop: boolean;
  /** One sorted spike train per unit. */
  units: Float64Array[];
}

function randomTrain(random: Random, c: Omit<Case, 'units'>): Float64Array {
  const { startTime: start, stopTime: stop, edges } = c;
  const nP = start.length;
  const window = edges.at(-1)!;
  const lo = Math.min(...start) - 1;
  const hi = Math.max(...start) + window + 1;
  const spikes: number[] = [];
  for (let k = random.int(0, 120); k > 0; k--) spikes.push(lo + random.next() * (hi - lo));
  // Exactly on bounds, clipped or not.
  for (let k = random.int(0, 40); k > 0; k--) {
    const p = random.int(0, nP - 1);
    const b = start[p]! + edges[random.int(0, edges.length - 1)]!;
    spikes.push(random.next() < 0.5 ? b : Math.min(b, stop[p]!));
  }
  for (let k = random.int(0, 6); k > 0; k--) spikes.push(stop[random.int(0, nP - 1)]!);
  for (let k = random.int(0, 6); k > 0 && spikes.length > 0; k--) spikes.push(spikes[random.int(0, spikes.length - 1)]!);
  // Sometimes a burst of > 255 spikes inside one bin or on one point, to saturate.
  if (random.next() < 0.15) {
    const p = random.int(0, nP - 1);
    const j = random.int(0, edges.length - 2);
    const b0 = start[p]! + edges[j]!;
    const width = edges[j + 1]! - edges[j]!;
    const onePoint = random.next() < 0.5;
    for (let k = random.int(200, 320); k > 0; k--) spikes.push(onePoint ? b0 : b0 + random.next() * width);
  }
  return Float64Array.from(spikes).sort();
}

function randomCase(random: Random): Case {
  // Realistic session times (~10^3 s), where s + edge rounds differently from the edge alone.
  const { edges, start, stop } = randomSchedule(random, { binWidths: [0.02, 0.01, 0.05, 0.3], maxPresentations: 15, from: 1000, spread: 3000, exact: 0.25, early: 0.05 });
  const base = { startTime: Float64Array.from(start), stopTime: Float64Array.from(stop), edges, clipToStop: random.next() < 0.5 };
  const units = Array.from({ length: random.int(1, 5) }, () => randomTrain(random, base));
  return { ...base, units };
}

/** Bins every unit of the case into one (presentation, time, unit) tensor with `kernel`. */
function binAll(c: Case, kernel: typeof binUnitSpikes, kind: BinValues['kind']): Uint8Array | Int8Array {
  const nBins = c.edges.length - 1;
  const nUnits = c.units.length;
  const size = c.startTime.length * nBins * nUnits;
  const values: BinValues = kind === 'counts' ? { kind, out: new Uint8Array(size) } : { kind, out: new Int8Array(size) };
  c.units.forEach((spikes, unit) => {
    kernel({ ...c, spikes, values, layout: spikeDataLayout({ nBins, nUnits, unit }) });
  });
  return values.out;
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

const TRIALS = 600;

describe('sparse binning equals the core merge sweep', () => {
  it('gives the same counts and 0/1 values, cell for cell', () => {
    const random = seeded(20261121);
    for (let trial = 0; trial < TRIALS; trial++) {
      const c = randomCase(random);
      for (const kind of ['counts', 'binary'] as const) {
        const expected = binAll(c, binUnitSpikes, kind);
        const actual = binAll(c, binUnitSparse, kind);
        const i = firstDifference(actual, expected);
        expect(i, `trial ${trial} (${kind}): cell ${i} is ${actual[i]}, core says ${expected[i]}`).toBe(-1);
      }
    }
  });

  it('meets edge spikes, stop-time runs and saturation often enough for the comparison to matter', () => {
    // Guards the generator: if it stopped planting these, the equality above would prove little.
    const random = seeded(20261121);
    let saturated = 0;
    let doubleCounted = 0;
    let stopRuns = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const c = randomCase(random);
      const counts = binAll(c, binUnitSpikes, 'counts');
      if (counts.includes(255)) saturated++;
      const nBins = c.edges.length - 1;
      const nUnits = c.units.length;
      let cellsTotal = 0;
      let spikesInWindows = 0;
      for (const spikes of c.units) {
        for (const t of spikes) {
          for (let p = 0; p < c.startTime.length; p++) {
            const s = c.startTime[p]!;
            const lo = c.clipToStop ? Math.min(s + c.edges[0]!, c.stopTime[p]!) : s + c.edges[0]!;
            const hi = c.clipToStop ? Math.min(s + c.edges[nBins]!, c.stopTime[p]!) : s + c.edges[nBins]!;
            if (lo <= t && t <= hi) spikesInWindows++;
          }
        }
      }
      for (const v of counts) cellsTotal += v;
      if (cellsTotal > spikesInWindows) doubleCounted++;
      // A clipped presentation whose last bin (entirely after its stop) holds spikes.
      if (c.clipToStop) {
        for (let p = 0; p < c.startTime.length; p++) {
          const lastBinAfterStop = c.startTime[p]! + c.edges[nBins - 1]! > c.stopTime[p]!;
          let any = false;
          for (let u = 0; u < nUnits; u++) any ||= counts[(p * nBins + nBins - 1) * nUnits + u]! > 0;
          if (lastBinAfterStop && any) {
            stopRuns++;
            break;
          }
        }
      }
    }
    expect(saturated).toBeGreaterThan(20);
    expect(doubleCounted).toBeGreaterThan(150);
    expect(stopRuns).toBeGreaterThan(50);
  });

  it('rejects a layout that does not fit the output, as the core does', () => {
    const c = { startTime: Float64Array.of(0), stopTime: Float64Array.of(1), edges: Float64Array.of(0, 0.5, 1), clipToStop: false };
    const values = { kind: 'counts' as const, out: new Uint8Array(3) };
    const layout = spikeDataLayout({ nBins: 2, nUnits: 2, unit: 1 });
    expect(() => binUnitSparse({ ...c, spikes: Float64Array.of(0.1), values, layout })).toThrow(RangeError);
  });
});
