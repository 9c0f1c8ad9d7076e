// Each unit's stimulus tuning: the gain its firing rate takes during each stimulus condition.
// Plausible, not fitted: visual units in the VCN data are orientation / direction tuned for
// gratings, have receptive fields (gabors), sparse natural-scene responses and reliable
// frame-locked movie responses; some are suppressed; many do not respond. What matters for the
// pipeline is that responses are locked to presentations, so binned spike data shows structure.

import type { Rng } from '../random.js';
import type { Condition } from '../timeline/catalog.js';
import type { KeyRange } from './segments.js';

export interface UnitTuning {
  /** Baseline firing rate (Hz), lognormal across units. */
  readonly rate: number;
  /** Response latency (s): the unit sees the stimulus timeline shifted by this. */
  readonly latency: number;
  /** Response strength per response family: > 0 driven, < 0 suppressed, 0 unresponsive. */
  readonly strength: Readonly<Record<string, number>>;
  readonly prefDirection: number;
  readonly sharpness: number;
  readonly prefTf: number;
  readonly prefSf: number;
  readonly rfX: number;
  readonly rfY: number;
  readonly rfSigma: number;
  readonly c50: number;
  readonly prefColor: number;
  readonly prefSpeed: number;
  /** Seed of the unit's sparse per-image / per-frame responses. */
  readonly seed: number;
}

const FAMILIES = ['gabor', 'flash', 'grating', 'scene', 'movie', 'dots'] as const;
const MIN_GAIN = 0.05;

export function drawTuning(rng: Rng): UnitTuning {
  const strength: Record<string, number> = {};
  for (const f of FAMILIES) {
    const x = rng.uniform();
    strength[f] = x < 0.55 ? rng.lognormal(0, 0.6) : x < 0.65 ? -rng.range(0.2, 0.7) : 0;
  }
  return {
    rate: Math.min(60, Math.max(0.05, rng.lognormal(Math.log(2.0), 1.0))),
    latency: rng.range(0.03, 0.09),
    strength,
    prefDirection: rng.range(0, 360),
    sharpness: rng.range(1, 4),
    prefTf: rng.pick([1, 2, 4, 8, 15]),
    prefSf: 0.02 * 2 ** rng.range(0, 4),
    rfX: rng.range(-40, 40),
    rfY: rng.range(-40, 40),
    rfSigma: rng.range(12, 30),
    c50: rng.range(0.05, 0.4),
    prefColor: rng.chance(0.5) ? 1 : -1,
    prefSpeed: 0.0005 * 2 ** rng.range(0, 6),
    seed: rng.nextU32(),
  };
}

/** gain[key] for one unit over every key of the session (key 0, baseline, is 1). */
export function unitGains(t: UnitTuning, ranges: readonly KeyRange[], keyCount: number, out?: Float64Array): Float64Array {
  const gain = out !== undefined && out.length >= keyCount ? out : new Float64Array(keyCount);
  gain[0] = 1;
  for (const r of ranges) {
    const s = t.strength[r.spec.family] ?? 0;
    for (let i = 0; i < r.size; i++) {
      const drive = s === 0 ? 0 : response(t, r, i);
      gain[r.base + i] = Math.max(MIN_GAIN, 1 + s * drive);
    }
  }
  return gain;
}

/** Normalised response (0..~1) of the unit to condition `i` of the range's stimulus. */
function response(t: UnitTuning, r: KeyRange, i: number): number {
  const spec = r.spec;
  switch (spec.family) {
    case 'movie':
      return movieDrive(t, i);
    case 'scene': {
      const c = spec.conditions[i] as Condition;
      return c['frame'] === -1 ? 0 : hashUnit(t.seed, i) ** 3 * 2;
    }
    case 'flash': {
      const c = spec.conditions[i] as Condition;
      return c['color'] === t.prefColor ? 1 : 0.3;
    }
    case 'dots': {
      const c = spec.conditions[i] as Condition;
      const dir = directionTuning(t, c['Dir'] ?? 0, 1);
      const speed = Math.exp(-((Math.log2(((c['Speed'] ?? 0) as number) + 1e-4) - Math.log2(t.prefSpeed)) ** 2) / 4);
      return dir * speed;
    }
    case 'gabor': {
      const c = spec.conditions[i] as Condition;
      const dx = (c['x_position'] ?? 0) - t.rfX;
      const dy = (c['y_position'] ?? 0) - t.rfY;
      const rf = Math.exp(-(dx * dx + dy * dy) / (2 * t.rfSigma * t.rfSigma));
      return rf * (0.4 + 0.6 * directionTuning(t, c['orientation'] ?? 0, 2));
    }
    case 'grating': {
      const c = spec.conditions[i] as Condition;
      if (c['orientation'] === null) return 0; // blank sweep
      const ori = directionTuning(t, c['orientation'] ?? 0, spec.name === 'static_gratings' ? 2 : 1);
      const contrast = c['contrast'] ?? 0.8;
      const cr = contrast / (contrast + t.c50);
      const tf = c['temporal_frequency'] === undefined ? 1 : Math.exp(-((Math.log2(c['temporal_frequency'] ?? 1) - Math.log2(t.prefTf)) ** 2) / 2);
      const sf = c['spatial_frequency'] === undefined ? 1 : Math.exp(-((Math.log2(c['spatial_frequency'] ?? 0.04) - Math.log2(t.prefSf)) ** 2) / 2);
      return ori * cr * tf * sf;
    }
  }
}

/** von Mises-like tuning; `harmonic` 2 for orientation (180° periodic), 1 for direction. */
function directionTuning(t: UnitTuning, angleDeg: number, harmonic: number): number {
  const d = ((angleDeg - t.prefDirection) * Math.PI * harmonic) / 180;
  return Math.exp(t.sharpness * (Math.cos(d) - 1));
}

/** A smooth, sparse, repeatable response to movie frame `frame`. */
function movieDrive(t: UnitTuning, frame: number): number {
  let sum = 0;
  for (let k = 0; k < 3; k++) {
    const period = 20 + 280 * hashUnit(t.seed, 10_000 + k);
    const phase = 2 * Math.PI * hashUnit(t.seed, 20_000 + k);
    sum += Math.sin((2 * Math.PI * frame) / period + phase);
  }
  return Math.max(0, sum / 3) * 1.5;
}

/** A uniform in [0, 1) from (seed, i), stateless so gains can be recomputed identically. */
function hashUnit(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}
