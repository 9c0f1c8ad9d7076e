// The streaming writer's contract: byte-identical output for identical input, blocks of either
// shape, refusal of holes and misuse, and a round trip through our own reader.

import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import { openStimulusFile, openStimulusFileReader, type Compression } from '../../stages/binned/output/index.js';
import {
  FIXTURE_GROUPS,
  PROVENANCE,
  groupSpec,
  makeTempDir,
  presentationIds,
  speedValues,
  spikeTensor,
  timeCentres,
  writeFixtureFile,
  type FixtureGroup,
} from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanup();
});

// Large enough for several chunks along both streamed axes.
const big: FixtureGroup = { sessionId: 1, structure: 'VISp', P: 700, T: 14, unitIds: Array.from({ length: 90 }, (_, u) => 1000 + u), gaze: false };

/** Units [u0, u0 + k) of a (P, T, U) tensor as a (P, T, k) block. */
function unitBlock(tensor: Int8Array, g: FixtureGroup, u0: number, k: number): Int8Array {
  const U = g.unitIds.length;
  const block = new Int8Array(g.P * g.T * k);
  for (let i = 0; i < g.P * g.T; i++) for (let u = 0; u < k; u++) block[i * k + u] = tensor[i * U + u0 + u]!;
  return block;
}

describe('byte determinism', () => {
  it.each<[string, Compression | undefined]>([
    ['gzip', undefined],
    ['none', { kind: 'none' }],
  ])('two writes of the same inputs seconds apart are byte-identical (%s)', async (_, compression) => {
    const a = join(dir, 'a.h5');
    const b = join(dir, 'b.h5');
    await writeFixtureFile({ path: a, ...(compression ? { compression } : {}) });
    // Far enough apart that HDF5's object times (whole seconds) would differ if not pinned.
    await sleep(2100);
    await writeFixtureFile({ path: b, ...(compression ? { compression } : {}) });
    const [bytesA, bytesB] = await Promise.all([readFile(a), readFile(b)]);
    expect(bytesA.length).toBeGreaterThan(0);
    expect(bytesA.equals(bytesB)).toBe(true);
  });

  it('leaves the real clock in place, also while a file is open between writes', async () => {
    const realNow = Date.now;
    const file = await openStimulusFile({ path: join(dir, 'x.h5'), provenance: PROVENANCE });
    expect(Date.now).toBe(realNow);
    const g = FIXTURE_GROUPS[0]!;
    const spikes = file.addGroup(groupSpec(g));
    expect(Date.now).toBe(realNow);
    spikes.writePresentations(0, spikeTensor(g, 'int8') as Int8Array);
    file.close();
    expect(Date.now).toBe(realNow);
    expect(Math.abs(Date.now() - new Date().getTime())).toBeLessThan(60_000);
  });
});

describe('streaming spike_data', () => {
  it('exposes a chunk shape of at most 256 KiB that keeps the time axis whole', async () => {
    const file = await openStimulusFile({ path: join(dir, 'x.h5'), provenance: PROVENANCE });
    try {
      const spikes = file.addGroup(groupSpec(big));
      expect(spikes.shape).toEqual([700, 14, 90]);
      const [pc, tc, uc] = spikes.chunkShape!;
      expect(tc).toBe(14);
      expect(pc * tc * uc).toBeLessThanOrEqual(256 * 1024);
      expect(pc).toBeLessThan(700);
      expect(uc).toBeLessThanOrEqual(90);
    } finally {
      file.discard();
    }
  });

  async function expectRoundTrip(path: string, g: FixtureGroup, tensor: Int8Array): Promise<void> {
    const reader = await openStimulusFileReader(path);
    try {
      const back = reader.readSpikeData(g);
      expect(back.dtype).toBe('int8');
      expect(back.shape).toEqual([g.P, g.T, g.unitIds.length]);
      expect(Buffer.from(back.data.buffer, back.data.byteOffset, back.data.byteLength).equals(Buffer.from(tensor.buffer))).toBe(true);
      expect(back.unitIds).toEqual(g.unitIds);
      expect(back.presentationIds).toEqual(presentationIds(g));
    } finally {
      reader.close();
    }
  }

  /** Block sizes that are aligned, unaligned, single and straddling, in a shuffled order. */
  function blocksOf(n: number, sizes: readonly number[]): [number, number][] {
    const out: [number, number][] = [];
    for (let start = 0, i = 0; start < n; i++) {
      const k = Math.min(sizes[i % sizes.length]!, n - start);
      out.push([start, k]);
      start += k;
    }
    // Deterministic shuffle: the writer must not depend on ascending order.
    return out.map((b, i) => [b, (i * 7919) % out.length] as const).sort((a, b) => a[1] - b[1]).map(([b]) => b);
  }

  it.each<[string, Compression | undefined, 'presentations' | 'units', readonly number[]]>([
    ['gzip, chunk-aligned presentations', undefined, 'presentations', [0]],
    ['gzip, chunk-aligned units', undefined, 'units', [0]],
    ['gzip, ragged presentations', undefined, 'presentations', [1, 37, 200, 3]],
    ['gzip, one unit at a time', undefined, 'units', [1]],
    ['gzip, ragged units', undefined, 'units', [7, 1, 40, 2]],
    ['none, one unit at a time', { kind: 'none' }, 'units', [1]],
    ['none, ragged presentations', { kind: 'none' }, 'presentations', [3, 1, 250]],
  ])('%s round-trips through the reader', async (_, compression, axis, sizes) => {
    const path = join(dir, 'x.h5');
    const tensor = spikeTensor(big, 'int8') as Int8Array;
    const [P, T, U] = [big.P, big.T, big.unitIds.length];
    const file = await openStimulusFile({ path, provenance: PROVENANCE, ...(compression ? { compression } : {}) });
    const spikes = file.addGroup(groupSpec(big));
    // Size 0 stands for "one chunk".
    const chunk = axis === 'presentations' ? spikes.chunkShape?.[0] : spikes.chunkShape?.[2];
    const blocks = blocksOf(axis === 'presentations' ? P : U, sizes.map((k) => k || chunk!));
    for (const [start, k] of blocks) {
      if (axis === 'presentations') spikes.writePresentations(start, tensor.subarray(start * T * U, (start + k) * T * U));
      else spikes.writeUnits(start, unitBlock(tensor, big, start, k));
    }
    expect(spikes.missing()).toBeNull();
    file.close();
    await expectRoundTrip(path, big, tensor);
  });

  it('creates uninitialised contiguous datasets without HDF5 printing to stderr', async () => {
    const writes = vi.spyOn(fs, 'writeSync');
    await writeFixtureFile({ path: join(dir, 'x.h5'), compression: { kind: 'none' } });
    expect(writes.mock.calls.filter((call) => call[0] === 2)).toEqual([]);
  });
});

describe('refusals', () => {
  it('refuses to close a file with incomplete spike_data, naming the groups, and still closes it', async () => {
    const path = join(dir, 'x.h5');
    const file = await openStimulusFile({ path, provenance: PROVENANCE, compression: { kind: 'none' } });
    const [g7, g100] = [FIXTURE_GROUPS[0]!, FIXTURE_GROUPS[1]!];
    file.addGroup(groupSpec(g7));
    const spikes = file.addGroup(groupSpec(g100));
    const U = g100.unitIds.length;
    spikes.writePresentations(0, (spikeTensor(g100, 'int8') as Int8Array).subarray(0, 2 * g100.T * U));
    expect(() => file.close()).toThrow(
      'closed with incomplete spike_data: session_7/VISp/spike_data (nothing written), session_100/CA1/spike_data (2 of 4 presentations not written)',
    );
    const reader = await openStimulusFileReader(path);
    reader.close();
  });

  it('counts staged blocks as not written until their chunk is complete', async () => {
    const file = await openStimulusFile({ path: join(dir, 'x.h5'), provenance: PROVENANCE });
    try {
      const spikes = file.addGroup(groupSpec(big));
      const tensor = spikeTensor(big, 'int8') as Int8Array;
      spikes.writeUnits(0, unitBlock(tensor, big, 0, 1));
      expect(spikes.missing()).toBe('90 of 90 units not written');
    } finally {
      file.discard();
    }
  });

  it('refuses groups out of order: sessions numerically, then structures', async () => {
    const file = await openStimulusFile({ path: join(dir, 'x.h5'), provenance: PROVENANCE });
    try {
      file.addGroup(groupSpec(FIXTURE_GROUPS[2]!)); // session_100/VISp
      expect(() => file.addGroup(groupSpec(FIXTURE_GROUPS[1]!))).toThrow('ascending (session, structure) order');
      expect(() => file.addGroup(groupSpec(FIXTURE_GROUPS[0]!))).toThrow('ascending (session, structure) order');
    } finally {
      file.discard();
    }
  });

  it('refuses blocks of the wrong type, size or range', async () => {
    const file = await openStimulusFile({ path: join(dir, 'x.h5'), provenance: PROVENANCE });
    try {
      const g = FIXTURE_GROUPS[1]!;
      const spikes = file.addGroup(groupSpec(g));
      const U = g.unitIds.length;
      expect(() => spikes.writePresentations(0, new Uint8Array(g.T * U))).toThrow(TypeError);
      expect(() => spikes.writePresentations(0, new Int8Array(g.T * U + 1))).toThrow(RangeError);
      expect(() => spikes.writePresentations(g.P - 1, new Int8Array(2 * g.T * U))).toThrow(RangeError);
      expect(() => spikes.writeUnits(U, new Int8Array(g.P * g.T))).toThrow(RangeError);
      spikes.writePresentations(1, new Int8Array(g.T * U));
      expect(() => spikes.writePresentations(0, new Int8Array(2 * g.T * U))).toThrow('presentations index 1 written twice');
      expect(() => spikes.writeUnits(0, new Int8Array(g.P * g.T))).toThrow('written along one axis');
    } finally {
      file.discard();
    }
  });

  it('refuses inconsistent group specs before writing anything', async () => {
    const file = await openStimulusFile({ path: join(dir, 'x.h5'), provenance: PROVENANCE });
    try {
      const spec = groupSpec(FIXTURE_GROUPS[1]!);
      expect(() => file.addGroup({ ...spec, presentationIds: [3, 2, 5, 6] })).toThrow('strictly ascending');
      expect(() => file.addGroup({ ...spec, speed: new Float32Array(3) })).toThrow('speed has 3 values');
      expect(() => file.addGroup({ ...spec, structure: 'a/b' })).toThrow('cannot be a group name');
      expect(() => file.addGroup({ ...spec, presentations: { presentation_id: new Float64Array(4) } })).toThrow('cannot be a presentations variable');
    } finally {
      file.discard();
    }
  });

  it('reports an unwritable destination as a StageError', async () => {
    await expect(openStimulusFile({ path: join(dir, 'missing', 'x.h5'), provenance: PROVENANCE })).rejects.toThrow(StageError);
  });
});

describe('reader', () => {
  it('lists groups in file order with their sizes and gaze, and reads spike_data and speed', async () => {
    const path = join(dir, 'x.h5');
    await writeFixtureFile({ path, spikeDtype: 'uint8', mode: 'units' });
    const reader = await openStimulusFileReader(path);
    try {
      expect(reader.groups()).toEqual(
        FIXTURE_GROUPS.map((g) => ({
          sessionId: g.sessionId,
          structure: g.structure,
          nPresentations: g.P,
          nTimes: g.T,
          nUnits: g.unitIds.length,
          spikeDtype: 'uint8',
          hasGaze: g.gaze,
        })),
      );
      for (const g of FIXTURE_GROUPS) {
        const spikes = reader.readSpikeData(g);
        expect(spikes.data).toBeInstanceOf(Uint8Array);
        expect(Array.from(spikes.data)).toEqual(Array.from(spikeTensor(g, 'uint8')));
        expect(Array.from(spikes.timeCentres)).toEqual(Array.from(timeCentres(g)));
        const speed = reader.readSpeed(g);
        expect(speed.shape).toEqual([g.T, g.P]);
        expect(Array.from(speed.data)).toEqual(Array.from(speedValues(g)));
      }
    } finally {
      reader.close();
    }
  });

  it('reports a missing file and a non-HDF5 file as StageErrors', async () => {
    await expect(openStimulusFileReader(join(dir, 'none.h5'))).rejects.toThrow(/no such file/);
    const text = join(dir, 'text.h5');
    fs.writeFileSync(text, 'not hdf5');
    await expect(openStimulusFileReader(text)).rejects.toThrow(StageError);
  });
});
