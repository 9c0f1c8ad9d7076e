// Python's float formatting, so report CSVs match what pandas wrote byte for byte.
//
// Both JavaScript and Python print the shortest decimal that round-trips to the same float64,
// so the digits agree; only the layout differs:
//   - Python switches to exponent form when the decimal exponent is < -4 or >= 16
//     (repr(1e-05) = '1e-05', repr(1e16) = '1e+16'); JS only below 1e-6 or from 1e21
//     (String(1e-5) = '0.00001', String(1e16) = '10000000000000000').
//   - Python's exponent has a sign and at least two digits ('1e-05'); JS writes '1e-7'.
//   - Python keeps '.0' on integral values ('2.0'); JS writes '2'.
//   - nan / inf / -inf instead of NaN / Infinity.

/** `repr(x)` for a Python float. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits: d.ddd e±k.
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const e = Number(exponent);
  // Python's rule (format_float_short) is on the dtoa decimal point position, e + 1.
  const point = e + 1;
  if (point > -4 && point <= 16) {
    if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
    if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
  const exp = `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return `${sign}${digits[0]}${fraction}e${exp}`;
}

/**
 * Python's `round(x, ndigits)` (ndigits >= 0): the exact binary value rounded to ndigits
 * decimals, ties to even, returned as the nearest float.
 *
 * `toFixed` also rounds the exact value, but breaks ties away from zero. An exact tie needs
 * x = q / 2^(d+1) with q odd (x·10^d must end in exactly .5, and 10^d·2 = 5^d·2^(d+1)), which
 * can be tested exactly: scaling by a power of two never rounds. Only then is the result redone,
 * on decimal strings, since x·10^d need not be representable (e.g. 657419804483652.125 × 100).
 */
export function pythonRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x)) return x;
  // Python returns x itself when it has no digits beyond ndigits anyway; toFixed is limited.
  if (Math.abs(x) >= 1e21) return x;
  const awayFromZero = x.toFixed(ndigits);
  const q = x * 2 ** (ndigits + 1);
  if (!(Number.isInteger(q) && Math.abs(q) % 2 === 1)) return Number(awayFromZero);
  // A tie has exactly ndigits + 1 decimals, the last one 5, so this string is exact.
  const exact = x.toFixed(ndigits + 1);
  const towardZero = exact.slice(0, -1).replace(/\.$/, '');
  const lastDigit = Number(towardZero.at(-1));
  return Number(lastDigit % 2 === 0 ? towardZero : awayFromZero);
}
