// Whole movies (binned-dataset.md §3): movie tables hold one row per frame; the dataset bins
// one row per repeat of the whole movie.

import { numericColumn, takeRows, type PresentationTable } from './presentation-table.js';

/** Stimuli whose rows are movie frames, and whose bins are clipped at the stop time (§6). */
export function isMovie(name: string): boolean {
  return name.includes('natural_movie');
}

interface OpenRepeat {
  /** Output row of the repeat. */
  readonly out: number;
  /** Frame of the previous row of the same stimulus (NaN = null). */
  prevFrame: number;
}

/**
 * Collapses each movie's frames into repeats; other rows pass through. Rows stay in
 * presentation-id order, a repeat taking the place (and id) of its first frame.
 *
 * A repeat starts at a stimulus's first row and wherever `frame` drops below the previous row's
 * frame. A null frame on either side of that comparison starts nothing (it is false, as pandas'
 * comparison with NaN is), so a null-frame row joins the repeat in progress. The first row of a
 * stimulus starts a repeat even when its frame is null: there is nothing before it to join.
 * Parameters other than frame keep the first frame's values (§5 keeps only frame for movies).
 */
export function collapseWholeMovies(table: PresentationTable): PresentationTable {
  const frame = numericColumn(table, 'frame');
  const sourceRows: number[] = [];
  const start: number[] = [];
  const stop: number[] = [];
  const duration: number[] = [];
  const isRepeat: boolean[] = [];
  const open = new Map<string, OpenRepeat>();

  for (let r = 0; r < table.length; r++) {
    const name = table.stimulusName[r]!;
    const out = sourceRows.length;
    if (!isMovie(name)) {
      sourceRows.push(r);
      start.push(table.startTime[r]!);
      stop.push(table.stopTime[r]!);
      duration.push(table.duration[r]!);
      isRepeat.push(false);
      continue;
    }
    const f = frame[r]!;
    const current = open.get(name);
    if (current === undefined || f < current.prevFrame) {
      open.set(name, { out, prevFrame: f });
      sourceRows.push(r);
      start.push(table.startTime[r]!);
      stop.push(table.stopTime[r]!);
      duration.push(table.duration[r]!);
      isRepeat.push(true);
      continue;
    }
    const k = current.out;
    current.prevFrame = f;
    start[k] = Math.min(start[k]!, table.startTime[r]!);
    stop[k] = Math.max(stop[k]!, table.stopTime[r]!);
    // The sum of the frame durations, not stop - start: the published durations are these sums
    // (float64, left to right, in presentation-id order), and the median filter compares them.
    duration[k] = duration[k]! + table.duration[r]!;
  }

  const collapsed = takeRows(table, sourceRows);
  // takeRows returned fresh arrays, so overwriting them touches nothing shared.
  collapsed.startTime.set(start);
  collapsed.stopTime.set(stop);
  collapsed.duration.set(duration);
  const frameColumn = collapsed.params.get('frame');
  if (frameColumn) {
    const text = frameColumn.text as (string | undefined)[] | undefined;
    isRepeat.forEach((repeat, i) => {
      if (!repeat) return;
      frameColumn.values[i] = NaN;
      if (text) text[i] = undefined;
    });
  }
  return collapsed;
}
