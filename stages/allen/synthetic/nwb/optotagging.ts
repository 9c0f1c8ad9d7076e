// The optotagging epoch that closes a session (allen-nwb-layout.md §8): light pulses after the
// visual stimuli, stored under /processing/optotagging as a TimeSeries (timestamps = pulse
// starts, data = durations) and a TimeIntervals with condition/level/stimulus_name/duration.
// It is a TimeIntervals outside /intervals with a `stimulus_name` column: readers must not take
// it for a presentation table. 180 pulses in the real examples.

import type { Rng } from '../random.js';
import { scaled } from '../sizing.js';
import { CORE, onePerRow, rowIds, writeDynamicTable, writeTimeSeries, type Nwb } from './conventions.js';

export interface OptoPulses {
  readonly start: Float64Array;
  readonly stop: Float64Array;
  readonly kind: readonly number[];
  readonly level: Float64Array;
}

/** Pulse kinds: (stimulus_name, condition, duration s). Descriptions are this generator's. */
const KINDS: readonly (readonly [string, string, number])[] = [
  ['pulse', 'single square pulse', 0.005],
  ['pulse', 'single square pulse', 0.01],
  ['raised_cosine', 'raised cosine ramp', 1.0],
  ['fast_pulses', 'train of 2.5 ms pulses at 10 Hz', 1.0],
];
const LEVELS = [1.0, 1.3, 1.7, 2.0];

/** Pulses from `t0` on, 1–2 s apart (0.2–0.4 s when `brisk`, for tiny sessions). */
export function drawOptoPulses(opts: { readonly t0: number; readonly scale: number; readonly brisk: boolean; readonly rng: Rng }): OptoPulses {
  const { rng } = opts;
  const n = scaled(180, opts.scale, KINDS.length);
  const start = new Float64Array(n);
  const stop = new Float64Array(n);
  const level = new Float64Array(n);
  const kind: number[] = [];
  let t = opts.t0;
  for (let i = 0; i < n; i++) {
    const k = i % KINDS.length;
    kind.push(k);
    start[i] = t;
    stop[i] = t + (KINDS[k] as readonly [string, string, number])[2];
    level[i] = rng.pick(LEVELS);
    t = (stop[i] as number) + (opts.brisk ? rng.range(0.2, 0.4) : rng.range(1.0, 2.0));
  }
  return { start, stop, kind, level };
}

export function writeOptotagging(nwb: Nwb, pulses: OptoPulses): void {
  const n = pulses.start.length;
  const kinds = pulses.kind.map((k) => KINDS[k] as readonly [string, string, number]);
  const duration = Float64Array.from(kinds, (k) => k[2]);
  nwb.processingModule('/processing/optotagging', 'optogenetic stimulation data');
  const series = '/processing/optotagging/optotagging';
  writeTimeSeries(nwb, series, { data: duration, timestamps: pulses.start, unit: 'seconds' });
  writeDynamicTable(nwb, '/processing/optotagging/optogenetic_stimulation', {
    namespace: CORE,
    type: 'TimeIntervals',
    description: 'optogenetic stimulation epochs',
    ids: rowIds(n),
    columns: [
      { name: 'start_time', description: 'Start time of the interval (s)', kind: 'f64', values: pulses.start },
      { name: 'stop_time', description: 'Stop time of the interval (s)', kind: 'f64', values: pulses.stop },
      { name: 'condition', description: 'No description', kind: 'str', values: kinds.map((k) => k[1]) },
      { name: 'level', description: 'No description', kind: 'f64', values: pulses.level },
      { name: 'stimulus_name', description: 'No description', kind: 'str', values: kinds.map((k) => k[0]) },
      { name: 'duration', description: 'No description', kind: 'f64', values: duration },
      { name: 'tags', description: 'Tags of the interval', kind: 'str', values: new Array<string>(n).fill('optical_stimulation'), index: onePerRow(n) },
      {
        name: 'timeseries',
        description: 'Rows of the optotagging TimeSeries in this interval',
        kind: 'timeseries',
        idxStart: Int32Array.from({ length: n }, (_, i) => i),
        count: new Int32Array(n).fill(1),
        target: series,
        index: onePerRow(n),
      },
    ],
  });
}
