// Probes and channels (allen-nwb-layout.md §4): six Neuropixels 1.0 probes named probeA..probeF,
// each aimed at one visual area (A=AM, B=PM, C=V1, D=LM, E=AL, F=RL), 384 channels each, one
// electrodes row per physical channel including invalid ones.
//
// Geometry is the Neuropixels 1.0 checkerboard: channel i sits at vertical 20·(⌊i/2⌋+1) µm and
// horizontal 43, 11, 59, 27 µm for i mod 4 = 0..3 (20..3840 µm; §4.1). Structures are stacked by
// depth from the tip: thalamus/midbrain, hippocampus, the target cortical area, then channels
// outside the brain, whose `location` is "" (one probe has a short band of "None", which
// AllenSDK also reads as "no structure"). CCF x/y are NaN outside the brain and `z` duplicates
// `y` (the AllenSDK #1796 bug the released files have).

import type { Rng } from '../random.js';
import { CHANNELS_PER_PROBE } from '../sizing.js';

export interface Probe {
  readonly name: string;
  readonly id: number;
  readonly samplingRate: number;
  readonly lfpSamplingRate: number;
  readonly hasLfpData: boolean;
}

/** The electrodes table, one row per channel, probe by probe. */
export interface Channels {
  readonly count: number;
  readonly id: readonly number[];
  readonly probe: Int32Array;
  readonly localIndex: Int32Array;
  readonly vertical: Int32Array;
  readonly horizontal: Int32Array;
  readonly location: readonly string[];
  readonly valid: Int8Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
}

const PROBE_TARGETS: readonly (readonly [string, string])[] = [
  ['probeA', 'VISam'],
  ['probeB', 'VISpm'],
  ['probeC', 'VISp'],
  ['probeD', 'VISl'],
  ['probeE', 'VISal'],
  ['probeF', 'VISrl'],
];

const DEEP_STRUCTURES: readonly string[] = ['LGd', 'LP', 'LGv', 'PO', 'Eth', 'APN', 'MB', 'TH'];
const HIPPOCAMPUS: readonly string[] = ['CA1', 'CA3', 'DG', 'SUB', 'ProS'];

/** Reference channels of the Neuropixels 1.0 probe, never usable (valid_data FALSE) [INF]. */
const REFERENCE_CHANNELS = new Set([36, 75, 112, 151, 188, 191, 227, 264, 303, 340, 379]);

const HORIZONTAL_UM = [43, 11, 59, 27] as const;

export function planProbes(rng: Rng): Probe[] {
  const base = 800_000_000 + rng.int(50_000_000);
  return PROBE_TARGETS.map(([name], i) => ({
    name,
    id: base + 2 * i + rng.int(2) * 16,
    samplingRate: 29_999.9 + rng.range(0, 0.1),
    lfpSamplingRate: 1249.99 + rng.range(0, 0.02),
    hasLfpData: !rng.chance(0.1),
  }));
}

export function planChannels(opts: { readonly probes: readonly Probe[]; readonly channelsPerProbe: number; readonly rng: Rng }): Channels {
  const { probes, channelsPerProbe, rng } = opts;
  const stride = CHANNELS_PER_PROBE / channelsPerProbe;
  if (!Number.isInteger(stride)) throw new Error(`channelsPerProbe must divide ${CHANNELS_PER_PROBE}`);
  const n = probes.length * channelsPerProbe;
  const ch = {
    id: [] as number[],
    probe: new Int32Array(n),
    localIndex: new Int32Array(n),
    vertical: new Int32Array(n),
    horizontal: new Int32Array(n),
    location: [] as string[],
    valid: new Int8Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
  };
  const noneProbe = rng.int(probes.length);
  const idBlock = rng.shuffle(probes.map((_, p) => p));
  let row = 0;
  for (let p = 0; p < probes.length; p++) {
    const target = (PROBE_TARGETS[p] as readonly [string, string])[1];
    // Depths (µm along the shank) where the structures change, from the tip upwards.
    // The top channel present stays outside the brain (and usable), so every probe has one.
    const topVertical = 20 * (Math.floor(((channelsPerProbe - 1) * stride) / 2) + 1);
    const surface = rng.range(2900, Math.min(3500, topVertical - 1));
    const cortexBottom = surface - rng.range(800, 1100);
    const hippoBottom = cortexBottom - rng.range(600, 1000);
    const deep = rng.pick(DEEP_STRUCTURES);
    const hippo = [rng.pick(HIPPOCAMPUS), rng.pick(HIPPOCAMPUS)];
    const idBase = 849_000_000 + (idBlock[p] as number) * 10_000 + 2 * rng.int(1000);
    const ap = rng.range(7000, 9600);
    const dvSurface = rng.range(300, 900);
    // A few more unusable channels, drawn among the channels present (so tiny sessions have some).
    const extraInvalid = new Set(Array.from({ length: 1 + rng.int(3) }, () => rng.int(channelsPerProbe - 1) * stride));
    for (let k = 0; k < channelsPerProbe; k++, row++) {
      const local = k * stride;
      const vertical = 20 * (Math.floor(local / 2) + 1);
      let location: string;
      if (vertical > surface) location = p === noneProbe && vertical < surface + 200 ? 'None' : '';
      else if (vertical > cortexBottom) location = target;
      else if (vertical > hippoBottom) location = vertical > (hippoBottom + cortexBottom) / 2 ? (hippo[0] as string) : (hippo[1] as string);
      else location = vertical < hippoBottom - 400 && rng.chance(0.3) ? 'grey' : deep;
      const inBrain = location !== '' && location !== 'None';
      ch.id.push(idBase + 2 * local);
      ch.probe[row] = p;
      ch.localIndex[row] = local;
      ch.vertical[row] = vertical;
      ch.horizontal[row] = HORIZONTAL_UM[local % 4] as number;
      ch.location.push(location);
      ch.valid[row] = REFERENCE_CHANNELS.has(local) || extraInvalid.has(local) ? 0 : 1;
      ch.x[row] = inBrain ? ap + rng.range(-20, 20) : Number.NaN;
      ch.y[row] = inBrain ? dvSurface + (surface - vertical) * 0.95 : Number.NaN;
    }
  }
  return { count: n, ...ch };
}

/** Row indices of the channels of probe `p`. */
export function channelsOfProbe(channels: Channels, p: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r < channels.count; r++) if (channels.probe[r] === p) rows.push(r);
  return rows;
}
