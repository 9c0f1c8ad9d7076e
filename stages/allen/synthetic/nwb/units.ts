// The /units table (allen-nwb-layout.md §3): metadata and metric columns, then the three big
// ragged columns spike_times, spike_amplitudes (float64, one value per spike) and waveform_mean
// ((units·channels) × 82, one block of channel rows per unit).
//
// The big columns are preallocated at their exact size (spike counts are drawn first, see
// ../spikes/generate.ts) and streamed in fixed-size chunks, so memory stays bounded whatever the
// session size: ~2,800 units, ~10^8 spikes and ~0.7 GB of waveforms at full scale.

import type { Channels } from '../ephys/probes.js';
import { METRIC_COLUMNS, type Units } from '../ephys/units.js';
import { Rng } from '../random.js';
import type { SpikeModel } from '../spikes/generate.js';
import type { UnitTuning } from '../spikes/tuning.js';
import { CORE, writeDynamicTable, type Column, type Nwb } from './conventions.js';

export const WAVEFORM_SAMPLES = 82;
/** Values per write_slice of the spike columns (32 MB of float64). */
const SPIKE_CHUNK = 1 << 22;
/** Units per write_slice of waveform_mean. */
const WAVEFORM_BATCH = 64;

export interface UnitsInput {
  readonly units: Units;
  readonly channels: Channels;
  /** Electrode rows per probe: the rows of waveform_mean per unit. */
  readonly channelsPerProbe: number;
  readonly tunings: readonly UnitTuning[];
  /** Spike count per unit (drawn by SpikeModel.count). */
  readonly counts: Float64Array;
  readonly model: SpikeModel;
  readonly sessionSeconds: number;
  readonly seed: number;
  readonly onUnit?: (done: number, total: number) => void;
}

export function writeUnits(nwb: Nwb, input: UnitsInput): { readonly spikes: number } {
  const { units, channels, counts } = input;
  const n = units.count;
  const perUnitChannels = input.channelsPerProbe;
  const ends = new BigInt64Array(n);
  let total = 0;
  for (let u = 0; u < n; u++) {
    total += counts[u] as number;
    ends[u] = BigInt(total);
  }
  const firingRate = Float64Array.from(counts, (c) => c / input.sessionSeconds);
  const i64 = (f: (u: number) => number): BigInt64Array => BigInt64Array.from({ length: n }, (_, u) => BigInt(f(u)));
  const metricColumns: Column[] = METRIC_COLUMNS.map((name) => ({
    name,
    description: 'no description',
    kind: 'f64',
    values: name === 'firing_rate' ? firingRate : units.metrics[name],
  }));
  writeDynamicTable(nwb, '/units', {
    namespace: CORE,
    type: 'Units',
    description: '',
    ids: BigInt64Array.from(units.id, BigInt),
    columns: [
      { name: 'peak_channel_id', description: 'no description', kind: 'i64', values: i64((u) => channels.id[units.peakChannel[u] as number] as number) },
      { name: 'local_index', description: 'no description', kind: 'i64', values: i64((u) => units.localIndex[u] as number) },
      { name: 'cluster_id', description: 'no description', kind: 'i64', values: i64((u) => units.clusterId[u] as number) },
      { name: 'quality', description: 'no description', kind: 'str', values: units.quality },
      ...metricColumns,
      { name: 'spike_times', description: 'times (s) of detected spiking events', kind: 'prealloc', rows: total, index: ends },
      { name: 'spike_amplitudes', description: 'amplitude (s) of detected spiking events', kind: 'prealloc', rows: total, index: ends },
      {
        name: 'waveform_mean',
        description: 'mean waveforms on peak channels (and over samples)',
        kind: 'prealloc',
        rows: n * perUnitChannels,
        width: WAVEFORM_SAMPLES,
        index: BigInt64Array.from({ length: n }, (_, u) => BigInt((u + 1) * perUnitChannels)),
      },
    ],
  });
  writeSpikes(nwb, input, total);
  writeWaveforms(nwb, input, perUnitChannels);
  return { spikes: total };
}

function writeSpikes(nwb: Nwb, input: UnitsInput, total: number): void {
  const { units, counts, model, tunings } = input;
  const times = new Float64Array(Math.min(SPIKE_CHUNK, Math.max(1, total)));
  const amps = new Float64Array(times.length);
  let unitTimes = new Float64Array(1024);
  let unitAmps = new Float64Array(1024);
  let fill = 0;
  let written = 0;
  const flush = (): void => {
    nwb.h5.writeRows('/units/spike_times', written, times.subarray(0, fill));
    nwb.h5.writeRows('/units/spike_amplitudes', written, amps.subarray(0, fill));
    written += fill;
    fill = 0;
  };
  for (let u = 0; u < units.count; u++) {
    const n = counts[u] as number;
    if (unitTimes.length < n) {
      unitTimes = new Float64Array(n);
      unitAmps = new Float64Array(n);
    }
    model.place(u, tunings[u] as UnitTuning, n, (units.metrics.amplitude[u] as number) * 1e-6, unitTimes, unitAmps);
    for (let k = 0; k < n; ) {
      const take = Math.min(n - k, times.length - fill);
      times.set(unitTimes.subarray(k, k + take), fill);
      amps.set(unitAmps.subarray(k, k + take), fill);
      fill += take;
      k += take;
      if (fill === times.length) flush();
    }
    input.onUnit?.(u + 1, units.count);
  }
  if (fill > 0) flush();
  if (written !== total) throw new Error(`wrote ${written} spikes, expected ${total}`);
}

/**
 * Mean waveform of each unit on every channel of its probe (µV [INF]): a trough ~0.7 ms into the
 * 82 samples (30 kHz) followed by a peak of PT_ratio × the trough, scaled by distance from the
 * peak channel over the unit's spread, plus a little noise.
 */
function writeWaveforms(nwb: Nwb, input: UnitsInput, perUnitChannels: number): void {
  const { units, channels } = input;
  const rowsPerUnit = perUnitChannels * WAVEFORM_SAMPLES;
  const buf = new Float64Array(WAVEFORM_BATCH * rowsPerUnit);
  const shape = new Float64Array(WAVEFORM_SAMPLES);
  for (let u0 = 0; u0 < units.count; u0 += WAVEFORM_BATCH) {
    const u1 = Math.min(units.count, u0 + WAVEFORM_BATCH);
    for (let u = u0; u < u1; u++) {
      const rng = Rng.of(input.seed, 'waveform', u);
      const m = units.metrics;
      const amplitude = m.amplitude[u] as number;
      const spread = m.spread[u] as number;
      const width = 1 + 3 * (m.waveform_duration[u] as number);
      const pt = m.PT_ratio[u] as number;
      const trough = 20 + rng.int(4);
      for (let s = 0; s < WAVEFORM_SAMPLES; s++) {
        const a = (s - trough) / width;
        const b = (s - trough - 3 * width) / (2 * width);
        shape[s] = -Math.exp(-0.5 * a * a) + pt * Math.exp(-0.5 * b * b);
      }
      const peak = units.peakChannel[u] as number;
      const probeFirstRow = peak - (peak % perUnitChannels);
      const base = (u - u0) * rowsPerUnit;
      for (let c = 0; c < perUnitChannels; c++) {
        const row = probeFirstRow + c;
        const dist = Math.abs((channels.vertical[row] as number) - (channels.vertical[peak] as number)) + 0.5 * Math.abs((channels.horizontal[row] as number) - (channels.horizontal[peak] as number));
        const scale = amplitude * Math.exp(-dist / spread);
        const off = base + c * WAVEFORM_SAMPLES;
        for (let s = 0; s < WAVEFORM_SAMPLES; s++) buf[off + s] = scale * (shape[s] as number) + (rng.uniform() - 0.5);
      }
    }
    nwb.h5.writeRows('/units/waveform_mean', u0 * perUnitChannels, buf.subarray(0, (u1 - u0) * rowsPerUnit), WAVEFORM_SAMPLES);
  }
}
