// bin_spikes end to end through run(): hand-placed spikes in a tiny session, outputs read back
// with numpy.load. Times are chosen so every expected count can be worked out from §6 by hand.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import { binSpikes } from '../../stages/binned/bin/descriptor.js';
import { readTypeMetadata } from '../../stages/binned/bin/binned-files.js';
import { stageContext } from '../stage-context.js';
import { HAS_NUMPY, makeWorkspace, numpyLoad, writeUnitsNwb, type Workspace } from './fixtures.js';
import { BINNED, PRESENTATIONS, runBinSpikes, UNITS, writeSession } from './session-fixture.js';

const OUT = BINNED;

/** (presentation, time, unit) → value, from a flat C-order array. */
function at(values: readonly (number | null)[], shape: number[], p: number, j: number, u: number): number | null {
  return values[(p * shape[1]! + j) * shape[2]! + u]!;
}

/** The non-zero cells as "p,j,u=value", for compact exact comparisons. */
function nonZero(values: readonly (number | null)[], shape: number[]): string[] {
  const cells: string[] = [];
  for (let p = 0; p < shape[0]!; p++)
    for (let j = 0; j < shape[1]!; j++)
      for (let u = 0; u < shape[2]!; u++) {
        const v = at(values, shape, p, j, u);
        if (v !== 0) cells.push(`${p},${j},${u}=${v}`);
      }
  return cells;
}

describe('bin_spikes', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = makeWorkspace();
  });
  afterEach(() => ws.remove());

  it.skipIf(!HAS_NUMPY)('counts hand-placed spikes per §6 (inner edges twice, 14 bins, saturation at 255)', async () => {
    const ctx = await runBinSpikes(ws, await writeSession(ws));
    const a = numpyLoad(join(ws.dir, OUT, 'static_gratings.counts.npy'));
    expect(a.dtype).toBe('|u1');
    // 2 presentations (the blank is dropped), 14 bins for 0.25 s stimuli, 2 kept units.
    expect(a.shape).toEqual([2, 14, 2]);
    expect(nonZero(a.values, a.shape)).toEqual([
      // Unit 12 (session position 0): 100.005 in bin 0; 100.06 on the inner edge → bins 2 and 3;
      // 100.275 in bin 13, past the stop (100.2502): non-movies are not clipped.
      '0,0,0=1',
      '0,2,0=1',
      '0,3,0=1',
      '0,13,0=1',
      // Unit 10 (position 1): 101.0 is the first bound of presentation 4; 300 spikes in bin 5.
      '1,0,1=1',
      '1,5,1=255',
    ]);
    expect(ctx.progressEvents.at(-1)).toEqual({ done: 2, total: 2, unit: 'units' });
  });

  it.skipIf(!HAS_NUMPY)('clips movie bins at the stop time', async () => {
    await runBinSpikes(ws, await writeSession(ws));
    const a = numpyLoad(join(ws.dir, OUT, 'natural_movie_one.counts.npy'));
    expect(a.shape).toEqual([2, 5, 2]);
    expect(nonZero(a.values, a.shape)).toEqual([
      '0,0,0=1', // 200.01
      '0,4,1=1', // 200.09
      // Repeat 8 stops at 201.05: bin 2 is [201.04, 201.05] and bins 3, 4 are [201.05, 201.05],
      // so a spike exactly at the stop counts in all three; 201.07 is after the stop: nowhere.
      '1,1,1=1', // 201.03
      '1,2,0=1',
      '1,3,0=1',
      '1,4,0=1',
    ]);
  });

  it('writes the metadata and an index of the types with data only', async () => {
    await runBinSpikes(ws, await writeSession(ws));
    const out = join(ws.dir, OUT);
    expect(readdirSync(out).sort()).toEqual([
      'index.json',
      'natural_movie_one.counts.npy',
      'natural_movie_one.json',
      'static_gratings.counts.npy',
      'static_gratings.json',
    ]);
    expect(JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'))).toEqual({ session_id: 42, stimulus_types: ['natural_movie_one', 'static_gratings'] });

    const sg = JSON.parse(readFileSync(join(out, 'static_gratings.json'), 'utf8')) as Record<string, unknown>;
    expect(sg).toMatchObject({ stimulus_type: 'static_gratings', session_id: 42, bin_width: 0.02, presentation_id: [3, 4], unit_id: [12, 10], structure: ['VISp', 'CA1'] });
    const time = sg.time as number[];
    expect(time).toHaveLength(14);
    expect(time[0]).toBe(0.01);
    expect(time[13]).toBe(0.27);
    expect(sg.columns).toEqual({
      phase: [0.5, 0],
      spatial_frequency: [0.04, 0.08],
      orientation: [0, 90],
      stimulus_block: [1, 1],
      start_time: [100, 101],
      stop_time: [100.2502, 101.2502],
      duration: [0.2502, 0.2502],
    });
    const movie = readTypeMetadata(out, 'natural_movie_one');
    expect(Array.from(movie.columns.get('frame')!)).toEqual([NaN, NaN]);
    expect(JSON.parse(readFileSync(join(out, 'natural_movie_one.json'), 'utf8')).columns.frame).toEqual([null, null]);
  });

  it('bins only the requested stimulus types, and writes an empty index when none has rows', async () => {
    const args = await writeSession(ws);
    await runBinSpikes(ws, { ...args, stimulus_types: ['natural_scenes', 'gabors'] });
    expect(readdirSync(join(ws.dir, OUT))).toEqual(['index.json']);
    expect(JSON.parse(readFileSync(join(ws.dir, OUT, 'index.json'), 'utf8'))).toEqual({ session_id: 42, stimulus_types: [] });
  });

  it('keeps ±infinity in the metadata and reads it back', async () => {
    const presentations = PRESENTATIONS.map((r) => (r.presentation_id === 3 ? { ...r, params: { ...r.params, spatial_frequency: Infinity } } : r));
    await runBinSpikes(ws, await writeSession(ws, { presentations }));
    const m = readTypeMetadata(join(ws.dir, OUT), 'static_gratings');
    expect(Array.from(m.columns.get('spatial_frequency')!)).toEqual([Infinity, 0.08]);
  });

  it('takes a custom relevant-parameter table, keeping the movie grouping for the stimuli it lists', async () => {
    const args = await writeSession(ws);
    await runBinSpikes(ws, { ...args, relevant_parameters: { static_gratings: ['orientation'], natural_movie_one: ['frame'] } });
    const out = join(ws.dir, OUT);
    expect(JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')).stimulus_types).toEqual(['natural_movie_one', 'static_gratings']);
    expect([...readTypeMetadata(out, 'static_gratings').columns.keys()]).toEqual(['orientation', 'stimulus_block', 'start_time', 'stop_time', 'duration']);
  });

  it('orders presentations by id whatever the file order, and refuses duplicate ids', async () => {
    const counts = () => readFileSync(join(ws.dir, OUT, 'static_gratings.counts.npy'));
    await runBinSpikes(ws, await writeSession(ws));
    const inOrder = counts();
    const args = await writeSession(ws, { presentations: [...PRESENTATIONS].reverse() });
    await runBinSpikes(ws, args);
    expect(Array.from(readTypeMetadata(join(ws.dir, OUT), 'static_gratings').presentation_id)).toEqual([3, 4]);
    expect(counts().equals(inOrder)).toBe(true);
    await writeSession(ws, { presentations: [...PRESENTATIONS, { ...PRESENTATIONS[0]!, start_time: 300, stop_time: 300.2502 }] });
    await expect(runBinSpikes(ws, args)).rejects.toThrow(/presentation_id 3 appears twice/);
  });

  it('writes only an empty index for a session without kept units (§1: no groups)', async () => {
    const args = await writeSession(ws, { units: UNITS.map((u) => ({ ...u, order: null })) });
    const ctx = await runBinSpikes(ws, args);
    expect(readdirSync(join(ws.dir, OUT))).toEqual(['index.json']);
    expect(JSON.parse(readFileSync(join(ws.dir, OUT, 'index.json'), 'utf8'))).toEqual({ session_id: 42, stimulus_types: [] });
    expect(ctx.lines).toEqual(['no kept units in data/extract/session_42/units.arrow: no stimulus type has data']);
  });

  it('writes only to its declared output', async () => {
    const args = await writeSession(ws);
    const ctx = stageContext({ workspace: ws.dir, args: { ...args, out_dir: 'data/elsewhere' }, outs: [OUT] });
    await expect((await binSpikes.load()).run(ctx as never)).rejects.toThrow(/out_dir 'data\/elsewhere' is not one of the stage's declared outputs/);
    const slash = stageContext({ workspace: ws.dir, args: { ...args, out_dir: `${OUT}/` }, outs: [OUT] });
    await (await binSpikes.load()).run(slash as never);
    expect(existsSync(join(ws.dir, OUT, 'index.json'))).toBe(true);
  });

  it('rejects an unknown stimulus type, a units table of another file and unsorted spikes', async () => {
    const args = await writeSession(ws);
    await expect(runBinSpikes(ws, { ...args, stimulus_types: ['gratings'] })).rejects.toThrow(/gratings is not an output type/);

    const other = UNITS.map((u) => (u.unit_id === 12 ? { ...u, unit_id: 99 } : u));
    await writeUnitsNwb(ws.path(args.nwb), other);
    await expect(runBinSpikes(ws, args)).rejects.toThrow(/unit 12 \(NWB row 2\) is not in/);

    const unsorted = UNITS.map((u) => (u.unit_id === 10 ? { ...u, spikes: [201.03, 101] } : u));
    await writeUnitsNwb(ws.path(args.nwb), unsorted);
    const err = await runBinSpikes(ws, args).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as StageError).message).toMatch(/spike_times of unit 10 \(row 0\) are not ascending/);
  });

  it('stops between units when the signal is aborted', async () => {
    const args = await writeSession(ws);
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    const ctx = stageContext({ workspace: ws.dir, args, outs: [OUT], signal: controller.signal });
    await expect((await binSpikes.load()).run(ctx as never)).rejects.toThrow('interrupted');
    expect(existsSync(join(ws.dir, OUT, 'index.json'))).toBe(false);
  });

  it('describes itself for the engine', () => {
    expect(binSpikes).toMatchObject({ name: 'bin_spikes', version: '1', threaded: true });
    expect(binSpikes.module).toMatch(/\/stages\/binned\/bin\/run\.(js|ts)$/);
  });
});
