// Spike trains as inhomogeneous Poisson processes with piecewise-constant intensity
// rate × gain[key(t − latency)] (see ./segments.ts, ./tuning.ts).
//
// Two passes, so that the multi-GB spike datasets can be preallocated at their exact size and
// filled in order without ever holding all spikes:
// 1. count: Λ = rate · Σ_key gain[key] · seconds[key], N ~ Poisson(Λ) (O(keys) per unit);
// 2. place: N sorted uniforms in cumulative-intensity space (normalised sums of N+1 exponential
//    gaps, i.e. uniform order statistics — sorted without sorting), mapped to time by one walk
//    over the segments. O(N + segments) per unit, typed arrays only.
// Each unit draws from its own labelled stream, so a unit's spikes do not depend on the others.

import { Rng } from '../random.js';
import type { Segments } from './segments.js';
import { unitGains, type UnitTuning } from './tuning.js';

export class SpikeModel {
  private gains: Float64Array;

  constructor(
    private readonly segments: Segments,
    private readonly seed: number,
  ) {
    this.gains = new Float64Array(segments.keyCount);
  }

  /** Expected spike count of a unit over the session. */
  expectedCount(t: UnitTuning): number {
    const g = unitGains(t, this.segments.ranges, this.segments.keyCount, this.gains);
    const sec = this.segments.keySeconds;
    let sum = 0;
    for (let k = 0; k < sec.length; k++) sum += (g[k] as number) * (sec[k] as number);
    return t.rate * sum;
  }

  /** The (Poisson) spike count of unit `u`. */
  count(u: number, t: UnitTuning): number {
    return Rng.of(this.seed, 'spike-count', u).poisson(this.expectedCount(t));
  }

  /**
   * Writes the `n` spike times of unit `u` (ascending) into times[0..n) and their amplitudes
   * (volts, around `amplitudeV`) into amps[0..n).
   */
  place(u: number, t: UnitTuning, n: number, amplitudeV: number, times: Float64Array, amps: Float64Array): void {
    if (n === 0) return;
    const rng = Rng.of(this.seed, 'spikes', u);
    const lambda = this.expectedCount(t); // also refreshes this.gains for unit t
    const g = this.gains;
    // Uniform order statistics in [0, Λ): partial sums of exponential gaps, normalised.
    let acc = 0;
    for (let k = 0; k < n; k++) {
      acc += -Math.log(1 - rng.uniform());
      times[k] = acc;
    }
    const total = acc - Math.log(1 - rng.uniform());
    const toIntensity = lambda / total;

    const { start, key } = this.segments;
    const last = key.length - 1;
    let seg = 0;
    let segRate = t.rate * (g[key[0] as number] as number);
    let segFrom = 0; // cumulative intensity at the start of the segment
    let segTo = segRate * ((start[1] as number) - (start[0] as number));
    const end = start[start.length - 1] as number;
    let previous = 0;
    for (let k = 0; k < n; k++) {
      const target = (times[k] as number) * toIntensity;
      while (target >= segTo && seg < last) {
        seg++;
        segFrom = segTo;
        segRate = t.rate * (g[key[seg] as number] as number);
        segTo = segFrom + segRate * ((start[seg + 1] as number) - (start[seg] as number));
      }
      // Rounding at a segment edge could step back by an ulp; spike times must never decrease.
      const tau = Math.min(end, Math.max(previous, (start[seg] as number) + (target - segFrom) / segRate));
      previous = tau;
      times[k] = tau + t.latency;
      // ~N(1, 0.1) from three uniforms: cheap, and amplitudes need no more than that.
      amps[k] = amplitudeV * (1 + 0.2 * (rng.uniform() + rng.uniform() + rng.uniform() - 1.5));
    }
  }
}
