// NumPy's `interp(x, xp, fp)` for float64, reproduced operation for operation (binned-dataset.md
// §7; numpy/_core/src/multiarray/compiled_base.c, `arr_interp`), because the published speed and
// gaze values are its float64 results rounded to float32, and a last-bit difference can change
// that rounding.
//
// What NumPy does, for non-decreasing xp:
// - j = the last index with xp[j] <= x (so with duplicate sample times, the last of them);
// - x < xp[0] → fp[0]; x >= xp[last] → fp[last] (hold the end values);
// - x == xp[j] → fp[j] exactly, even when a neighbour is NaN;
// - otherwise slope = (fp[j+1] - fp[j]) / (xp[j+1] - xp[j]) and value = slope * (x - xp[j]) + fp[j]
//   (slope first: the spec's "fp[k] + (t - xp[k]) * Δf / Δx" rounds differently). If that is NaN,
//   NumPy retries from the right end, slope * (x - xp[j+1]) + fp[j+1], and if still NaN while
//   fp[j] == fp[j+1] (equal infinities), returns fp[j]. A NaN neighbour therefore gives NaN;
// - x NaN → NaN; a single sample → fp[0] for every x (even NaN: all its comparisons are false).

/** An interpolator over fixed samples; remembers where the last query landed to speed up the next. */
export function createInterpolator(xp: Float64Array, fp: Float64Array): (x: number) => number {
  const n = xp.length;
  if (n === 0 || fp.length !== n) throw new RangeError(`interp needs as many samples as times (>= 1), got ${n} and ${fp.length}`);
  const first = fp[0]!;
  const last = fp[n - 1]!;
  if (n === 1) {
    const only = xp[0]!;
    return (x) => (x < only ? first : x > only ? last : first);
  }
  let guess = 0;
  return (x) => {
    if (Number.isNaN(x)) return x;
    if (x < xp[0]!) return first;
    if (x >= xp[n - 1]!) return last;
    const j = lastAtOrBelow(xp, x, guess);
    guess = j;
    if (xp[j] === x) return fp[j]!;
    const x0 = xp[j]!;
    const x1 = xp[j + 1]!;
    const y0 = fp[j]!;
    const y1 = fp[j + 1]!;
    const slope = (y1 - y0) / (x1 - x0);
    let y = slope * (x - x0) + y0;
    if (Number.isNaN(y)) {
      y = slope * (x - x1) + y1;
      if (Number.isNaN(y) && y0 === y1) y = y0;
    }
    return y;
  };
}

/**
 * The last j with xp[j] <= x, for xp[0] <= x < xp[last]. Starts next to the previous answer,
 * since bins of one presentation are queried in increasing time.
 */
function lastAtOrBelow(xp: Float64Array, x: number, guess: number): number {
  let j = guess;
  if (xp[j]! <= x) {
    // Walk a few steps forward, then bisect what remains.
    for (let k = 0; k < 4; k++) {
      if (!(xp[j + 1]! <= x)) return j;
      j++;
    }
    let lo = j; // xp[lo] <= x
    let hi = xp.length - 1; // xp[hi] > x (x < xp[last] was checked)
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (xp[mid]! <= x) lo = mid;
      else hi = mid;
    }
    return lo;
  }
  let lo = 0; // xp[0] <= x
  let hi = j; // xp[j] > x
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (xp[mid]! <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** `np.interp(x, xp, fp)` for a whole array of query points. */
export function interp(x: ArrayLike<number>, xp: Float64Array, fp: Float64Array): Float64Array {
  const f = createInterpolator(xp, fp);
  return Float64Array.from({ length: x.length }, (_, i) => f(x[i]!));
}
