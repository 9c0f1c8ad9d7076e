// Cell values of presentation tables (binned-dataset.md §2.2).
//
// pandas' chunked type inference made the writer store some numeric columns as strings, per
// table and even per chunk (allen-nwb-layout.md §5.1), so the same value can arrive as 0.04 or
// as "0.04". Every cell is therefore coerced on its own: number-like strings become numbers,
// missing-value markers become null, and anything else (list-strings such as "[20.0, 20.0]",
// words such as "circle") stays text.

/** A parsed cell: a number (±Infinity allowed, never NaN), text, or null. */
export type Cell = number | string | null;

// Optional sign, digits with an optional fraction (or a bare fraction), optional exponent.
// Python's float() and pandas also accept "5." and ".5"; no writer emits them, but they are
// numbers, not text, so they are accepted too.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;
const NAN = /^[+-]?nan$/i;

/** Parses a string cell; `trim` covers the "surrounding spaces allowed" rule. */
export function parseStringCell(raw: string): Cell {
  const s = raw.trim();
  // An all-space cell is as empty as "" once the surrounding spaces are dropped.
  if (s === '' || s === 'N/A' || NAN.test(s)) return null;
  // Number() rounds decimal strings correctly (like Python's float()); the regex keeps it away
  // from the other forms it accepts ("0x1f", "0b1", "Infinity", and "" which it reads as 0).
  if (DECIMAL.test(s)) return Number(s);
  const inf = INFINITY.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return raw;
}

/** Parses a cell of either storage type: a float64 NaN is null like "nan" is. */
export function parseCell(value: number | string): Cell {
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  return parseStringCell(value);
}

/**
 * A parser that remembers its answers: string columns repeat a handful of distinct values
 * ("[20.0, 20.0]", "0.08", "N/A") over tens of thousands of rows.
 */
export function cachedStringCellParser(): (raw: string) => Cell {
  const cache = new Map<string, Cell>();
  return (raw) => {
    let cell = cache.get(raw);
    if (cell === undefined) {
      cell = parseStringCell(raw);
      cache.set(raw, cell);
    }
    return cell;
  };
}
