// Whole-session binning (session-binning.ts) against the core: random sessions binned with the
// tensors held whole and with budgets small enough to force several slabs, both written through
// the streaming .npy writer, read back and compared with tensors built by `binUnitSpikes`.

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NpyReader } from '../../stages/arrays/npy-reader.js';
import { NpyWriter } from '../../stages/arrays/npy-writer.js';
import { binCentres, binEdges, binUnitSpikes, spikeDataLayout } from '../../stages/binned/core/index.js';
import type { TypePlan } from '../../stages/binned/bin/plan.js';
import { binSession, slabWidth } from '../../stages/binned/bin/session-binning.js';
import { makeWorkspace, type Workspace } from './fixtures.js';
import { seeded, type Random } from '../random.js';

function randomPlan(random: Random, name: string, t0: number): TypePlan {
  const maxDuration = random.pick([0.2502, 0.5004, 1.0008]);
  const edges = binEdges({ maxDuration, binWidth: 0.02 });
  const nP = random.int(1, 30);
  const start = new Float64Array(nP);
  const stop = new Float64Array(nP);
  let t = t0;
  for (let p = 0; p < nP; p++) {
    t += maxDuration * random.pick([0.5, 1, 1.2]);
    start[p] = t;
    stop[p] = t + maxDuration * random.pick([1, 0.9, 0.5]);
  }
  const clipToStop = random.next() < 0.5;
  return {
    name,
    selected: { stimulusType: name, id: Int32Array.from({ length: nP }, (_, p) => p), startTime: start, stopTime: stop, duration: stop.map((x, p) => x - start[p]!), columns: [], clipToStop },
    edges,
    centres: binCentres(edges),
    nBins: edges.length - 1,
  };
}

function randomUnit(random: Random, plans: readonly TypePlan[]): Float64Array {
  const spikes: number[] = [];
  for (const plan of plans) {
    const { startTime, stopTime } = plan.selected;
    const lo = startTime[0]! - 1;
    const hi = startTime.at(-1)! + plan.edges.at(-1)! + 1;
    for (let k = random.int(0, 60); k > 0; k--) spikes.push(lo + random.next() * (hi - lo));
    for (let k = random.int(0, 8); k > 0; k--) {
      const p = random.int(0, startTime.length - 1);
      spikes.push(random.next() < 0.5 ? stopTime[p]! : startTime[p]! + plan.edges[random.int(0, plan.nBins)]!);
    }
  }
  return Float64Array.from(spikes).sort();
}

/** The tensor of one plan as the core computes it, unit by unit. */
function coreTensor(plan: TypePlan, units: readonly Float64Array[]): Uint8Array {
  const nUnits = units.length;
  const out = new Uint8Array(plan.selected.id.length * plan.nBins * nUnits);
  units.forEach((spikes, unit) => {
    const { startTime, stopTime, clipToStop } = plan.selected;
    binUnitSpikes({ spikes, startTime, stopTime, edges: plan.edges, clipToStop, values: { kind: 'counts', out }, layout: spikeDataLayout({ nBins: plan.nBins, nUnits, unit }) });
  });
  return out;
}

describe('session binning', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = makeWorkspace();
  });
  afterEach(() => ws.remove());

  it('writes the core tensors whether held whole or split into slabs', () => {
    const random = seeded(715093703);
    for (let trial = 0; trial < 12; trial++) {
      const plans = [randomPlan(random, 'a', 100), randomPlan(random, 'b', 200), randomPlan(random, 'c', 300)];
      const units = Array.from({ length: random.int(1, 40) }, () => randomUnit(random, plans));
      const expected = plans.map((p) => coreTensor(p, units));
      const cellsPerUnit = plans.reduce((s, p) => s + p.selected.id.length * p.nBins, 0);
      // Whole, then slabs of about 1, 3 and 7 units (blocks of 4 units inside them).
      for (const slab of [units.length, 1, 3, 7]) {
        const files = plans.map((p) => join(ws.dir, `${trial}-${slab}-${p.name}.npy`));
        const writers = plans.map((p, i) => NpyWriter.create({ path: files[i]!, dtype: '|u1', shape: [p.selected.id.length, p.nBins, units.length] }));
        const progress: number[] = [];
        const result = binSession({
          plans,
          nUnits: units.length,
          spikesOf: (u) => units[u]!,
          writers,
          memoryBudget: cellsPerUnit * slab,
          unitsPerBlock: 4,
          onProgress: (done) => progress.push(done),
        });
        for (const w of writers) w.close();
        expect(result.slabs).toBe(Math.ceil(units.length / result.slabUnits));
        if (slab < units.length) expect(result.slabs).toBeGreaterThan(1);
        expect(progress.at(-1)).toBe(units.length);
        expect([...progress].sort((x, y) => x - y)).toEqual(progress);
        files.forEach((file, i) => {
          const r = NpyReader.open(file);
          const actual = r.readAs('|u1', 0, r.length);
          r.close();
          expect(Buffer.from(actual).equals(Buffer.from(expected[i]!)), `trial ${trial}, slab ${slab}, type ${plans[i]!.name}`).toBe(true);
        });
      }
    }
  });

  it('holds every tensor whole when they fit the budget, and slabs of whole blocks otherwise', () => {
    expect(slabWidth({ cellsPerUnit: 1000, nUnits: 900, memoryBudget: 900_000, unitsPerBlock: 64 })).toBe(900);
    // 500 units fit: rounded down to whole blocks of 64.
    expect(slabWidth({ cellsPerUnit: 1000, nUnits: 900, memoryBudget: 500_000, unitsPerBlock: 64 })).toBe(448);
    expect(slabWidth({ cellsPerUnit: 1000, nUnits: 900, memoryBudget: 10_000, unitsPerBlock: 64 })).toBe(10);
    expect(slabWidth({ cellsPerUnit: 1000, nUnits: 900, memoryBudget: 10, unitsPerBlock: 64 })).toBe(1);
  });
});
