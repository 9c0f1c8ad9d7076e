// Bin edges and centres (binned-dataset.md §6).
//
// The published files were binned with edges `np.arange(0, (n + 1) * w, w)`, n = ceil(D / w).
// NumPy sizes an arange as ceil((stop - start) / step) in float64 and fills element i with
// start + i * step, which for start 0 is i * w. Float rounding in (n + 1) * w makes that length
// one larger than n + 1 for some D: for w = 0.02 and D = 0.2502 s, n = 13 and
// (14 * 0.02) / 0.02 = 14.000000000000002, so ceil gives 15 edges, i.e. 14 bins, not 13 — which
// is why every 0.25 s stimulus of the published dataset has 14 bins (0–0.28 s).

export interface BinEdgeOptions {
  /** D: the longest kept presentation duration of the stimulus in this session, seconds. */
  readonly maxDuration: number;
  /** w, seconds (param, default 0.02). */
  readonly binWidth: number;
}

/** The edges, `edge[i] = i * w`; their count minus one is the number of bins. */
export function binEdges(options: BinEdgeOptions): Float64Array {
  const { maxDuration: d, binWidth: w } = options;
  // Selection guarantees a finite D (null durations are skipped); anything else is a bug.
  if (!Number.isFinite(d) || d < 0) throw new RangeError(`bin edges need a finite duration >= 0, got ${d}`);
  if (!Number.isFinite(w) || w <= 0) throw new RangeError(`bin width must be finite and > 0, got ${w}`);
  const n = Math.ceil(d / w);
  const stop = (n + 1) * w;
  const count = Math.ceil(stop / w);
  const edges = new Float64Array(count);
  for (let i = 0; i < count; i++) edges[i] = i * w;
  return edges;
}

/** The `time` coordinate: `edge[j] + (edge[j+1] - edge[j]) / 2`, in that float64 order. */
export function binCentres(edges: Float64Array): Float64Array {
  const centres = new Float64Array(Math.max(0, edges.length - 1));
  for (let j = 0; j < centres.length; j++) centres[j] = edges[j]! + (edges[j + 1]! - edges[j]!) / 2;
  return centres;
}
