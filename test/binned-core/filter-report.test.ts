import { describe, expect, it } from 'vitest';
import {
  renderFilterSummaryCsv,
  renderMedianDurationsCsv,
  type FilterSummaryRow,
  type PooledMedians,
} from '../../stages/binned/core/index.js';

// Counts and text of the published presentations_filtered_summary.csv (58 sessions).
const PUBLISHED_COUNTS: [string, number, number][] = [
  ['gabors', 211361, 211282],
  ['flashes', 8696, 8694],
  ['drifting_gratings', 20146, 20129],
  ['natural_movie_three', 320, 314],
  ['natural_movie_one', 640, 628],
  ['static_gratings', 191360, 191336],
  ['natural_scenes', 190362, 190323],
  ['drifting_gratings_contrast', 18360, 18355],
  ['natural_movie_one_more_repeats', 1559, 1551],
  ['drifting_gratings_75_repeats', 15600, 15591],
  ['dot_motion', 11070, 11031],
];

const PUBLISHED_SUMMARY =
  'stimulus_name,num_presentations_before,num_presentations_after,num_presentations_removed,percent_presentations_removed\n' +
  'gabors,211361,211282,79,0.04\n' +
  'flashes,8696,8694,2,0.02\n' +
  'drifting_gratings,20146,20129,17,0.08\n' +
  'natural_movie_three,320,314,6,1.88\n' +
  'natural_movie_one,640,628,12,1.88\n' +
  'static_gratings,191360,191336,24,0.01\n' +
  'natural_scenes,190362,190323,39,0.02\n' +
  'drifting_gratings_contrast,18360,18355,5,0.03\n' +
  'natural_movie_one_more_repeats,1559,1551,8,0.51\n' +
  'drifting_gratings_75_repeats,15600,15591,9,0.06\n' +
  'dot_motion,11070,11031,39,0.35\n';

// presentations_median_durations_fullprecision.csv and the published (4-decimal) file.
const FULL_MEDIANS: [string, number][] = [
  ['gabors', 0.2502092301320999],
  ['flashes', 0.2502075593599784],
  ['drifting_gratings', 2.001670000000331],
  ['natural_movie_three', 120.10034999999885],
  ['natural_movie_one', 30.0250899999996],
  ['static_gratings', 0.2502092328932122],
  ['natural_scenes', 0.2502092433205689],
  ['drifting_gratings_contrast', 0.5004184602639725],
  ['natural_movie_one_more_repeats', 30.02509000000005],
  ['drifting_gratings_75_repeats', 2.0016700000005585],
  ['dot_motion', 1.0008380703675357],
];

const FULL_MEDIANS_CSV =
  'stimulus_name,median_duration\n' + FULL_MEDIANS.map(([n, m]) => `${n},${String(m)}\n`).join('');

const ROUNDED_MEDIANS_CSV =
  'stimulus_name,median_duration\n' +
  'gabors,0.2502\nflashes,0.2502\ndrifting_gratings,2.0017\nnatural_movie_three,120.1003\n' +
  'natural_movie_one,30.0251\nstatic_gratings,0.2502\nnatural_scenes,0.2502\n' +
  'drifting_gratings_contrast,0.5004\nnatural_movie_one_more_repeats,30.0251\n' +
  'drifting_gratings_75_repeats,2.0017\ndot_motion,1.0008\n';

function pooled(entries: [string, number][]): PooledMedians {
  return { order: entries.map(([n]) => n), median: new Map(entries) };
}

function summaryRow(name: string, before: number, after: number): FilterSummaryRow {
  const removed = before - after;
  return { stimulusName: name, before, after, removed, percentRemoved: (removed / before) * 100 };
}

describe('report CSVs (§4)', () => {
  it('renders the published filter summary byte for byte', () => {
    const rows = PUBLISHED_COUNTS.map(([n, b, a]) => summaryRow(n, b, a));
    expect(renderFilterSummaryCsv(rows)).toBe(PUBLISHED_SUMMARY);
  });

  it('prints percentages as Python repr of round(x, 2)', () => {
    const text = renderFilterSummaryCsv([
      summaryRow('none', 10, 10), // 0.0, not 0
      summaryRow('all', 3, 0), // 100.0
      summaryRow('eighth', 800, 799), // 0.125 → 0.12 (ties to even)
      summaryRow('third', 3, 2), // 33.33
      summaryRow('tenth', 10, 9), // 10.0
    ]);
    expect(text.split('\n').slice(1, -1).map((l) => l.split(',')[4])).toEqual(['0.0', '100.0', '0.12', '33.33', '10.0']);
  });

  it('renders medians as shortest round-trip decimals', () => {
    expect(renderMedianDurationsCsv(pooled(FULL_MEDIANS))).toBe(FULL_MEDIANS_CSV);
  });

  it('reproduces the published 4-decimal medians with decimals: 4', () => {
    expect(renderMedianDurationsCsv(pooled(FULL_MEDIANS), { decimals: 4 })).toBe(ROUNDED_MEDIANS_CSV);
  });

  it('prints medians in Python style, and a null median as an empty field', () => {
    const text = renderMedianDurationsCsv(
      pooled([
        ['tiny', 1e-5],
        ['huge', 1e16],
        ['whole', 2],
        ['none', NaN],
      ]),
    );
    expect(text).toBe('stimulus_name,median_duration\ntiny,1e-05\nhuge,1e+16\nwhole,2.0\nnone,\n');
  });

  it('quotes names holding a comma or a quote', () => {
    const text = renderMedianDurationsCsv(pooled([['a,b', 1], ['say "hi"', 2]]));
    expect(text).toBe('stimulus_name,median_duration\n"a,b",1.0\n"say ""hi""",2.0\n');
  });
});
