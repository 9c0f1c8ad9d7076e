// The two report tables of binned-dataset.md §4, as exact CSV text (pandas `to_csv(index=False)`
// output: `\n` line ends including after the last row, minimal quoting, NaN as an empty field).

import type { FilterSummaryRow, PooledMedians } from './median-filter.js';
import { pythonFloatRepr, pythonRound } from './python-format.js';

/** pandas' QUOTE_MINIMAL: quote a field only if it holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',') + '\n').join('');
}

function floatField(x: number): string {
  return Number.isNaN(x) ? '' : pythonFloatRepr(x);
}

/** `presentations_median_durations.csv`. */
export function renderMedianDurationsCsv(
  medians: PooledMedians,
  options: {
    /**
     * Round medians to this many decimals (Python `round`) before printing. The contract asks
     * for the full shortest round-trip decimal (the default, `null`); the published file shows
     * `round(median, 4)` (0.2502 for 0.2502092301320999), which `4` reproduces.
     */
    readonly decimals?: number | null;
  } = {},
): string {
  const decimals = options.decimals ?? null;
  return csv(
    ['stimulus_name', 'median_duration'],
    medians.order.map((name) => {
      const m = medians.median.get(name)!;
      return [name, floatField(decimals === null ? m : pythonRound(m, decimals))];
    }),
  );
}

/** `presentations_filtered_summary.csv`; the percent is Python's `round(x, 2)` printed as repr. */
export function renderFilterSummaryCsv(rows: readonly FilterSummaryRow[]): string {
  return csv(
    [
      'stimulus_name',
      'num_presentations_before',
      'num_presentations_after',
      'num_presentations_removed',
      'percent_presentations_removed',
    ],
    rows.map((r) => [
      r.stimulusName,
      String(r.before),
      String(r.after),
      String(r.removed),
      floatField(pythonRound(r.percentRemoved, 2)),
    ]),
  );
}
