// Spike binning (binned-dataset.md §6) that touches only the cells where spikes fall.
//
// The core's `binUnitSpikes` writes every (presentation, bin) cell of a unit. In the
// (presentation_id, time, unit_id) layout consecutive cells of a unit are `nUnits` bytes apart,
// so each write lands on its own cache line, and a real session has ~330 M cells, almost all 0.
// Here the output starts zeroed and the work follows the spikes: per (presentation, unit) a short
// forward step to the first spike of the window, then per spike inside the window an estimate of
// its bin from (t − onset) / w, corrected with the exact float64 bounds. Cost: O(presentations ×
// units + spikes in windows), independent of the number of empty cells.
//
// Semantics are the core's, bound for bound. Bin j is [B_j, B_{j+1}] with
// B_k = s_p + edge[k], or min(s_p + edge[k], stop_p) for movies, evaluated exactly as the core
// does. B is non-decreasing in k, so the bins holding a spike t form one run: from the first k
// with B_{k+1} ≥ t to the last k with B_k ≤ t. That run has one bin, two for a spike exactly on an
// inner edge, and for a movie spike exactly at stop_p every bin from the one containing stop_p to
// the end (their bounds are all [stop_p, stop_p]). test/bin/sparse-binning.test.ts checks
// equality with `binUnitSpikes` on random cases full of such spikes.
//
// Loop order: presentations outside, a block of units inside. The writes of one presentation then
// stay within nBins × block bytes, which are in cache; unit after unit instead, every spike's write
// is a cache miss somewhere in a tensor of up to ~75 MB (2–3× slower, measured). Everything runs
// in one function without calls per (presentation, unit) pair: sessions have ~15 M such pairs,
// and a call plus a binary search per pair cost more than the spikes themselves.

import { lowerBound, type BinUnitOptions, type BinValues } from '../core/index.js';

/** Where the cells of a block of units go. */
export interface BlockLayout {
  /** Cell (p, j) of block unit b is `out[offset + b*unitStride + p*presentationStride + j*timeStride]`. */
  readonly offset: number;
  readonly unitStride: number;
  readonly presentationStride: number;
  readonly timeStride: number;
}

export interface BinBlockOptions {
  /** The block's spike trains, each ascending. */
  readonly spikes: readonly Float64Array[];
  /** The presentations, ideally by ascending start (any order is correct, just slower). */
  readonly startTime: Float64Array;
  readonly stopTime: Float64Array;
  /** From `binEdges`. */
  readonly edges: Float64Array;
  /** Movies: clip both bounds of every bin to the presentation's stop time. */
  readonly clipToStop: boolean;
  /** Must be zero in the block's cells: only cells with spikes are written. */
  readonly values: BinValues;
  readonly layout: BlockLayout;
}

/** A forward walk longer than this gives way to a galloping search. */
const MAX_STEPS = 8;

/**
 * Bins a block of units, presentation-major, into a zeroed output. Equal to the core's
 * `binUnitSpikes` for each unit b with layout { offset + b × unitStride, presentationStride,
 * timeStride }.
 */
export function binBlockSparse(options: BinBlockOptions): void {
  const { spikes: trains, startTime, stopTime, edges, clipToStop: clip, layout } = options;
  const nPresentations = startTime.length;
  const nBins = Math.max(0, edges.length - 1);
  checkLayout(options, nPresentations, nBins);
  if (nBins === 0) return;
  const out = options.values.out;
  const binary = options.values.kind === 'binary';
  const { offset, unitStride, presentationStride, timeStride } = layout;
  const lastBin = nBins - 1;
  const edge0 = edges[0]!;
  const edgeN = edges[nBins]!;
  // Only a first guess of a spike's bin; exact comparisons with the bounds decide.
  const binsPerSecond = nBins / (edgeN - edge0);
  const nUnits = trains.length;
  // Per unit, the first spike of the previous presentation's window: with ascending starts the
  // next window's first spike is at or after it, usually a step or two further.
  const hints = new Int32Array(nUnits);

  for (let p = 0; p < nPresentations; p++) {
    const s = startTime[p]!;
    const stop = stopTime[p]!;
    const first = s + edge0;
    const last = s + edgeN;
    const lo = clip ? Math.min(first, stop) : first;
    const hi = clip ? Math.min(last, stop) : last;
    const presentationBase = offset + p * presentationStride;

    for (let u = 0; u < nUnits; u++) {
      const spikes = trains[u]!;
      const n = spikes.length;
      // a = first spike >= lo (NumPy searchsorted 'left'), from the hint.
      let a = hints[u]!;
      if (a > 0 && !(spikes[a - 1]! < lo)) {
        // Presentations out of start order: the answer is before the hint.
        a = lowerBound(spikes, lo, 0);
      } else {
        const end = a + MAX_STEPS < n ? a + MAX_STEPS : n;
        while (a < end && spikes[a]! < lo) a++;
        if (a === end && a < n && spikes[a]! < lo) a = lowerBound(spikes, lo, a);
      }
      hints[u] = a;
      // `!(x <= hi)` rather than `x > hi`: with a NaN bound the core counts nothing either.
      if (a >= n || !(spikes[a]! <= hi)) continue;

      const base = presentationBase + u * unitStride;
      // The bin of the previous spike: spikes do not decrease, so neither do their bins.
      let floor = 0;
      for (let i = a; i < n; i++) {
        const t = spikes[i]!;
        if (!(t <= hi)) break;
        // k = the first bin whose upper bound B_{k+1} is >= t: guessed from the time since the
        // onset (`| 0` truncates; NaN becomes 0), kept within [floor, lastBin] (B_nBins = hi >= t),
        // then corrected with the exact bounds. For movies t <= hi <= stop, so comparing t with
        // min(s + edge, stop) gives the same answer as comparing it with s + edge: no min needed.
        let k = ((t - first) * binsPerSecond) | 0;
        if (k < floor) k = floor;
        else if (k > lastBin) k = lastBin;
        while (k > floor && s + edges[k]! >= t) k--;
        let upper = s + edges[k + 1]!;
        while (upper < t) upper = s + edges[++k + 1]!;
        floor = k;
        // Counting one spike at a time saturates exactly as min(count, 255) does.
        let cell = base + k * timeStride;
        let v = out[cell]!;
        out[cell] = binary ? 1 : v < 255 ? v + 1 : 255;
        // Rarely, t also lies in the following bins: those whose lower bound B_m equals t (B_m <= t,
        // and B_m >= B_{k+1} >= t), the other side of an inner edge or a movie's clipped bins.
        if (k < lastBin && (clip ? Math.min(upper, stop) : upper) <= t) {
          for (let m = k + 1; m <= lastBin; m++) {
            const lower = clip ? Math.min(s + edges[m]!, stop) : s + edges[m]!;
            if (!(lower <= t)) break;
            cell += timeStride;
            v = out[cell]!;
            out[cell] = binary ? 1 : v < 255 ? v + 1 : 255;
          }
        }
      }
    }
  }
}

/**
 * One unit, same options and result as the core's `binUnitSpikes`, except that the unit's cells
 * in `options.values.out` must be zero beforehand.
 */
export function binUnitSparse(options: BinUnitOptions): void {
  const { offset, presentationStride, timeStride } = options.layout;
  binBlockSparse({ ...options, spikes: [options.spikes], layout: { offset, unitStride: 0, presentationStride, timeStride } });
}

function checkLayout(options: BinBlockOptions, nPresentations: number, nBins: number): void {
  const { offset, unitStride, presentationStride, timeStride } = options.layout;
  if (options.stopTime.length !== nPresentations) {
    throw new RangeError(`${nPresentations} start times but ${options.stopTime.length} stop times`);
  }
  if (nPresentations === 0 || nBins === 0 || options.spikes.length === 0) return;
  const last = offset + (options.spikes.length - 1) * unitStride + (nPresentations - 1) * presentationStride + (nBins - 1) * timeStride;
  // A typed array ignores writes out of range, which would lose cells silently.
  if (!(offset >= 0 && unitStride >= 0 && presentationStride >= 0 && timeStride >= 0 && last < options.values.out.length)) {
    throw new RangeError(`bin layout reaches index ${last} of an array of ${options.values.out.length}`);
  }
}
