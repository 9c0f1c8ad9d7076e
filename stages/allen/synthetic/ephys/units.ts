// Units and their quality metrics (allen-nwb-layout.md §3).
//
// The metric distributions are chosen so that about a third of the units pass AllenSDK's default
// filter, as in the real data (99,180 units → 40,010; 2,779 → ~884 in 715093703): peak channel
// valid and inside a structure, quality "good", amplitude_cutoff ≤ 0.1, presence_ratio ≥ 0.95,
// isi_violations ≤ 0.5, NaN failing (binned-dataset.md §1). A few units are given fixed roles so
// that even a 12-unit session shows every way of failing (and enough units pass).

import type { Rng } from '../random.js';
import { channelsOfProbe, type Channels, type Probe } from './probes.js';

/** Float64 metric columns in writer order (the v2.0.0 `Unit` schema, §3). */
export const METRIC_COLUMNS = [
  'firing_rate', 'snr', 'isi_violations', 'presence_ratio', 'amplitude_cutoff', 'isolation_distance',
  'l_ratio', 'd_prime', 'nn_hit_rate', 'nn_miss_rate', 'max_drift', 'cumulative_drift', 'silhouette_score',
  'waveform_duration', 'waveform_halfwidth', 'PT_ratio', 'repolarization_slope', 'recovery_slope',
  'amplitude', 'spread', 'velocity_above', 'velocity_below',
] as const;
export type MetricName = (typeof METRIC_COLUMNS)[number];

export interface Units {
  readonly count: number;
  readonly id: readonly number[];
  readonly probe: Int32Array;
  /** Row of the peak channel in the electrodes table. */
  readonly peakChannel: Int32Array;
  readonly localIndex: Int32Array;
  readonly clusterId: Int32Array;
  readonly quality: readonly string[];
  /** All metrics but firing_rate, which is filled in once spikes are counted. */
  readonly metrics: Readonly<Record<MetricName, Float64Array>>;
}

type Role = 'pass' | 'noise' | 'invalid-channel' | 'no-structure' | 'nan-metric' | 'bad-cutoff' | 'bad-presence' | 'bad-isi' | 'free';
const FORCED_ROLES: readonly Role[] = ['pass', 'pass', 'pass', 'noise', 'invalid-channel', 'no-structure', 'nan-metric', 'bad-cutoff', 'bad-presence', 'bad-isi'];

export function planUnits(opts: { readonly count: number; readonly probes: readonly Probe[]; readonly channels: Channels; readonly rng: Rng }): Units {
  const { count, probes, channels, rng } = opts;
  const roles: Role[] = Array.from({ length: count }, () => 'free');
  const slots = rng.shuffle(Array.from({ length: count }, (_, i) => i));
  FORCED_ROLES.forEach((role, i) => {
    if (i < slots.length) roles[slots[i] as number] = role;
  });

  // Units per probe, concatenated probe by probe (parse_probes_data order; not sorted by id).
  const weights = probes.map(() => rng.range(0.6, 1.4));
  const wsum = weights.reduce((a, b) => a + b, 0);
  const probeOf = new Int32Array(count);
  {
    let u = 0;
    probes.forEach((_, p) => {
      const n = p === probes.length - 1 ? count - u : Math.round((count * (weights[p] as number)) / wsum);
      for (let k = 0; k < n && u < count; k++) probeOf[u++] = p;
    });
  }

  const metrics = Object.fromEntries(METRIC_COLUMNS.map((m) => [m, new Float64Array(count)])) as Record<MetricName, Float64Array>;
  const id: number[] = [];
  const peakChannel = new Int32Array(count);
  const localIndex = new Int32Array(count);
  const clusterId = new Int32Array(count);
  const quality: string[] = [];
  const probeChannels = probes.map((_, p) => channelsOfProbe(channels, p));
  // Id ranges per probe in shuffled order: unique ids, and the table is not sorted by id.
  const order = rng.shuffle(probes.map((_, p) => p));
  const idBase = probes.map((_, p) => 915_000_000 + (order[p] as number) * 100_000 + 2 * rng.int(1000));
  const cluster = probes.map(() => 0);
  const local = probes.map(() => 0);

  for (let u = 0; u < count; u++) {
    const p = probeOf[u] as number;
    const role = roles[u] as Role;
    peakChannel[u] = pickPeakChannel(channels, probeChannels[p] as number[], role, rng);
    localIndex[u] = local[p] as number;
    local[p] = (local[p] as number) + 1;
    cluster[p] = (cluster[p] as number) + 1 + rng.int(4);
    clusterId[u] = cluster[p] as number;
    id.push((idBase[p] as number) + 2 * (clusterId[u] as number));
    quality.push(role === 'noise' || (role === 'free' && rng.chance(0.1)) ? 'noise' : 'good');
    drawMetrics(metrics, u, role, rng);
  }
  return { count, id, probe: probeOf, peakChannel, localIndex, clusterId, quality, metrics };
}

function pickPeakChannel(channels: Channels, rows: readonly number[], role: Role, rng: Rng): number {
  const valid = (r: number): boolean => channels.valid[r] === 1;
  const located = (r: number): boolean => channels.location[r] !== '' && channels.location[r] !== 'None';
  let pool: number[];
  switch (role) {
    case 'invalid-channel':
      pool = rows.filter((r) => !valid(r));
      break;
    case 'no-structure':
      pool = rows.filter((r) => valid(r) && !located(r));
      break;
    case 'free': {
      // Spikes come from inside the brain; a few units sit on unusable or unassigned channels.
      const x = rng.uniform();
      pool = x < 0.03 ? rows.filter((r) => !valid(r)) : x < 0.07 ? rows.filter((r) => !located(r)) : rows.filter((r) => valid(r) && located(r));
      break;
    }
    default:
      pool = rows.filter((r) => valid(r) && located(r));
  }
  if (pool.length === 0) pool = rows.filter((r) => valid(r) && located(r));
  if (pool.length === 0) pool = [...rows];
  return rng.pick(pool);
}

function drawMetrics(m: Record<MetricName, Float64Array>, u: number, role: Role, rng: Rng): void {
  // Units failing for one chosen reason pass every other test.
  const pass = role !== 'free' && role !== 'nan-metric';
  // The three filtered metrics.
  const acGood = pass || rng.chance(0.58);
  m.amplitude_cutoff[u] = acGood ? rng.range(0.0005, 0.1) : rng.range(0.1001, 0.5);
  m.presence_ratio[u] = pass || rng.chance(0.8) ? Math.min(1, rng.range(0.95, 1.0)) : rng.range(0.4, 0.9499);
  const isi = Math.exp(Math.log(0.05) + 2 * rng.normal());
  m.isi_violations[u] = pass ? Math.min(isi, rng.range(0, 0.5)) : isi;
  if (role === 'nan-metric' || (role === 'free' && rng.chance(0.01))) {
    const which = rng.pick(['amplitude_cutoff', 'isi_violations'] as const);
    m[which][u] = Number.NaN;
  }
  if (role === 'bad-cutoff') m.amplitude_cutoff[u] = rng.range(0.11, 0.5);
  if (role === 'bad-presence') m.presence_ratio[u] = rng.range(0.5, 0.94);
  if (role === 'bad-isi') m.isi_violations[u] = rng.range(0.6, 5);
  const fastSpiking = rng.chance(0.2);
  const nanOr = (p: number, v: number): number => (rng.chance(p) ? Number.NaN : v);
  m.firing_rate[u] = Number.NaN; // set from the spike count
  m.snr[u] = rng.lognormal(Math.log(2.5), 0.4);
  m.isolation_distance[u] = nanOr(0.02, rng.lognormal(Math.log(45), 0.5));
  m.l_ratio[u] = nanOr(0.02, rng.lognormal(Math.log(0.03), 1.2));
  m.d_prime[u] = nanOr(0.02, Math.max(0.5, 4.5 + 1.5 * rng.normal()));
  m.nn_hit_rate[u] = nanOr(0.02, rng.range(0.5, 1));
  m.nn_miss_rate[u] = nanOr(0.02, Math.min(1, rng.lognormal(Math.log(0.01), 1)));
  m.max_drift[u] = nanOr(0.01, rng.lognormal(Math.log(15), 0.6));
  m.cumulative_drift[u] = nanOr(0.01, rng.lognormal(Math.log(150), 0.6));
  m.silhouette_score[u] = nanOr(0.05, 0.1 + 0.05 * rng.normal());
  m.waveform_duration[u] = fastSpiking ? rng.range(0.2, 0.4) : rng.range(0.5, 0.9);
  m.waveform_halfwidth[u] = fastSpiking ? rng.range(0.1, 0.2) : rng.range(0.2, 0.4);
  m.PT_ratio[u] = rng.lognormal(Math.log(0.6), 0.4);
  m.repolarization_slope[u] = rng.lognormal(Math.log(0.5), 0.4);
  m.recovery_slope[u] = -rng.lognormal(Math.log(0.08), 0.5);
  m.amplitude[u] = rng.lognormal(Math.log(120), 0.5);
  m.spread[u] = rng.lognormal(Math.log(60), 0.4);
  m.velocity_above[u] = nanOr(0.3, 0.2 + rng.normal());
  m.velocity_below[u] = nanOr(0.3, 0.5 * rng.normal());
}

/** Does unit `u` pass AllenSDK's default filter (binned-dataset.md §1)? NaN fails. */
export function passesDefaultFilter(units: Units, channels: Channels, u: number): boolean {
  const ch = units.peakChannel[u] as number;
  const location = channels.location[ch] as string;
  const m = units.metrics;
  return (
    channels.valid[ch] === 1 &&
    location !== '' &&
    location !== 'None' &&
    units.quality[u] === 'good' &&
    (m.amplitude_cutoff[u] as number) <= 0.1 &&
    (m.presence_ratio[u] as number) >= 0.95 &&
    (m.isi_violations[u] as number) <= 0.5
  );
}
