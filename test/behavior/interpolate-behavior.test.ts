// interpolate_behavior end to end through run(): hand-computed speeds (held ends, NaN gaps),
// gaze in §7 order checked against numpy.interp, sessions without gaze, and the input errors.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Float64, vectorFromArray } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import { writeBinnedIndex, writeTypeMetadata } from '../../stages/binned/bin/binned-files.js';
import { GAZE_VARIABLES } from '../../stages/binned/behavior/behaviour-files.js';
import { interpolateBehavior } from '../../stages/binned/behavior/descriptor.js';
import type { InterpolateBehaviorArgs } from '../../stages/binned/behavior/run.js';
import { stageContext } from '../stage-context.js';
import { HAS_NUMPY, makeWorkspace, numpyLoad, PYTHON, writeArrowFile, type Workspace } from '../bin/fixtures.js';
import { BINNED, runBinSpikes, writeSession } from '../bin/session-fixture.js';

const SESSION = 'data/extract/session_42';
const OUT = 'data/behavior/session_42';
const ARGS: InterpolateBehaviorArgs = { session_dir: SESSION, binned_dir: BINNED, out_dir: OUT };

/** Two bins (centres 0.05, 0.15) and four presentations, so t = start + centre is easy to list. */
const TIME = [0.05, 0.15];
const START = [9.9, 10, 10.2, 10.35];

function writeBinned(ws: Workspace): void {
  const dir = join(ws.dir, BINNED);
  mkdirSync(dir, { recursive: true });
  writeBinnedIndex(dir, { session_id: 42, stimulus_types: ['flashes'] });
  writeTypeMetadata(dir, {
    stimulus_type: 'flashes',
    session_id: 42,
    bin_width: 0.1,
    time: Float64Array.from(TIME),
    presentation_id: Float64Array.of(0, 1, 2, 3),
    unit_id: Float64Array.of(7),
    structure: ['VISp'],
    columns: new Map([
      ['color', Float64Array.of(1, -1, 1, -1)],
      ['start_time', Float64Array.from(START)],
    ]),
  });
}

const f64 = (values: readonly number[]) => vectorFromArray(values, new Float64());

function writeRunning(ws: Workspace, timestamps: number[], velocity: number[]): void {
  writeArrowFile(ws.path(`${SESSION}/running_speed.arrow`), { timestamps: f64(timestamps), velocity: f64(velocity) });
}

const GAZE_TIMES = [10, 10.2, 10.4];

/** Variable k is k × 100 + its sample index, so a swapped variable shows in every value. */
function writeGaze(ws: Workspace, timestamps = GAZE_TIMES): void {
  const columns: Record<string, ReturnType<typeof f64>> = { timestamps: f64(timestamps) };
  GAZE_VARIABLES.forEach((name, k) => {
    columns[name] = f64(timestamps.map((_, i) => k * 100 + i * (k + 1)));
  });
  writeArrowFile(ws.path(`${SESSION}/gaze.arrow`), columns);
}

function writeSessionJson(ws: Workspace, hasGaze: boolean): void {
  writeFileSync(
    ws.path(`${SESSION}/session.json`),
    JSON.stringify({ session_id: 42, session_type: 'brain_observatory_1.1', identifier: '42', has_gaze: hasGaze }),
  );
}

async function runInterpolate(ws: Workspace) {
  const ctx = stageContext({ workspace: ws.dir, args: ARGS, outs: [OUT] });
  await (await interpolateBehavior.load()).run(ctx as never);
  return ctx;
}

/** np.interp(start[None, :] + time[:, None], xp, fp).astype(float32), flattened. */
function numpyInterp(xp: number[], fp: number[]): number[] {
  const script = [
    'import json, sys, numpy as np',
    'd = json.loads(sys.stdin.read())',
    't = np.array(d["start"])[None, :] + np.array(d["time"])[:, None]',
    'xp, fp = (np.array([float(x) for x in d[k]]) for k in ("xp", "fp"))',
    'v = np.interp(t, xp, fp).astype(np.float32).ravel().tolist()',
    'print(json.dumps([repr(x) for x in v]))',
  ].join('\n');
  // Samples travel as text: JSON has no NaN, and String(x) round-trips through Python's float().
  const input = JSON.stringify({ start: START, time: TIME, xp: xp.map(String), fp: fp.map(String) });
  const out = execFileSync(PYTHON, ['-c', script], { input, encoding: 'utf8' });
  return (JSON.parse(out) as string[]).map((s) => (s === 'nan' ? NaN : Number(s)));
}

describe('interpolate_behavior', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = makeWorkspace();
    writeBinned(ws);
  });
  afterEach(() => ws.remove());

  it.skipIf(!HAS_NUMPY)('holds the end values and propagates NaN gaps (speed, float32 (time, presentation))', async () => {
    // Samples at 10.0, 10.1, 10.2, 10.3; the one at 10.2 is missing (NaN).
    writeRunning(ws, [10, 10.1, 10.2, 10.3], [1, 3, NaN, 7]);
    writeSessionJson(ws, false);
    const ctx = await runInterpolate(ws);
    expect(readdirSync(join(ws.dir, OUT))).toEqual(['flashes.speed.npy']);
    const speed = numpyLoad(join(ws.dir, OUT, 'flashes.speed.npy'));
    expect(speed.dtype).toBe('<f4');
    expect(speed.shape).toEqual([2, 4]);
    // t = start + centre:        9.95   10.05  10.25  10.4
    //                            10.05  10.15  10.35  10.5
    // 9.95 is before the first sample (hold 1); 10.05 is halfway from 1 to 3; 10.15 and 10.25
    // have the NaN sample as a neighbour; from 10.3 on the last value (7) is held.
    expect(speed.values).toEqual([1, 2, NaN, 7, 2, NaN, 7, 7]);
    expect(speed.values).toEqual(numpyInterp([10, 10.1, 10.2, 10.3], [1, 3, NaN, 7]));
    expect(ctx.progressEvents.at(-1)).toEqual({ done: 1, total: 1, unit: 'types' });
  });

  it.skipIf(!HAS_NUMPY)('writes the six gaze variables in §7 order as (6, time, presentation), bit for bit as numpy', async () => {
    writeRunning(ws, [0, 100], [5, 5]);
    writeGaze(ws);
    writeSessionJson(ws, true);
    await runInterpolate(ws);
    const gaze = numpyLoad(join(ws.dir, OUT, 'flashes.gaze.npy'));
    expect(gaze.dtype).toBe('<f4');
    expect(gaze.shape).toEqual([6, 2, 4]);
    GAZE_VARIABLES.forEach((name, k) => {
      const fp = GAZE_TIMES.map((_, i) => k * 100 + i * (k + 1));
      expect(gaze.values.slice(k * 8, k * 8 + 8), name).toEqual(numpyInterp(GAZE_TIMES, fp));
    });
    // By hand for raw_eye_area (k = 0: values 0, 1, 2 at 10.0, 10.2, 10.4): t = 9.95 holds 0,
    // t = 10.05 is a quarter of the way to 1.
    expect(gaze.values[0]).toBe(0);
    expect(gaze.values[1]).toBeCloseTo(0.25, 6);
    expect(numpyLoad(join(ws.dir, OUT, 'flashes.speed.npy')).values).toEqual(new Array(8).fill(5));
  });

  it('takes a missing session.json with a gaze file as a session with gaze, and without one as none', async () => {
    writeRunning(ws, [0, 100], [5, 5]);
    await runInterpolate(ws);
    expect(readdirSync(join(ws.dir, OUT))).toEqual(['flashes.speed.npy']);
    writeGaze(ws);
    await runInterpolate(ws);
    expect(readdirSync(join(ws.dir, OUT)).sort()).toEqual(['flashes.gaze.npy', 'flashes.speed.npy']);
  });

  it('reports decreasing timestamps with the series and the file', async () => {
    writeRunning(ws, [10, 10.2, 10.1], [1, 2, 3]);
    writeSessionJson(ws, false);
    const err = (await runInterpolate(ws).catch((e: unknown) => e)) as StageError;
    expect(err).toBeInstanceOf(StageError);
    expect(err.message).toContain(join(ws.dir, SESSION, 'running_speed.arrow'));
    expect(err.message).toMatch(/running_speed: sample times must be non-decreasing, but timestamps\[2\] = 10\.1 follows 10\.2/);

    writeRunning(ws, [0, 100], [5, 5]);
    writeGaze(ws, [10, 9, 11]);
    writeSessionJson(ws, true);
    const gazeErr = (await runInterpolate(ws).catch((e: unknown) => e)) as StageError;
    expect(gazeErr).toBeInstanceOf(StageError);
    expect(gazeErr.message).toContain(join(ws.dir, SESSION, 'gaze.arrow'));
    expect(gazeErr.message).toMatch(/raw_gaze_mapping\/eye_area: sample times must be non-decreasing/);
  });

  it('refuses a session.json that promises gaze without gaze.arrow', async () => {
    writeRunning(ws, [0, 100], [5, 5]);
    writeSessionJson(ws, true);
    await expect(runInterpolate(ws)).rejects.toThrow(/says the session has gaze, but .*gaze\.arrow is missing/);
  });

  it.skipIf(!HAS_NUMPY)('follows bin_spikes: one speed row per bin, one column per presentation of each type', async () => {
    await runBinSpikes(ws, await writeSession(ws));
    writeRunning(ws, [0, 1000], [0, 1000]);
    writeSessionJson(ws, false);
    await runInterpolate(ws);
    const speed = numpyLoad(join(ws.dir, OUT, 'static_gratings.speed.npy'));
    expect(speed.shape).toEqual([14, 2]);
    // velocity = time here, so the speed at (bin j, presentation p) is start_p + centre_j.
    expect(speed.values[0]).toBe(Math.fround(100.01));
    expect(speed.values[13 * 2 + 1]).toBe(Math.fround(101.27));
    expect(numpyLoad(join(ws.dir, OUT, 'natural_movie_one.speed.npy')).shape).toEqual([5, 2]);
  });

  it('describes itself for the engine', () => {
    expect(interpolateBehavior).toMatchObject({ name: 'interpolate_behavior', version: '1', threaded: true });
  });
});
