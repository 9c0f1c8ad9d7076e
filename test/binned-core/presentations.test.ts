import { describe, expect, it } from 'vitest';
import {
  buildPresentations,
  concatenatePresentations,
  INVALID_PRESENTATION,
  maskInvalidPresentations,
  type IntervalsTable,
  type InvalidTimesInput,
  type PresentationTable,
} from '../../stages/binned/core/index.js';
import { cells } from './helpers/tables.js';

const f = (...v: number[]) => Float64Array.from(v);

// Rows within a table are chronological, as written; the tables interleave in time.
const TABLES: IntervalsTable[] = [
  {
    name: 'static_gratings',
    startTime: f(1, 5),
    stopTime: f(1.25, 5.25),
    columns: {
      stimulus_name: ['static_gratings', 'static_gratings'],
      orientation: f(0, NaN),
      spatial_frequency: ['0.04', 'N/A'],
      phase: ['[0.0, 0.0]', '0.25'],
      stimulus_block: f(2, 2),
      tags: ['stimulus_time_interval', 'stimulus_time_interval'],
    },
  },
  // Spontaneous tables have no stimulus_name column (nor stimulus_block).
  { name: 'spontaneous', startTime: f(0), stopTime: f(1), columns: {} },
  {
    name: 'gabors',
    startTime: f(2, 4),
    stopTime: f(2.25, 4.25),
    columns: { stimulus_name: ['gabors', 'gabors'], x_position: f(0, 10), stimulus_block: f(1, 1) },
  },
  // Starts at 4 like the second gabor: flashes_presentations sorts before gabors_presentations.
  {
    name: 'flashes',
    startTime: f(4),
    stopTime: f(4.25),
    columns: { stimulus_name: ['flashes'], color: ['-1.0'], stimulus_block: f(3) },
  },
  {
    name: 'natural_movie_one_shuffled',
    startTime: f(6),
    stopTime: f(6.03),
    columns: { stimulus_name: ['natural_movie_one_shuffled'], frame: f(3) },
  },
];

function concatenated(tables: IntervalsTable[] = TABLES): PresentationTable {
  const result = concatenatePresentations(tables);
  if (!result.ok) throw new Error('unexpected error');
  return result.value;
}

describe('presentations table (§2)', () => {
  it('sorts all rows by start time and numbers them 0..N-1', () => {
    const t = concatenated();
    expect(Array.from(t.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(t.stimulusName).toEqual([
      'spontaneous',
      'static_gratings',
      'gabors',
      'flashes',
      'gabors',
      'static_gratings',
      'natural_movie_one_shuffled',
    ]);
    expect(Array.from(t.startTime)).toEqual([0, 1, 2, 4, 4, 5, 6]);
  });

  it('computes duration as stop - start in float64', () => {
    const t = concatenated();
    expect(t.duration[6]).toBe(6.03 - 6);
    expect(t.duration[6]).not.toBe(0.03);
  });

  it('parses string cells and leaves missing columns null', () => {
    const t = concatenated();
    expect(cells(t, 'spatial_frequency')).toEqual([null, 0.04, null, null, null, null, null]);
    expect(cells(t, 'phase')).toEqual([null, '[0.0, 0.0]', null, null, null, 0.25, null]);
    expect(cells(t, 'orientation')).toEqual([null, 0, null, null, null, null, null]);
    expect(cells(t, 'color')).toEqual([null, null, null, -1, null, null, null]);
    expect(cells(t, 'stimulus_block')).toEqual([null, 2, 1, 3, 1, 2, null]);
    expect(cells(t, 'no_such_column')).toEqual([null, null, null, null, null, null, null]);
    expect(t.params.has('tags')).toBe(false);
  });

  it('breaks start-time ties by HDF5 table name, then row order', () => {
    const tie = (name: string): IntervalsTable => ({
      name,
      startTime: f(7, 7),
      stopTime: f(8, 8),
      columns: { frame: f(0, 1) },
    });
    const t = concatenated([tie('natural_movie_one'), tie('natural_movie_one_more_repeats')]);
    // "natural_movie_one_more_repeats_presentations" < "natural_movie_one_presentations" ('m' < 'p').
    expect(t.stimulusName).toEqual([
      'natural_movie_one_more_repeats',
      'natural_movie_one_more_repeats',
      'natural_movie_one',
      'natural_movie_one',
    ]);
    expect(cells(t, 'frame')).toEqual([0, 1, 0, 1]);
  });

  it('drops spontaneous, shuffled and invalid rows but keeps the global ids', () => {
    const result = buildPresentations({ tables: TABLES });
    if (!result.ok) throw new Error('unexpected error');
    expect(Array.from(result.value.id)).toEqual([1, 2, 3, 4, 5]);
    expect(result.value.stimulusName).toEqual(['static_gratings', 'gabors', 'flashes', 'gabors', 'static_gratings']);
  });

  it('reports a column whose length differs from the table', () => {
    const bad: IntervalsTable = { name: 'gabors', startTime: f(1, 2), stopTime: f(1.25), columns: {} };
    expect(concatenatePresentations([bad])).toEqual({
      ok: false,
      error: { kind: 'length-mismatch', table: 'intervals/gabors_presentations', column: 'stop_time', expected: 2, actual: 1 },
    });
  });
});

describe('invalid presentations (§2.4)', () => {
  const invalid: InvalidTimesInput = {
    // Starts exactly at the stop of the gabor shown 2–2.25: touching counts as overlap.
    start: f(2.25, 4.1),
    stop: f(3, 4.2),
    tags: [
      ['EcephysSession', '715093703', 'stimulus'],
      // A probe interval overlapping the flash and the gabor at 4: masks nothing.
      ['EcephysProbe', '810755797', 'probeA'],
    ],
  };

  it('masks presentations overlapping a stimulus-tagged interval inclusively', () => {
    const result = maskInvalidPresentations(concatenated(), invalid);
    if (!result.ok) throw new Error('unexpected error');
    const t = result.value;
    expect(t.stimulusName[2]).toBe(INVALID_PRESENTATION);
    expect(t.stimulusName.filter((n) => n === INVALID_PRESENTATION)).toHaveLength(1);
    // id, start and stop stay; duration and every parameter become null.
    expect([t.id[2], t.startTime[2], t.stopTime[2]]).toEqual([2, 2, 2.25]);
    expect(t.duration[2]).toBeNaN();
    expect(cells(t, 'x_position')[2]).toBeNull();
    expect(cells(t, 'stimulus_block')[2]).toBeNull();
    // The unmasked gabor keeps its values.
    expect(cells(t, 'x_position')[4]).toBe(10);
  });

  it('masks presentations touching an interval at either end', () => {
    // [0.5, 1] overlaps the spontaneous row (0–1) and touches the static grating starting at 1.
    const touching: InvalidTimesInput = { start: f(0.5), stop: f(1), tags: [['EcephysSession', '1', 'stimulus']] };
    const result = maskInvalidPresentations(concatenated(), touching);
    expect(result.ok && result.value.stimulusName.slice(0, 3)).toEqual([
      INVALID_PRESENTATION,
      INVALID_PRESENTATION,
      'gabors',
    ]);
  });

  it('does not modify the table it was given', () => {
    const t = concatenated();
    maskInvalidPresentations(t, invalid);
    expect(t.stimulusName[2]).toBe('gabors');
    expect(t.duration[2]).toBe(0.25);
  });

  it('drops masked rows from the final table', () => {
    const result = buildPresentations({ tables: TABLES, invalidTimes: invalid });
    expect(result.ok && Array.from(result.value.id)).toEqual([1, 3, 4, 5]);
  });
});
