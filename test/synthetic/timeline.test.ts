// The stimulus timeline at full scale (planned in memory, no file): real table sizes, movie
// frames at ~30 Hz, durations on the published medians, a few outliers for the median filter.

import { describe, expect, it } from 'vitest';
import { Rng } from '../../stages/allen/synthetic/random.js';
import { sizingFor } from '../../stages/allen/synthetic/sizing.js';
import { pyFloat, storedColumns } from '../../stages/allen/synthetic/timeline/cells.js';
import { sizePlan } from '../../stages/allen/synthetic/timeline/plan.js';
import { buildTimeline, type PresentationTable, type Timeline } from '../../stages/allen/synthetic/timeline/schedule.js';

/** Published median durations (shared data/published/presentations_median_durations.csv). */
const PUBLISHED_MEDIANS: Readonly<Record<string, number>> = {
  gabors: 0.2502,
  flashes: 0.2502,
  drifting_gratings: 2.0017,
  static_gratings: 0.2502,
  natural_scenes: 0.2502,
  drifting_gratings_contrast: 0.5004,
  drifting_gratings_75_repeats: 2.0017,
  dot_motion: 1.0008,
  natural_movie_one: 30.0251,
  natural_movie_three: 120.1003,
  natural_movie_one_more_repeats: 30.0251,
};

function tableOf(t: Timeline, name: string): PresentationTable {
  const table = t.tables.find((x) => x.name === name);
  if (table === undefined) throw new Error(`no table ${name}`);
  return table;
}

/** Movie rows collapsed into repeats (binned-dataset.md §3): a new repeat when frame decreases. */
function repeats(t: PresentationTable): { frames: number; duration: number; frameSet: number[] }[] {
  const out: { frames: number; duration: number; frameSet: number[] }[] = [];
  for (let i = 0; i < t.start.length; i++) {
    if (i === 0 || (t.condition[i] as number) < (t.condition[i - 1] as number)) out.push({ frames: 0, duration: 0, frameSet: [] });
    const r = out[out.length - 1] as { frames: number; duration: number; frameSet: number[] };
    r.frames++;
    r.duration += (t.stop[i] as number) - (t.start[i] as number);
    r.frameSet.push(t.condition[i] as number);
  }
  return out;
}

function durations(t: PresentationTable): number[] {
  return Array.from(t.start, (s, i) => (t.stop[i] as number) - s);
}

function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** The median-duration filter of binned-dataset.md §4 on one stimulus: how many rows it removes. */
function removedByFilter(values: readonly number[], tolerance: number, reference: number): number {
  return values.filter((d) => !(Math.abs(d - reference) < tolerance)).length;
}

describe('full-scale brain_observatory_1.1 timeline', () => {
  const timeline = buildTimeline({ sessionType: 'brain_observatory_1.1', sizing: sizingFor({ scale: 1 }), rng: Rng.of(1, 'timeline') });
  const rows = Object.fromEntries(timeline.tables.map((t) => [t.name, t.start.length]));

  it('has the real table sizes and a ~3 h session', () => {
    expect(rows).toMatchObject({ gabors: 3645, flashes: 150, drifting_gratings: 628, static_gratings: 6000, natural_scenes: 5950, natural_movie_one: 18000, spontaneous: 15 });
    // natural_movie_three: 10 repeats of 3600 frames, one cut to 60 %.
    expect(rows['natural_movie_three']).toBe(9 * 3600 + 2160);
    const hours = (timeline.end - timeline.start) / 3600;
    expect(hours).toBeGreaterThan(2.5);
    expect(hours).toBeLessThan(3.2);
  });

  it('shows movies one row per frame at ~30 Hz: 900 frames ≈ 30.025 s, 3600 ≈ 120.1 s', () => {
    const one = repeats(tableOf(timeline, 'natural_movie_one'));
    expect(one).toHaveLength(20);
    expect(one.every((r) => r.frames === 900)).toBe(true);
    expect(median(one.map((r) => r.duration))).toBeCloseTo(30.0251, 3);
    const three = repeats(tableOf(timeline, 'natural_movie_three'));
    expect(three).toHaveLength(10);
    expect(three.filter((r) => r.frames === 3600)).toHaveLength(9);
    expect(median(three.map((r) => r.duration))).toBeCloseTo(120.1003, 2);
  });

  it('puts durations on the published medians, with few outliers beyond the filter tolerance', () => {
    for (const table of timeline.tables) {
      const reference = PUBLISHED_MEDIANS[table.name];
      if (reference === undefined) continue;
      const movie = table.name.includes('natural_movie');
      const values = movie ? repeats(table).map((r) => r.duration) : durations(table);
      expect(median(values), table.name).toBeCloseTo(reference, 3);
      const removed = removedByFilter(values, movie ? 0.01 : 0.001, median(values));
      expect(removed, table.name).toBeGreaterThanOrEqual(1);
      expect(removed / values.length, table.name).toBeLessThan(movie ? 0.2 : 0.01);
    }
  });

  it('keeps presentations in time order without overlaps between tables', () => {
    const all = timeline.tables.flatMap((t) => Array.from(t.start, (s, i) => [s, t.stop[i] as number] as const)).sort((a, b) => a[0] - b[0]);
    let overlaps = 0;
    for (let i = 1; i < all.length; i++) if ((all[i] as readonly [number, number])[0] < (all[i - 1] as readonly [number, number])[1] - 0.0005) overlaps++;
    expect(overlaps).toBe(0);
  });

  it('stores blank sweeps as null parameters: NaN in float columns, "N/A" in text ones', () => {
    const dg = storedColumns(tableOf(timeline, 'drifting_gratings'), new Set());
    const sf = dg.find((c) => c.name === 'spatial_frequency');
    const ori = dg.find((c) => c.name === 'orientation');
    expect(sf?.kind).toBe('str');
    expect(new Set(sf?.values as string[])).toEqual(new Set(['0.04', 'N/A']));
    expect(ori?.kind).toBe('f64');
    const blanks = Array.from(ori?.values as Float64Array).filter(Number.isNaN).length;
    expect(blanks).toBeGreaterThan(0);
    expect((sf?.values as string[]).filter((v) => v === 'N/A').length).toBe(blanks);
    const asText = storedColumns(tableOf(timeline, 'drifting_gratings'), new Set(['drifting_gratings/orientation']));
    expect(new Set(asText.find((c) => c.name === 'orientation')?.values as string[])).toEqual(new Set(['0.0', '45.0', '90.0', '135.0', '180.0', '225.0', '270.0', '315.0', 'N/A']));
    const scenes = storedColumns(tableOf(timeline, 'natural_scenes'), new Set());
    expect(Array.from(scenes.find((c) => c.name === 'frame')?.values as Float64Array)).toContain(-1);
  });
});

describe('full-scale functional_connectivity timeline', () => {
  const timeline = buildTimeline({ sessionType: 'functional_connectivity', sizing: sizingFor({ scale: 1 }), rng: Rng.of(2, 'timeline') });

  it('has the FC stimulus set and sizes', () => {
    const rows = Object.fromEntries(timeline.tables.map((t) => [t.name, t.start.length]));
    expect(rows).toMatchObject({ dot_motion: 495, drifting_gratings_contrast: 540, drifting_gratings_75_repeats: 600, natural_movie_one_shuffled: 18000, spontaneous: 6 });
    const more = repeats(tableOf(timeline, 'natural_movie_one_more_repeats'));
    expect(more).toHaveLength(60);
    expect(more.filter((r) => r.frames < 900)).toHaveLength(1); // the truncated repeat
  });

  it('shuffles the frames of natural_movie_one_shuffled', () => {
    const t = tableOf(timeline, 'natural_movie_one_shuffled');
    const first = Array.from(t.condition.subarray(0, 900));
    expect(new Set(first).size).toBe(900);
    expect(first).not.toEqual([...first].sort((a, b) => a - b));
  });
});

describe('sizing a plan', () => {
  it('splits overridden counts over the blocks and adds stimuli the protocol lacks', () => {
    const sizing = sizingFor({ scale: 1, presentations: { gabors: 3644, natural_movie_three: 9, drifting_gratings_contrast: 540 } });
    const plan = sizePlan('brain_observatory_1.1', sizing);
    const total = (s: string): number => plan.reduce((n, i) => n + (i.kind === 'block' && i.stimulus === s ? i.count : 0), 0);
    expect(total('gabors')).toBe(3644);
    expect(total('natural_movie_three')).toBe(9);
    expect(total('drifting_gratings_contrast')).toBe(540);
    const blocks = plan.flatMap((i) => (i.kind === 'block' ? [i.block] : []));
    expect(blocks).toEqual(blocks.map((_, k) => k));
  });
});

describe('pyFloat', () => {
  it("formats like Python's str(float)", () => {
    expect([0.04, 45, -1, 0, 0.25, 0.0005, 1e-5, 3644.93333333, 1e16, Number.NaN].map(pyFloat)).toEqual([
      '0.04', '45.0', '-1.0', '0.0', '0.25', '0.0005', '1e-05', '3644.93333333', '1e+16', 'nan',
    ]);
  });
});
