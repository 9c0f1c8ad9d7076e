// Spike binning (binned-dataset.md §6) as a merge sweep over one unit's sorted spike times.
//
// Bin j of presentation p is the closed interval [s_p + edge[j], s_p + edge[j+1]] (AllenSDK's
// histogram counts from searchsorted(left) of the start to searchsorted(right) of the end, so a
// spike on an inner edge counts in both neighbours). For movies both bounds are min(bound, stop_p).
// The bounds are computed exactly as written, in float64, and spike times are compared with
// them: comparing t - s_p with the edges instead would round differently.
//
// Within a presentation the bounds never decrease with j (min with a constant keeps that), so two
// cursors suffice: `a` = first spike >= the bin's lower bound, `b` = first spike > its upper
// bound, count = b - a. Both only move forward, so a presentation costs O(bins + spikes in its
// window) plus a galloping search to find its first spike: no search per bin. With movies, the
// empty bins after the stop all have bounds [stop_p, stop_p]: the cursors stand still and such a
// bin holds exactly the spikes at stop_p, which is the spec rule, not a special case.

import { lowerBound } from './sorted-search.js';

/** Where the cells of one unit go: cell (p, j) is `out[offset + p*presentationStride + j*timeStride]`. */
export interface BinLayout {
  readonly offset: number;
  readonly presentationStride: number;
  readonly timeStride: number;
}

/** What a cell holds: 0/1 (binarize, the default) or the count saturating at 255 (§10). */
export type BinValues =
  | { readonly kind: 'binary'; readonly out: Int8Array | Uint8Array }
  | { readonly kind: 'counts'; readonly out: Uint8Array };

export interface BinUnitOptions {
  /** One unit's spike times, ascending (sorted by the NWB writer, allen-nwb-layout.md §3). */
  readonly spikes: Float64Array;
  /** The kept presentations, ideally by ascending start (any order is correct, just slower). */
  readonly startTime: Float64Array;
  readonly stopTime: Float64Array;
  /** From `binEdges`. */
  readonly edges: Float64Array;
  /** Movies: clip both bounds of every bin to the presentation's stop time. */
  readonly clipToStop: boolean;
  readonly values: BinValues;
  readonly layout: BinLayout;
}

/** The layout of unit `unit` in spike_data (presentation_id, time, unit_id), C order. */
export function spikeDataLayout(options: { readonly nBins: number; readonly nUnits: number; readonly unit: number }): BinLayout {
  const { nBins, nUnits, unit } = options;
  return { offset: unit, presentationStride: nBins * nUnits, timeStride: nUnits };
}

function checkLayout(options: BinUnitOptions, nPresentations: number, nBins: number): void {
  const { offset, presentationStride, timeStride } = options.layout;
  if (options.stopTime.length !== nPresentations) {
    throw new RangeError(`${nPresentations} start times but ${options.stopTime.length} stop times`);
  }
  if (nPresentations === 0 || nBins === 0) return;
  const last = offset + (nPresentations - 1) * presentationStride + (nBins - 1) * timeStride;
  // A typed array ignores writes out of range, which would lose cells silently.
  if (!(offset >= 0 && presentationStride >= 0 && timeStride >= 0 && last < options.values.out.length)) {
    throw new RangeError(`bin layout reaches index ${last} of an array of ${options.values.out.length}`);
  }
}

/** Fills every (presentation, bin) cell of one unit; cells are written, never accumulated. */
export function binUnitSpikes(options: BinUnitOptions): void {
  const { spikes, startTime, stopTime, edges, clipToStop } = options;
  const { offset, presentationStride, timeStride } = options.layout;
  const nPresentations = startTime.length;
  const nBins = Math.max(0, edges.length - 1);
  checkLayout(options, nPresentations, nBins);
  if (nBins === 0) return;
  const out = options.values.out;
  const binary = options.values.kind === 'binary';
  const n = spikes.length;

  let hint = 0;
  for (let p = 0; p < nPresentations; p++) {
    const s = startTime[p]!;
    const stop = stopTime[p]!;
    const lower = s + edges[0]!;
    let a = lowerBound(spikes, clipToStop ? Math.min(lower, stop) : lower, hint);
    hint = a;
    let b = a;
    let cell = offset + p * presentationStride;
    for (let j = 0; j < nBins; j++, cell += timeStride) {
      const upper = s + edges[j + 1]!;
      const hi = clipToStop ? Math.min(upper, stop) : upper;
      while (b < n && spikes[b]! <= hi) b++;
      const count = b - a;
      out[cell] = binary ? (count > 0 ? 1 : 0) : count > 255 ? 255 : count;
      // The next bin starts at hi: spikes equal to hi stay in [a, b) and count there again.
      while (a < b && spikes[a]! < hi) a++;
    }
  }
}
