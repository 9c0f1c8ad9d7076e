import { describe, expect, it } from 'vitest';
import { collapseWholeMovies } from '../../stages/binned/core/index.js';
import { cells, makeTable } from './helpers/tables.js';

const MOVIE = 'natural_movie_one';

describe('whole movies (§3)', () => {
  // Two full repeats of a 3-frame movie and a truncated third repeat, with a flash in between.
  // Durations are given explicitly so their sum differs from stop - start.
  const table = makeTable({
    names: [MOVIE, MOVIE, MOVIE, 'flashes', MOVIE, MOVIE, MOVIE, MOVIE, MOVIE],
    id: [10, 11, 12, 13, 14, 15, 16, 17, 18],
    start: [0, 1, 2, 2.9, 3, 4, 5, 6, 7],
    stop: [1, 2, 3, 2.95, 4, 5, 6, 7, 8],
    duration: [0.1, 0.2, 0.3, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5],
    params: {
      frame: [0, 1, 2, null, 0, 1, 2, 0, 1],
      stimulus_block: [3, 4, 4, 9, 5, 5, 5, 6, 6],
    },
  });
  const collapsed = collapseWholeMovies(table);

  it('makes one row per repeat, keeping the first frame id, and passes other rows through', () => {
    expect(Array.from(collapsed.id)).toEqual([10, 13, 14, 17]);
    expect(collapsed.stimulusName).toEqual([MOVIE, 'flashes', MOVIE, MOVIE]);
  });

  it('takes min start, max stop and the first frame stimulus_block; frame becomes null', () => {
    expect(Array.from(collapsed.startTime)).toEqual([0, 2.9, 3, 6]);
    expect(Array.from(collapsed.stopTime)).toEqual([3, 2.95, 6, 8]);
    expect(cells(collapsed, 'stimulus_block')).toEqual([3, 9, 5, 6]);
    expect(cells(collapsed, 'frame')).toEqual([null, null, null, null]);
  });

  it('sums frame durations left to right in float64 (not stop - start)', () => {
    // (0.1 + 0.2) + 0.3 = 0.6000000000000001, while 0.1 + (0.2 + 0.3) = 0.6.
    expect(collapsed.duration[0]).toBe(0.1 + 0.2 + 0.3);
    expect(collapsed.duration[0]).not.toBe(0.6);
    expect(collapsed.duration[3]).toBe(0.4 + 0.5); // the truncated repeat
    expect(collapsed.duration[1]).toBe(0.05); // the flash is untouched
  });

  it('never starts a repeat at a null frame, nor right after one', () => {
    const t = makeTable({
      names: [MOVIE, MOVIE, MOVIE, MOVIE, MOVIE, MOVIE],
      start: [0, 1, 2, 3, 4, 5],
      stop: [1, 2, 3, 4, 5, 6],
      // null after 1: no new repeat; 0 after null: compared with null, so no new repeat either;
      // then 0 after 5 starts the second repeat.
      params: { frame: [0, 1, null, 0, 5, 0] },
    });
    const c = collapseWholeMovies(t);
    expect(Array.from(c.id)).toEqual([0, 5]);
    expect(Array.from(c.duration)).toEqual([5, 1]);
  });

  it('starts a repeat at the first row of a movie even when its frame is null', () => {
    const t = makeTable({ names: [MOVIE, MOVIE], start: [0, 1], stop: [1, 2], params: { frame: [null, 0] } });
    expect(Array.from(collapseWholeMovies(t).id)).toEqual([0]);
  });

  it('tracks interleaved movies separately', () => {
    const t = makeTable({
      names: [MOVIE, 'natural_movie_three', MOVIE, 'natural_movie_three', MOVIE],
      start: [0, 1, 2, 3, 4],
      stop: [1, 2, 3, 4, 5],
      params: { frame: [0, 0, 1, 1, 0] },
    });
    const c = collapseWholeMovies(t);
    expect(Array.from(c.id)).toEqual([0, 1, 4]);
    expect(c.stimulusName).toEqual([MOVIE, 'natural_movie_three', MOVIE]);
    expect(Array.from(c.stopTime)).toEqual([3, 4, 5]);
  });
});
