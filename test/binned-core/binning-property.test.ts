// Randomized comparison of the merge-sweep binning with the literal O(spikes × cells) rule.
// Spikes are planted exactly on bin bounds, on stop times and as duplicates, where an
// off-by-one in the sweep would show.

import { describe, expect, it } from 'vitest';
import { binUnitSpikes, spikeDataLayout } from '../../stages/binned/core/index.js';
import { referenceCounts } from './helpers/binning-reference.js';
import { randomSchedule } from './helpers/random-schedule.js';
import { seeded, type Random } from '../random.js';

interface Case {
  spikes: Float64Array;
  startTime: Float64Array;
  stopTime: Float64Array;
  edges: Float64Array;
  clipToStop: boolean;
}

function randomCase(random: Random): Case {
  const { edges, start, stop } = randomSchedule(random, { binWidths: [0.02, 0.01, 0.05, 0.3, 0.5], maxPresentations: 12, from: 100, spread: 10, exact: 0.2, early: 0.05 });
  const window = edges.at(-1)!;
  const nP = start.length;
  const clipToStop = random.next() < 0.5;
  const lo = Math.min(...start) - 1;
  const hi = Math.max(...start) + window + 1;
  const spikes: number[] = [];
  const nRandom = random.int(0, 80);
  for (let k = 0; k < nRandom; k++) spikes.push(lo + random.next() * (hi - lo));
  for (let k = random.int(0, 30); k > 0; k--) {
    const p = random.int(0, nP - 1);
    const bound = start[p]! + edges[random.int(0, edges.length - 1)]!;
    spikes.push(random.next() < 0.5 ? bound : Math.min(bound, stop[p]!));
  }
  for (let k = random.int(0, 6); k > 0; k--) spikes.push(stop[random.int(0, nP - 1)]!);
  for (let k = random.int(0, 5); k > 0 && spikes.length > 0; k--) spikes.push(spikes[random.int(0, spikes.length - 1)]!);
  return {
    spikes: Float64Array.from(spikes).sort(),
    startTime: Float64Array.from(start),
    stopTime: Float64Array.from(stop),
    edges,
    clipToStop,
  };
}

describe('merge-sweep binning against the literal rule', () => {
  it('agrees on counts and binary values for random cases', () => {
    const random = seeded(7);
    for (let trial = 0; trial < 400; trial++) {
      const c = randomCase(random);
      const expected = referenceCounts(c);
      const nP = c.startTime.length;
      const nBins = c.edges.length - 1;
      const nUnits = random.int(1, 4);
      const unit = random.int(0, nUnits - 1);
      const layout = spikeDataLayout({ nBins, nUnits, unit });
      const countsOut = new Uint8Array(nP * nBins * nUnits);
      const binaryOut = new Int8Array(nP * nBins * nUnits);
      binUnitSpikes({ ...c, values: { kind: 'counts', out: countsOut }, layout });
      binUnitSpikes({ ...c, values: { kind: 'binary', out: binaryOut }, layout });
      const at = (out: ArrayLike<number>, p: number, j: number) => out[layout.offset + p * layout.presentationStride + j * layout.timeStride]!;
      const counts = expected.map((row, p) => row.map((_, j) => at(countsOut, p, j)));
      const binary = expected.map((row, p) => row.map((_, j) => at(binaryOut, p, j)));
      expect(counts, `trial ${trial}`).toEqual(expected);
      expect(binary, `trial ${trial}`).toEqual(expected.map((row) => row.map((n) => (n > 0 ? 1 : 0))));
    }
  });

  it('plants enough spikes on bounds for the edge rules to matter', () => {
    // Guards the generator: if it stopped producing double-counted edge spikes, the comparison
    // above would prove much less.
    const random = seeded(7);
    let doubleCounted = 0;
    for (let trial = 0; trial < 400; trial++) {
      const c = randomCase(random);
      const counts = referenceCounts(c);
      const total = counts.flat().reduce((a, b) => a + b, 0);
      let inside = 0;
      for (const t of c.spikes) {
        for (let p = 0; p < c.startTime.length; p++) {
          const lo = c.clipToStop ? Math.min(c.startTime[p]!, c.stopTime[p]!) : c.startTime[p]!;
          const last = c.startTime[p]! + c.edges.at(-1)!;
          const hi = c.clipToStop ? Math.min(last, c.stopTime[p]!) : last;
          if (lo <= t && t <= hi) inside++;
        }
      }
      if (total > inside) doubleCounted++;
    }
    expect(doubleCounted).toBeGreaterThan(100);
  });
});
