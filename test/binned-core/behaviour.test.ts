import { describe, expect, it } from 'vitest';
import {
  alignGaze,
  alignRunningSpeed,
  describeInputError,
  type RawGazeMappingInput,
} from '../../stages/binned/core/index.js';
import { fromPython, hasNumpy, runPython, toPython } from './helpers/python.js';
import { seeded } from '../random.js';

const f = (...v: number[]) => Float64Array.from(v);

// Two presentations at 10 and 20 s, two bins centred 0.25 and 0.75 s after onset.
const AT = { startTime: f(10, 20), centres: f(0.25, 0.75) };

describe('running speed at bin centres (§7)', () => {
  it('interpolates at start + centre, laid out (time, presentation_id), float32', () => {
    // velocity = t (cm/s) sampled every second from 0 to 30.
    const timestamps = Float64Array.from({ length: 31 }, (_, k) => k);
    const result = alignRunningSpeed({ runningSpeed: { timestamps, data: timestamps.slice() }, at: AT });
    if (!result.ok) throw new Error('unexpected error');
    expect(result.value).toBeInstanceOf(Float32Array);
    // [bin 0: p0, p1, bin 1: p0, p1]
    expect(Array.from(result.value)).toEqual([10.25, 20.25, 10.75, 20.75]);
  });

  it('holds the first and last values outside the sampled range', () => {
    const result = alignRunningSpeed({ runningSpeed: { timestamps: f(15, 16), data: f(1, 2) }, at: AT });
    expect(result.ok && Array.from(result.value)).toEqual([1, 2, 1, 2]);
  });

  it('rounds the float64 value to the nearest float32', () => {
    const result = alignRunningSpeed({ runningSpeed: { timestamps: f(0, 100), data: f(0.1, 0.1) }, at: AT });
    expect(result.ok && result.value[0]).toBe(Math.fround(0.1));
  });

  it('reports decreasing or NaN sample times, naming the series', () => {
    const decreasing = alignRunningSpeed({ runningSpeed: { timestamps: f(0, 2, 1), data: f(0, 0, 0) }, at: AT });
    expect(decreasing).toEqual({
      ok: false,
      error: { kind: 'unordered-timestamps', series: 'processing/running/running_speed', index: 2, previous: 2, value: 1 },
    });
    if (decreasing.ok) throw new Error('expected an error');
    expect(describeInputError(decreasing.error)).toBe(
      'processing/running/running_speed: sample times must be non-decreasing, but timestamps[2] = 1 follows 2',
    );
    const nan = alignRunningSpeed({ runningSpeed: { timestamps: f(0, NaN), data: f(0, 0) }, at: AT });
    expect(!nan.ok && nan.error.kind).toBe('unordered-timestamps');
  });

  it('accepts repeated sample times', () => {
    const result = alignRunningSpeed({ runningSpeed: { timestamps: f(0, 10.25, 10.25, 30), data: f(0, 1, 2, 3) }, at: AT });
    expect(result.ok && result.value[0]).toBe(2);
  });

  it('reports an empty series and a data length mismatch', () => {
    const empty = alignRunningSpeed({ runningSpeed: { timestamps: f(), data: f() }, at: AT });
    expect(!empty.ok && empty.error).toEqual({ kind: 'empty-series', series: 'processing/running/running_speed' });
    const short = alignRunningSpeed({ runningSpeed: { timestamps: f(0, 1), data: f(0) }, at: AT });
    expect(!short.ok && short.error.kind).toBe('length-mismatch');
  });
});

describe('gaze at bin centres (§7)', () => {
  // Samples every 0.5 s from 9.5 to 21; eye_area has a NaN at 10.5.
  const times = Float64Array.from({ length: 24 }, (_, k) => 9.5 + k * 0.5);
  const eye = times.map((t) => (t === 10.5 ? NaN : t));
  const raw: RawGazeMappingInput = {
    eye_area: { timestamps: times, data: eye },
    // Deliberately different timestamps: all six series use eye_area's.
    pupil_area: { timestamps: times.map((t) => t + 100), data: times.map((t) => 2 * t) },
    // Columns are [y, x].
    screen_coordinates: { timestamps: times, data: Float64Array.from(Array.from(times).flatMap((t) => [-t, t])) },
    screen_coordinates_spherical: { timestamps: times, data: Float64Array.from(Array.from(times).flatMap((t) => [-3 * t, 3 * t])) },
  };

  it('is absent unless both raw and filtered gaze mapping exist', () => {
    expect(alignGaze({ rawGazeMapping: raw, hasFilteredGazeMapping: false, at: AT })).toEqual({ ok: true, value: null });
    expect(alignGaze({ rawGazeMapping: null, hasFilteredGazeMapping: true, at: AT })).toEqual({ ok: true, value: null });
  });

  it('interpolates six series over the eye_area timestamps, x from column 1 and y from column 0', () => {
    const result = alignGaze({ rawGazeMapping: raw, hasFilteredGazeMapping: true, at: AT });
    if (!result.ok || !result.value) throw new Error('expected gaze data');
    const g = result.value;
    expect(Array.from(g.raw_pupil_area)).toEqual([20.5, 40.5, 21.5, 41.5]);
    expect(Array.from(g.raw_screen_coordinates_x_cm)).toEqual([10.25, 20.25, 10.75, 20.75]);
    expect(Array.from(g.raw_screen_coordinates_y_cm)).toEqual([-10.25, -20.25, -10.75, -20.75]);
    expect(Array.from(g.raw_screen_coordinates_spherical_x_deg)).toEqual([30.75, 60.75, 32.25, 62.25]);
    expect(Array.from(g.raw_screen_coordinates_spherical_y_deg)).toEqual([-30.75, -60.75, -32.25, -62.25]);
  });

  it('propagates a NaN sample into the bins between its neighbours', () => {
    const result = alignGaze({ rawGazeMapping: raw, hasFilteredGazeMapping: true, at: AT });
    if (!result.ok || !result.value) throw new Error('expected gaze data');
    // 10.25 lies between 10 and 10.5 (NaN), 10.75 between 10.5 (NaN) and 11: both NaN.
    expect(Array.from(result.value.raw_eye_area)).toEqual([NaN, 20.25, NaN, 20.75]);
  });

  it('reports a screen_coordinates dataset of the wrong size', () => {
    const bad = { ...raw, screen_coordinates: { timestamps: times, data: times } };
    const result = alignGaze({ rawGazeMapping: bad, hasFilteredGazeMapping: true, at: AT });
    expect(!result.ok && result.error).toEqual({
      kind: 'length-mismatch',
      table: 'processing/raw_gaze_mapping/screen_coordinates',
      column: 'data',
      expected: 48,
      actual: 24,
    });
  });
});

describe.skipIf(!hasNumpy)('running speed, cross-checked with NumPy', () => {
  it('equals np.interp(start[:, None] + centres, t, v).astype(float32).T', () => {
    const random = seeded(3);
    const n = 400;
    const timestamps = new Float64Array(n);
    const data = new Float64Array(n);
    let t = 5;
    for (let k = 0; k < n; k++) {
      t += 1 / 60 + (random.next() - 0.5) * 1e-3;
      timestamps[k] = t;
      data[k] = random.next() < 0.05 ? NaN : (random.next() - 0.3) * 40;
    }
    const startTime = Float64Array.from({ length: 7 }, () => 4 + random.next() * 8);
    const centres = Float64Array.from({ length: 14 }, (_, j) => j * 0.02 + 0.01);
    const result = alignRunningSpeed({ runningSpeed: { timestamps, data }, at: { startTime, centres } });
    if (!result.ok) throw new Error('unexpected error');
    const script = `
import json, sys
import numpy as np
c = json.load(sys.stdin)
a = lambda k: np.array([float(s) for s in c[k]])
v = np.interp(a('start')[:, None] + a('centres')[None, :], a('t'), a('v')).astype(np.float32).T
print(json.dumps([repr(float(x)) for x in v.ravel()]))`;
    const expected = runPython<string[]>(script, {
      start: toPython(startTime),
      centres: toPython(centres),
      t: toPython(timestamps),
      v: toPython(data),
    });
    expect(toPython(result.value)).toEqual(expected.map((s) => String(fromPython(s))));
  });
});
