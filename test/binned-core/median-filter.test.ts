import { describe, expect, it } from 'vitest';
import {
  applyMedianFilter,
  filterSummary,
  median,
  passesMedianFilter,
  pooledMedians,
  sessionDurations,
  type PooledMedians,
} from '../../stages/binned/core/index.js';
import { fromPython, hasNumpy, runPython, toPython } from './helpers/python.js';
import { seeded } from '../random.js';
import { makeTable } from './helpers/tables.js';

const f = (...v: number[]) => Float64Array.from(v);

function medians(entries: Record<string, number>): PooledMedians {
  return { order: Object.keys(entries), median: new Map(Object.entries(entries)) };
}

describe('median (§4)', () => {
  it('takes the middle value of an odd count', () => {
    expect(median(f(3, 1, 2))).toBe(2);
  });

  it('averages the two middle values of an even count', () => {
    expect(median(f(10, 1, 3, 2))).toBe(2.5);
    // NumPy computes (a + b) / 2: 0.15000000000000002 here, where a + (b - a) / 2 gives 0.15.
    expect(median(f(0.2, 0.1))).toBe(0.15000000000000002);
  });

  it('skips nulls, and is null without values', () => {
    expect(median(f(NaN, 1, 2))).toBe(1.5);
    expect(median(f(NaN))).toBeNaN();
    expect(median(f())).toBeNaN();
  });
});

describe('pooled median filter (§4)', () => {
  // Session 200 is given first but reports in ascending session id.
  const s200 = makeTable({
    names: ['gabors', 'flashes', 'gabors'],
    start: [0, 1, 2],
    stop: [0.25, 1.25, 2.25],
    duration: [0.25, 0.2502, 0.26],
  });
  const s100 = makeTable({
    names: ['natural_movie_one', 'gabors', 'gabors', 'natural_movie_one_more_repeats'],
    start: [0, 40, 41, 50],
    stop: [30, 40.25, 41.25, 80],
    duration: [30, 0.25, 0.2502, 30.5],
  });
  const sessions = [sessionDurations(200, s200), sessionDurations(100, s100)];

  it('pools durations over sessions; order is first appearance by session id, then row', () => {
    const m = pooledMedians(sessions);
    expect(m.order).toEqual(['natural_movie_one', 'gabors', 'natural_movie_one_more_repeats', 'flashes']);
    // gabors: 0.25, 0.25, 0.2502, 0.26 → (0.25 + 0.2502) / 2.
    expect(m.median.get('gabors')).toBe((0.25 + 0.2502) / 2);
    // The two natural_movie_one names keep separate medians.
    expect(m.median.get('natural_movie_one')).toBe(30);
    expect(m.median.get('natural_movie_one_more_repeats')).toBe(30.5);
  });

  it('uses a strict < at exactly the tolerance', () => {
    // 0.002 = 2 × 0.001 exactly (doubling is exact) and 0.002 - 0.001 is exact (Sterbenz), so the
    // difference is exactly the float64 tolerance 0.001; 0 - 0.001 likewise.
    const m = medians({ flashes: 0.001 });
    expect(0.002 - 0.001).toBe(0.001);
    expect(passesMedianFilter('flashes', 0.002, m)).toBe(false);
    expect(passesMedianFilter('flashes', 0, m)).toBe(false);
    // One ulp inside passes.
    expect(passesMedianFilter('flashes', 0.0019999999999999996, m)).toBe(true);
    expect(passesMedianFilter('flashes', 1e-10, m)).toBe(true);
  });

  it('uses the movie tolerance for names containing natural_movie', () => {
    const m = medians({ natural_movie_three: 0.01, static_gratings: 0.01 });
    expect(0.02 - 0.01).toBe(0.01);
    expect(passesMedianFilter('natural_movie_three', 0.02, m)).toBe(false);
    expect(passesMedianFilter('natural_movie_three', 0.015, m)).toBe(true);
    expect(passesMedianFilter('static_gratings', 0.015, m)).toBe(false);
    expect(passesMedianFilter('static_gratings', 0.0105, m)).toBe(true);
  });

  it('applies custom tolerances with the same strict rule', () => {
    // 2^-10 is dyadic, so 0.25 + 2^-10 - 0.25 is exactly the tolerance at a realistic median.
    const tolerances = { tolerance: 2 ** -10, movieTolerance: 0.01 };
    const m = medians({ gabors: 0.25 });
    expect(passesMedianFilter('gabors', 0.25 + 2 ** -10, m, tolerances)).toBe(false);
    expect(passesMedianFilter('gabors', 0.25 - 2 ** -10, m, tolerances)).toBe(false);
    expect(passesMedianFilter('gabors', 0.2509, m, tolerances)).toBe(true);
  });

  it('never passes a null duration', () => {
    expect(passesMedianFilter('gabors', NaN, medians({ gabors: 0.25 }))).toBe(false);
  });

  it('filters each session on its own with the pooled medians', () => {
    const m = pooledMedians(sessions);
    const filtered = applyMedianFilter({ table: s200, medians: m });
    // gabors median 0.2501: 0.25 and 0.26 are off by 1e-4 and 0.0099; only the first passes.
    expect(filtered.stimulusName).toEqual(['gabors', 'flashes']);
    expect(Array.from(filtered.id)).toEqual([0, 1]);
  });

  it('counts presentations before and after per name, pooled', () => {
    const m = pooledMedians(sessions);
    const rows = filterSummary({ sessions, medians: m });
    expect(rows.map((r) => [r.stimulusName, r.before, r.after, r.removed])).toEqual([
      ['natural_movie_one', 1, 1, 0],
      ['gabors', 4, 3, 1],
      ['natural_movie_one_more_repeats', 1, 1, 0],
      ['flashes', 1, 1, 0],
    ]);
    expect(rows[1]!.percentRemoved).toBe(25);
  });

  it('treats a stimulus without a median as a caller bug', () => {
    expect(() => passesMedianFilter('dot_motion', 1, medians({}))).toThrow(/no pooled median/);
  });
});

describe.skipIf(!hasNumpy)('median, cross-checked with np.median', () => {
  it('agrees bit for bit on odd and even counts', () => {
    const random = seeded(5);
    const samples = Array.from({ length: 200 }, () =>
      Array.from({ length: random.int(1, 30) }, () => 0.2502 + (random.next() - 0.5) * 1e-3),
    );
    const expected = runPython<string[]>(
      'import json,sys\nimport numpy as np\nprint(json.dumps([repr(float(np.median([float(s) for s in v]))) for v in json.load(sys.stdin)]))',
      samples.map((v) => toPython(v)),
    );
    expect(samples.map((v) => median(Float64Array.from(v)))).toEqual(expected.map(fromPython));
  });
});
