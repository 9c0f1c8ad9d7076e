// `pipe access`: one .npy per session for a stimulus and a structure, checked with numpy.load.

import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import { accessStimulusStructure, type AccessData } from '../../stages/binned/output/index.js';
import { FIXTURE_GROUPS, makeTempDir, speedValues, spikeTensor, writeFixtureFile, type FixtureGroup } from './fixtures.js';
import { runPython } from './python.js';

interface NpyView {
  dtype: string;
  shape: number[];
  values: number[];
}

let dir: string;
let cleanup: () => Promise<void>;
let dataDir: string;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  dataDir = join(dir, '02_stimulus_types');
  await import('node:fs/promises').then((fs) => fs.mkdir(dataDir));
  await writeFixtureFile({ path: join(dataDir, 'gabors.h5') });
  await writeFixtureFile({ path: join(dataDir, 'flashes.h5'), compression: { kind: 'none' }, spikeDtype: 'uint8' });
  await writeFixtureFile({ path: join(dataDir, 'natural_scenes.h5'), groups: [FIXTURE_GROUPS[1]!] });
});
afterAll(() => cleanup());

/** spike_data (p, t, u) → (u, p, t). */
function transposedSpikes(g: FixtureGroup, dtype: 'int8' | 'uint8'): number[] {
  const tensor = spikeTensor(g, dtype);
  const U = g.unitIds.length;
  const out: number[] = [];
  for (let u = 0; u < U; u++) for (let p = 0; p < g.P; p++) for (let t = 0; t < g.T; t++) out.push(tensor[(p * g.T + t) * U + u]!);
  return out;
}

/** speed (t, p) → (p, t). */
function transposedSpeed(g: FixtureGroup): number[] {
  const speed = speedValues(g);
  const out: number[] = [];
  for (let p = 0; p < g.P; p++) for (let t = 0; t < g.T; t++) out.push(speed[t * g.P + p]!);
  return out;
}

describe('accessStimulusStructure', () => {
  it.each<[string, 'int8' | 'uint8', number | undefined]>([
    ['gabors', 'int8', undefined],
    // Contiguous storage and a one-unit memory budget: the transposition runs block by block.
    ['flashes', 'uint8', 1],
  ])('writes spike_data of %s as (unit_id, presentation_id, time), one file per session', async (stimulus, dtype, blockBytes) => {
    const outDir = join(dir, `out-${stimulus}`);
    const visp = FIXTURE_GROUPS.filter((g) => g.structure === 'VISp');
    const written = await accessStimulusStructure({ dataDir, stimulus, structure: 'VISp', outDir, data: 'spike_data', ...(blockBytes ? { blockBytes } : {}) });
    expect(written.map((w) => w.sessionId)).toEqual([7, 100]);
    expect((await readdir(outDir)).sort()).toEqual([`session_100-${stimulus}-VISp-spike_data.npy`, `session_7-${stimulus}-VISp-spike_data.npy`]);
    const loaded = await runPython<Record<string, NpyView>>('npy_load.py', written.map((w) => w.path));
    visp.forEach((g, i) => {
      const view = loaded[written[i]!.path]!;
      expect(view.dtype).toBe(dtype === 'int8' ? '|i1' : '|u1');
      expect(view.shape).toEqual([g.unitIds.length, g.P, g.T]);
      expect(view.values).toEqual(transposedSpikes(g, dtype));
    });
  });

  it('writes speed as (presentation_id, time) float32', async () => {
    const outDir = join(dir, 'out-speed');
    const written = await accessStimulusStructure({ dataDir, stimulus: 'gabors', structure: 'CA1', outDir, data: 'speed' });
    const g = FIXTURE_GROUPS[1]!;
    expect(written).toEqual([{ sessionId: 100, path: join(outDir, 'session_100-gabors-CA1-speed.npy'), dtype: '<f4', shape: [g.P, g.T] }]);
    const loaded = await runPython<Record<string, NpyView>>('npy_load.py', [written[0]!.path]);
    expect(loaded[written[0]!.path]).toEqual(expect.objectContaining({ dtype: '<f4', shape: [g.P, g.T], values: transposedSpeed(g) }));
  });

  it('defaults to spike_data and leaves no temporary files', async () => {
    const outDir = join(dir, 'out-default');
    const written = await accessStimulusStructure({ dataDir, stimulus: 'natural_scenes', structure: 'CA1', outDir });
    expect(written.map((w) => w.path)).toEqual([join(outDir, 'session_100-natural_scenes-CA1-spike_data.npy')]);
    expect(await readdir(outDir)).toEqual(['session_100-natural_scenes-CA1-spike_data.npy']);
  });

  it('lists the available stimuli for an unknown stimulus', async () => {
    const call = accessStimulusStructure({ dataDir, stimulus: 'gratings', structure: 'VISp', outDir: join(dir, 'x') });
    await expect(call).rejects.toThrow(StageError);
    await expect(call).rejects.toThrow(`no stimulus "gratings" in ${dataDir}; available: flashes, gabors, natural_scenes`);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('lists the structures of that stimulus for an unknown structure', async () => {
    const call = accessStimulusStructure({ dataDir, stimulus: 'natural_scenes', structure: 'VISp', outDir: join(dir, 'x') });
    await expect(call).rejects.toThrow(StageError);
    await expect(call).rejects.toThrow('no structure "VISp" in stimulus natural_scenes; available: CA1');
  });

  it('refuses unknown data and a missing data directory', async () => {
    await expect(
      accessStimulusStructure({ dataDir, stimulus: 'gabors', structure: 'VISp', outDir: join(dir, 'x'), data: 'pupil' as AccessData }),
    ).rejects.toThrow('unknown data "pupil"; available: spike_data, speed');
    await expect(accessStimulusStructure({ dataDir: join(dir, 'nope'), stimulus: 'gabors', structure: 'VISp', outDir: join(dir, 'x') })).rejects.toThrow(
      StageError,
    );
  });
});
