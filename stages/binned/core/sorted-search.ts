// Searches over ascending float64 arrays (spike times, sample times).

/**
 * First index i with `!(values[i] < x)` (NumPy `searchsorted(..., 'left')`), found by galloping
 * from `hint`. Successive queries with growing x cost O(log distance moved), which keeps a sweep
 * over presentations linear in practice; a query below the hint falls back to bisection of the
 * prefix, so any hint gives the right answer.
 */
export function lowerBound(values: Float64Array, x: number, hint = 0): number {
  const n = values.length;
  const h = Math.min(Math.max(hint, 0), n);
  let lo: number;
  let hi: number;
  if (h > 0 && !(values[h - 1]! < x)) {
    lo = 0;
    hi = h - 1;
  } else {
    lo = h;
    hi = h;
    let step = 1;
    // Invariant: every index below lo holds a value < x.
    while (hi < n && values[hi]! < x) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    if (hi > n) hi = n;
  }
  // Now the answer is in [lo, hi], and hi is either n or an index whose value is >= x.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Index of the first value that is smaller than its predecessor or NaN (NaN cannot be placed in
 * an order), or -1 when the array is non-decreasing.
 */
export function firstUnordered(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v) || (i > 0 && v < values[i - 1]!)) return i;
  }
  return -1;
}
