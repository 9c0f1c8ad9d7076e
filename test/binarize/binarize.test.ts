// binarize: end to end on bin_spikes' output for the shared tiny session, read back with
// numpy.load; the word-at-a-time 0/1 conversion against the plain rule on every byte value.

import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import { NpyReader } from '../../stages/arrays/npy-reader.js';
import { writeNpy } from '../../stages/arrays/npy-writer.js';
import { binarizeBlock, convertCounts } from '../../stages/binned/binarize/convert.js';
import { binarize } from '../../stages/binned/binarize/descriptor.js';
import type { BinarizeArgs } from '../../stages/binned/binarize/run.js';
import { writeBinnedIndex } from '../../stages/binned/bin/binned-files.js';
import { stageContext } from '../stage-context.js';
import { HAS_NUMPY, makeWorkspace, numpyLoad, type Workspace } from '../bin/fixtures.js';
import { seeded } from '../random.js';
import { BINNED, runBinSpikes, writeSession } from '../bin/session-fixture.js';

const OUT = 'data/binarized/session_42';

/** A hand-written binned directory holding only an index. */
function writeIndex(ws: Workspace, types: string[]): void {
  mkdirSync(join(ws.dir, BINNED), { recursive: true });
  writeBinnedIndex(join(ws.dir, BINNED), { session_id: 42, stimulus_types: types });
}

async function runBinarize(ws: Workspace, extra: Partial<BinarizeArgs> = {}) {
  const ctx = stageContext<BinarizeArgs>({ workspace: ws.dir, args: { in_dir: BINNED, out_dir: OUT, ...extra }, outs: [OUT] });
  await (await binarize.load()).run(ctx as never);
  return ctx;
}

describe('binarize', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = makeWorkspace();
  });
  afterEach(() => ws.remove());

  it.skipIf(!HAS_NUMPY)('writes int8 1 wherever a count is > 0 (255 included) and 0 elsewhere', async () => {
    await runBinSpikes(ws, await writeSession(ws));
    const ctx = await runBinarize(ws);
    expect(readdirSync(join(ws.dir, OUT)).sort()).toEqual(['natural_movie_one.npy', 'static_gratings.npy']);
    const counts = numpyLoad(join(ws.dir, BINNED, 'static_gratings.counts.npy'));
    const binary = numpyLoad(join(ws.dir, OUT, 'static_gratings.npy'));
    expect(binary.dtype).toBe('|i1');
    expect(binary.shape).toEqual([2, 14, 2]);
    expect(counts.values).toContain(255);
    expect(binary.values).toEqual(counts.values.map((c) => (c > 0 ? 1 : 0)));
    // Cells (p=1, j=5, unit 1) = 255 → 1, (p=0, j=2, unit 0) = 1 → 1.
    expect(binary.values[(1 * 14 + 5) * 2 + 1]).toBe(1);
    expect(binary.values.filter((v) => v === 1)).toHaveLength(6);
    expect(ctx.progressEvents.at(-1)).toEqual({ done: 2 * 14 * 2 + 2 * 5 * 2, total: 2 * 14 * 2 + 2 * 5 * 2, unit: 'cells' });
  });

  it.skipIf(!HAS_NUMPY)('keeps the uint8 counts with binarize: false', async () => {
    await runBinSpikes(ws, await writeSession(ws));
    await runBinarize(ws, { binarize: false });
    for (const type of ['static_gratings', 'natural_movie_one']) {
      const kept = numpyLoad(join(ws.dir, OUT, `${type}.npy`));
      expect(kept.dtype).toBe('|u1');
      expect(kept).toEqual(numpyLoad(join(ws.dir, BINNED, `${type}.counts.npy`)));
    }
    expect(numpyLoad(join(ws.dir, OUT, 'static_gratings.npy')).values).toContain(255);
  });

  it('writes nothing for a session whose index lists no type', async () => {
    writeIndex(ws, []);
    await runBinarize(ws);
    expect(readdirSync(join(ws.dir, OUT))).toEqual([]);
  });

  it('refuses a counts file that is not uint8 (presentation, time, unit)', async () => {
    writeIndex(ws, ['flashes']);
    writeNpy({ path: ws.path(`${BINNED}/flashes.counts.npy`), shape: [2, 3], data: new Float32Array(6) });
    const err = await runBinarize(ws).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as StageError).message).toMatch(/flashes\.counts\.npy: expected uint8 .* found <f4 of shape \[2, 3\]/);
  });

  it('maps every byte value in every position of a word, and the unaligned tail', () => {
    for (let shift = 0; shift < 4; shift++) {
      const counts = new Uint8Array(256 * 4 + 3);
      for (let v = 0; v < 256; v++) counts[v * 4 + shift] = v;
      const expected = Array.from(counts, (c) => (c > 0 ? 1 : 0));
      expect(Array.from(binarizeBlock(counts))).toEqual(expected);
    }
    const buffer = new Uint8Array(11).fill(200);
    const unaligned = buffer.subarray(1); // byteOffset 1: the word path cannot be used
    expect(Array.from(binarizeBlock(unaligned))).toEqual(new Array(10).fill(1));
  });

  it('gives the same file for any block size', () => {
    const random = seeded(3);
    const shape = [7, 13, 5];
    const counts = Uint8Array.from({ length: 7 * 13 * 5 }, () => (random.next() < 0.7 ? 0 : random.int(1, 255)));
    const source = ws.path('in.counts.npy');
    writeNpy({ path: source, shape, data: counts });
    for (const blockBytes of [1, 4, 6, 64, 455, 1 << 20]) {
      const target = ws.path(`out-${blockBytes}.npy`);
      const progress: number[] = [];
      convertCounts({ source, target, binarize: true, blockBytes, onProgress: (d) => progress.push(d) });
      const r = NpyReader.open(target);
      expect(r.shape).toEqual(shape);
      expect(Array.from(r.readAs('|i1', 0, r.length)), `block ${blockBytes}`).toEqual(Array.from(counts, (c) => (c > 0 ? 1 : 0)));
      r.close();
      expect(progress.at(-1)).toBe(counts.length);
    }
    // The source is read, never modified.
    expect(Buffer.from(readFileSync(source)).subarray(-counts.length).equals(Buffer.from(counts))).toBe(true);
  });

  it('describes itself for the engine', () => {
    expect(binarize).toMatchObject({ name: 'binarize', version: '1', threaded: true });
  });
});
