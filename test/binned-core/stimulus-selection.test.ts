import { describe, expect, it } from 'vitest';
import {
  maxDuration,
  selectPresentations,
  stimulusTypes,
  type SelectedPresentations,
  type StimulusType,
} from '../../stages/binned/core/index.js';
import { makeTable } from './helpers/tables.js';

function types(): Map<string, StimulusType> {
  const result = stimulusTypes();
  if (!result.ok) throw new Error('unexpected error');
  return new Map(result.value.map((t) => [t.name, t]));
}

function column(selected: SelectedPresentations | null, name: string): number[] {
  const col = selected?.columns.find((c) => c.name === name);
  if (!col) throw new Error(`no column ${name}`);
  return Array.from(col.values);
}

describe('output stimulus types (§5, §8)', () => {
  it('has the ten published files, natural_movie_one holding both natural_movie_one names', () => {
    const t = types();
    expect([...t.keys()]).toEqual([
      'dot_motion',
      'drifting_gratings',
      'drifting_gratings_75_repeats',
      'drifting_gratings_contrast',
      'flashes',
      'gabors',
      'natural_movie_one',
      'natural_movie_three',
      'natural_scenes',
      'static_gratings',
    ]);
    expect(t.get('natural_movie_one')!.members).toEqual(['natural_movie_one', 'natural_movie_one_more_repeats']);
    expect(t.get('natural_movie_one')!.parameters).toEqual(['frame']);
    expect([...t.values()].filter((x) => x.clipToStop).map((x) => x.name)).toEqual([
      'natural_movie_one',
      'natural_movie_three',
    ]);
  });

  it('rejects groups that cannot be binned together', () => {
    expect(stimulusTypes({ groups: { g: ['gabors', 'nothing'] } })).toEqual({
      ok: false,
      error: { kind: 'unknown-group-member', group: 'g', member: 'nothing' },
    });
    expect(stimulusTypes({ groups: { a: ['gabors'], b: ['gabors'] } })).toEqual({
      ok: false,
      error: { kind: 'member-in-two-groups', member: 'gabors', groups: ['a', 'b'] },
    });
    expect(stimulusTypes({ groups: { g: ['gabors', 'natural_movie_three'] } })).toEqual({
      ok: false,
      error: { kind: 'mixed-movie-group', group: 'g' },
    });
  });

  it('follows an overridden parameter table', () => {
    const result = stimulusTypes({ relevantParameters: { gabors: ['orientation'] }, groups: {} });
    expect(result.ok && result.value.map((t) => [t.name, t.parameters])).toEqual([['gabors', ['orientation']]]);
  });
});

describe('per-stimulus selection (§5)', () => {
  const table = makeTable({
    names: [
      'drifting_gratings', // 0 kept
      'drifting_gratings', // 1 blank sweep: orientation and temporal_frequency null
      'drifting_gratings', // 2 temporal_frequency is a list-string: counts as null
      'drifting_gratings', // 3 stimulus_block null
      'natural_scenes', // 4 kept
      'natural_scenes', // 5 blank image, frame -1
      'natural_scenes', // 6 null frame: not -1, kept
      'flashes', // 7 null color: flashes are not null-filtered
      'natural_movie_one_more_repeats', // 8
      'natural_movie_one', // 9
      'natural_movie_one_more_repeats', // 10
      'gabors', // 11 kept, x_position missing → null
      'spontaneous_like_unknown', // 12 not in the table: no output
    ],
    id: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    start: [0, 1, 2, 3, 4, 5, 6, 7, 8, 40, 80, 120, 130],
    stop: [2, 3, 4, 5, 4.25, 5.25, 6.25, 7.25, 38, 70, 110, 120.25, 131],
    params: {
      orientation: [90, null, 45, 0, null, null, null, 0, 0, 0, 0, 30, null],
      temporal_frequency: [2, null, '[1.0, 1.0]', 4, null, null, null, null, null, null, null, 4, null],
      frame: [null, null, null, null, 12, -1, null, null, null, null, null, null, null],
      color: [null, null, null, null, null, null, null, null, null, null, null, null, null],
      y_position: [null, null, null, null, null, null, null, null, null, null, null, 10, null],
      stimulus_block: [1, 1, 1, null, 2, 2, 2, 3, 4, 5, 4, 6, null],
    },
  });

  it('drops gratings rows with a null (or text) in any kept column', () => {
    const s = selectPresentations({ table, stimulusType: types().get('drifting_gratings')! });
    expect(Array.from(s!.id)).toEqual([0]);
    expect(s!.columns.map((c) => c.name)).toEqual([
      'temporal_frequency',
      'orientation',
      'stimulus_block',
      'start_time',
      'stop_time',
      'duration',
    ]);
    expect(column(s, 'temporal_frequency')).toEqual([2]);
    expect(s!.clipToStop).toBe(false);
  });

  it('null-filters on the parameters of an overridden table', () => {
    const custom = stimulusTypes({ relevantParameters: { drifting_gratings: ['orientation'] }, groups: {} });
    if (!custom.ok) throw new Error('unexpected error');
    const s = selectPresentations({ table, stimulusType: custom.value[0]! });
    // Row 2's text temporal_frequency no longer matters; row 1 (null orientation) still goes.
    expect(Array.from(s!.id)).toEqual([0, 2]);
    expect(s!.columns.map((c) => c.name)).toEqual(['orientation', 'stimulus_block', 'start_time', 'stop_time', 'duration']);
  });

  it('drops natural_scenes frame -1 only', () => {
    const s = selectPresentations({ table, stimulusType: types().get('natural_scenes')! });
    expect(Array.from(s!.id)).toEqual([4, 6]);
    expect(column(s, 'frame')).toEqual([12, NaN]);
  });

  it('does not null-filter other stimuli; missing columns are null', () => {
    const flashes = selectPresentations({ table, stimulusType: types().get('flashes')! });
    expect(Array.from(flashes!.id)).toEqual([7]);
    expect(column(flashes, 'color')).toEqual([NaN]);
    const gabors = selectPresentations({ table, stimulusType: types().get('gabors')! });
    expect(column(gabors, 'x_position')).toEqual([NaN]);
    expect(column(gabors, 'y_position')).toEqual([10]);
  });

  it('bins natural_movie_one and natural_movie_one_more_repeats as one type, in id order', () => {
    const s = selectPresentations({ table, stimulusType: types().get('natural_movie_one')! });
    expect(Array.from(s!.id)).toEqual([8, 9, 10]);
    expect(column(s, 'stimulus_block')).toEqual([4, 5, 4]);
    expect(s!.clipToStop).toBe(true);
    expect(maxDuration(s!)).toBe(30);
  });

  it('returns null when nothing is left', () => {
    expect(selectPresentations({ table, stimulusType: types().get('dot_motion')! })).toBeNull();
  });

  it('takes the longest duration, skipping nulls', () => {
    const s = selectPresentations({
      table: makeTable({
        names: ['flashes', 'flashes', 'flashes'],
        start: [0, 1, 2],
        stop: [0.25, 1.5, 2.25],
        duration: [NaN, 0.5, 0.25],
      }),
      stimulusType: types().get('flashes')!,
    });
    expect(maxDuration(s!)).toBe(0.5);
  });
});
