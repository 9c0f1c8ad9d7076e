// /processing/stimulus/timestamps, one `/intervals/<name>_presentations` TimeIntervals per stimulus
// name and `/intervals/invalid_times` (allen-nwb-layout.md §5.1–5.3).

import type { InvalidInterval } from '../timeline/invalid.js';
import { storedColumns } from '../timeline/cells.js';
import type { PresentationTable } from '../timeline/schedule.js';
import { CORE, onePerRow, rowIds, writeDynamicTable, writeTimeSeries, type Column, type Nwb } from './conventions.js';

export const STIMULUS_TIMESTAMPS = '/processing/stimulus/timestamps';

/**
 * Column descriptions. Only "Orientation of stimulus" and the fallback "No description" are known
 * from the real files [REAL]; the others are written here in the same spirit [INF].
 */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  start_time: 'Start time of the interval (s)',
  stop_time: 'Stop time of the interval (s)',
  tags: 'Tags of the interval',
  timeseries: 'Rows of the stimulus timestamps TimeSeries in this interval',
  orientation: 'Orientation of stimulus',
  stimulus_name: 'Name of the stimulus',
  stimulus_block: 'Block of consecutive presentations this row belongs to',
  frame: 'Frame shown (movie frame or natural image; -1 is blank)',
  contrast: 'Contrast of the stimulus',
  spatial_frequency: 'Spatial frequency of the stimulus (cycles/deg)',
  temporal_frequency: 'Temporal frequency of the stimulus (Hz)',
  x_position: 'Horizontal position of the stimulus (deg)',
  y_position: 'Vertical position of the stimulus (deg)',
};
const describe = (name: string): string => DESCRIPTIONS[name] ?? 'No description';

/** Every presentation start, chronological: the data and timestamps of the stimulus TimeSeries. */
export function presentationStarts(tables: readonly PresentationTable[]): Float64Array {
  const all = new Float64Array(tables.reduce((n, t) => n + t.start.length, 0));
  let k = 0;
  for (const t of tables) {
    all.set(t.start, k);
    k += t.start.length;
  }
  return all.sort();
}

export function writeStimulusTimestamps(nwb: Nwb, starts: Float64Array): void {
  nwb.processingModule('/processing/stimulus', 'Stimulus Times processing');
  writeTimeSeries(nwb, STIMULUS_TIMESTAMPS, { data: starts, timestamps: starts, unit: 's' });
}

export function writePresentationTables(
  nwb: Nwb,
  opts: { readonly tables: readonly PresentationTable[]; readonly starts: Float64Array; readonly textColumns: ReadonlySet<string> },
): void {
  for (const table of opts.tables) {
    const n = table.start.length;
    const params: Column[] = storedColumns(table, opts.textColumns).map((c) =>
      c.kind === 'f64'
        ? { name: c.name, description: describe(c.name), kind: 'f64', values: c.values }
        : { name: c.name, description: describe(c.name), kind: 'str', values: c.values },
    );
    params.push({ name: 'stimulus_name', description: describe('stimulus_name'), kind: 'str', values: new Array<string>(n).fill(table.name) });
    params.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // pynwb 1.3 TimeIntervals.__calculate_idx_count: bisect_left over the stimulus timestamps.
    const idxStart = new Int32Array(n);
    const count = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const a = bisectLeft(opts.starts, table.start[i] as number);
      idxStart[i] = a;
      count[i] = bisectLeft(opts.starts, table.stop[i] as number) - a;
    }
    writeDynamicTable(nwb, `/intervals/${table.name}_presentations`, {
      namespace: CORE,
      type: 'TimeIntervals',
      description: `Presentation times and stimuli details for '${table.name}' stimuli`,
      ids: rowIds(n),
      columns: [
        { name: 'start_time', description: describe('start_time'), kind: 'f64', values: table.start },
        { name: 'stop_time', description: describe('stop_time'), kind: 'f64', values: table.stop },
        ...params,
        { name: 'tags', description: describe('tags'), kind: 'str', values: new Array<string>(n).fill('stimulus_time_interval'), index: onePerRow(n) },
        { name: 'timeseries', description: describe('timeseries'), kind: 'timeseries', idxStart, count, target: STIMULUS_TIMESTAMPS, index: onePerRow(n) },
      ],
    });
  }
}

/** Ragged tags, 3 per row: [type, id, label] (§5.3). */
export function writeInvalidTimes(nwb: Nwb, rows: readonly InvalidInterval[]): void {
  const n = rows.length;
  writeDynamicTable(nwb, '/intervals/invalid_times', {
    namespace: CORE,
    type: 'TimeIntervals',
    description: 'experimental intervals',
    ids: rowIds(n),
    columns: [
      { name: 'start_time', description: describe('start_time'), kind: 'f64', values: Float64Array.from(rows, (r) => r.start) },
      { name: 'stop_time', description: describe('stop_time'), kind: 'f64', values: Float64Array.from(rows, (r) => r.stop) },
      {
        name: 'tags',
        description: describe('tags'),
        kind: 'str',
        values: rows.flatMap((r) => [...r.tags]),
        index: BigInt64Array.from(rows, (_, i) => BigInt(3 * (i + 1))),
      },
    ],
  });
}

function bisectLeft(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
