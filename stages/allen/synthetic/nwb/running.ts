// Running wheel data (allen-nwb-layout.md §6): one sample per stimulus frame interval (~60 Hz).
// running_speed holds the mean velocity of each interval at its start time; running_speed_end_times
// the same intervals' end times with all-NaN data; running_wheel_rotation the net rotation with
// its timestamps a soft link to running_speed's. The raw wheel signals in /acquisition are per
// frame, with the voltages' timestamps linked to raw_running_wheel_rotation's.
//
// Behaviour: the mouse alternates rest (≈0 cm/s) and running bouts (10–40 cm/s), speed relaxing
// smoothly towards the bout target, plus encoder noise.

import type { Rng } from '../random.js';
import { DISPLAY_FRAME_S } from '../timeline/catalog.js';
import { writeTimeSeries, type Nwb } from './conventions.js';

export const RUNNING_SPEED = '/processing/running/running_speed';
const WHEEL_RADIUS_CM = 6.5;

export function writeRunning(nwb: Nwb, opts: { readonly from: number; readonly to: number; readonly rng: Rng }): void {
  const { rng } = opts;
  const frames = Math.max(3, Math.floor((opts.to - opts.from) / DISPLAY_FRAME_S));
  const frameTime = new Float64Array(frames);
  for (let i = 0; i < frames; i++) frameTime[i] = opts.from + i * DISPLAY_FRAME_S + rng.range(-2e-5, 2e-5);

  const intervals = frames - 1;
  const velocity = new Float64Array(intervals);
  const rotation = new Float64Array(intervals);
  let v = 0;
  let running = false;
  let target = 0;
  for (let i = 0; i < intervals; i++) {
    if (running ? rng.chance(1 / (30 * 60)) : rng.chance(1 / (20 * 60))) {
      running = !running;
      target = running ? rng.range(10, 40) : 0;
    }
    v += (target - v) * 0.02 + 0.3 * rng.normal();
    const dt = (frameTime[i + 1] as number) - (frameTime[i] as number);
    velocity[i] = v;
    rotation[i] = (v * dt) / WHEEL_RADIUS_CM;
  }

  nwb.processingModule('/processing/running', 'running speed data');
  writeTimeSeries(nwb, RUNNING_SPEED, { data: velocity, timestamps: frameTime.slice(0, intervals), unit: 'cm/s' });
  writeTimeSeries(nwb, '/processing/running/running_speed_end_times', {
    data: new Float64Array(intervals).fill(Number.NaN),
    timestamps: frameTime.slice(1),
    unit: 'cm/s',
  });
  writeTimeSeries(nwb, '/processing/running/running_wheel_rotation', {
    data: rotation,
    timestamps: { link: `${RUNNING_SPEED}/timestamps` },
    unit: 'radians',
  });

  // Raw per-frame signals: rotation since the previous frame, encoder and supply voltages.
  const dx = new Float64Array(frames);
  const signal = new Float64Array(frames);
  const supply = new Float64Array(frames);
  let angle = 0;
  for (let i = 0; i < frames; i++) {
    dx[i] = i === 0 ? 0 : (rotation[i - 1] as number) + 1e-4 * rng.normal();
    angle += dx[i] as number;
    supply[i] = 4.9 + 0.005 * rng.normal();
    signal[i] = ((((angle / (2 * Math.PI)) % 1) + 1) % 1) * (supply[i] as number);
  }
  const raw = '/acquisition/raw_running_wheel_rotation';
  writeTimeSeries(nwb, raw, { data: dx, timestamps: frameTime, unit: 'radians' });
  writeTimeSeries(nwb, '/acquisition/running_wheel_signal_voltage', { data: signal, timestamps: { link: `${raw}/timestamps` }, unit: 'V' });
  writeTimeSeries(nwb, '/acquisition/running_wheel_supply_voltage', { data: supply, timestamps: { link: `${raw}/timestamps` }, unit: 'V' });
}
