// Per-stimulus selection (binned-dataset.md §5): the rows and columns of one output file for one
// session, taken from that session's median-filtered whole-movie table.

import { numericColumn, type PresentationTable } from './presentation-table.js';
import type { StimulusType } from './stimulus-types.js';

/** A float64 variable of the output `presentations` group. */
export interface PresentationColumn {
  readonly name: string;
  /** NaN = null (text in a relevant parameter is null too, §2.2). */
  readonly values: Float64Array;
}

export interface SelectedPresentations {
  readonly stimulusType: string;
  /** Global presentation ids, ascending. */
  readonly id: Int32Array;
  readonly startTime: Float64Array;
  readonly stopTime: Float64Array;
  readonly duration: Float64Array;
  /** Output columns in order: relevant parameters, stimulus_block, start_time, stop_time, duration. */
  readonly columns: readonly PresentationColumn[];
  readonly clipToStop: boolean;
}

/** Columns kept besides the relevant parameters. */
const FIXED_COLUMNS = ['stimulus_block', 'start_time', 'stop_time', 'duration'] as const;

/** Gratings carry blank sweeps as rows with null parameters (orientation, temporal_frequency…). */
function dropsNullRows(name: string): boolean {
  return name.includes('gratings') || name === 'dot_motion';
}

function columnOf(table: PresentationTable, name: string): Float64Array {
  switch (name) {
    case 'start_time':
      return table.startTime;
    case 'stop_time':
      return table.stopTime;
    case 'duration':
      return table.duration;
    default:
      return numericColumn(table, name);
  }
}

/** Row filter of one member stimulus, per §5. */
function memberRule(table: PresentationTable, name: string, parameters: readonly string[]): (row: number) => boolean {
  if (dropsNullRows(name)) {
    const kept = [...parameters, ...FIXED_COLUMNS].map((c) => columnOf(table, c));
    return (row) => kept.every((col) => !Number.isNaN(col[row]!));
  }
  if (name === 'natural_scenes') {
    // frame -1 is the blank image; a null frame is not -1 and stays, as the rule is written.
    const frame = numericColumn(table, 'frame');
    return (row) => frame[row] !== -1;
  }
  // Other stimuli are not null-filtered: whole movies keep their null frame.
  return () => true;
}

/**
 * The presentations of one output stimulus type in one session, or null when none is left (the
 * session then has no data for it). Members are filtered by their own rules and merged in
 * presentation-id order, which is table order.
 */
export function selectPresentations(options: {
  /** The session's table after §4 (`applyMedianFilter`). */
  readonly table: PresentationTable;
  /** From `stimulusTypes`, which applies the (possibly overridden) parameter table. */
  readonly stimulusType: StimulusType;
}): SelectedPresentations | null {
  const { table, stimulusType } = options;
  const rules = new Map(
    stimulusType.members.map((m) => [m, memberRule(table, m, stimulusType.memberParameters[m] ?? [])]),
  );
  const rows: number[] = [];
  for (let r = 0; r < table.length; r++) {
    const rule = rules.get(table.stimulusName[r]!);
    if (rule && rule(r)) rows.push(r);
  }
  if (rows.length === 0) return null;

  const pick = (values: ArrayLike<number>) => Float64Array.from(rows, (r) => values[r]!);
  // A Set, in case a custom parameter table lists a fixed column as a parameter.
  const columns = [...new Set([...stimulusType.parameters, ...FIXED_COLUMNS])].map((name) => ({
    name,
    values: pick(columnOf(table, name)),
  }));
  return {
    stimulusType: stimulusType.name,
    id: Int32Array.from(rows, (r) => table.id[r]!),
    startTime: pick(table.startTime),
    stopTime: pick(table.stopTime),
    duration: pick(table.duration),
    columns,
    clipToStop: stimulusType.clipToStop,
  };
}

/** §6's D: the longest kept duration (null durations skipped, as pandas' max does). */
export function maxDuration(selected: SelectedPresentations): number {
  let d = NaN;
  // `!(x <= d)` also holds while d is still NaN, so the first non-null duration is taken.
  for (const x of selected.duration) if (!Number.isNaN(x) && !(x <= d)) d = x;
  return d;
}
