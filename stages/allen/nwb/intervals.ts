// TimeIntervals tables: the per-stimulus `/intervals/<name>_presentations` tables and
// `/intervals/invalid_times` (allen-nwb-layout §5).
//
// Parameter columns are returned raw: the same column is float64 in one table and vlen text in
// another ("0.04", "[20.0, 20.0]", "N/A"), and columns that are all-NaN for a stimulus are absent
// from its table (§0.3). `tags` and `timeseries` (with their indexes) are bookkeeping written by
// pynwb's add_interval and are left out, as AllenSDK's reader leaves them out (§5.3).

import { FIX_DAMAGED } from './errors.js';
import type { H5File } from './h5file.js';
import { column, readRaggedIndex, readTableLayout, type TableLayout } from './dynamic-table.js';
import { readNumeric, readStrings } from './h5read.js';
import type { Column, IntervalsTable, InvalidTimes } from './types.js';

export const INTERVALS_PATH = '/intervals';
export const INVALID_TIMES_PATH = `${INTERVALS_PATH}/invalid_times`;
const PRESENTATIONS_SUFFIX = '_presentations';

/** Columns never returned among an IntervalsTable's `columns`. */
const BOOKKEEPING = new Set(['start_time', 'stop_time', 'tags', 'tags_index', 'timeseries', 'timeseries_index']);

/**
 * Every group directly under /intervals whose name ends in `_presentations`, sorted by name.
 * Deeper groups are not looked at (binned-dataset §2.1).
 */
export function readPresentationTables(h5: H5File): IntervalsTable[] {
  if (h5.optionalGroup(INTERVALS_PATH) === undefined) return [];
  return h5
    .childNames(INTERVALS_PATH)
    .filter((name) => name.endsWith(PRESENTATIONS_SUFFIX) && h5.entity(`${INTERVALS_PATH}/${name}`).kind === 'group')
    .sort()
    .map((name) => readIntervalsTable(h5, `${INTERVALS_PATH}/${name}`));
}

/** Any TimeIntervals table (also /intervals/trials or /intervals/epochs of other labs' files). */
export function readIntervalsTable(h5: H5File, path: string): IntervalsTable {
  const layout = readTableLayout(h5, path);
  const columns = new Map<string, Column>();
  const skipped: string[] = [];
  for (const c of layout.columns) {
    if (BOOKKEEPING.has(c.name)) continue;
    if (c.cells === 'numeric') columns.set(c.name, { kind: 'numeric', values: readNumeric(h5, c.path).values });
    else if (c.cells === 'string') columns.set(c.name, { kind: 'string', values: readStrings(h5, c.path) });
    else skipped.push(c.name);
  }
  return {
    name: path.slice(path.lastIndexOf('/') + 1),
    path,
    rows: layout.rows,
    id: layout.id,
    startTime: timeColumn(h5, layout, 'start_time'),
    stopTime: timeColumn(h5, layout, 'stop_time'),
    columns,
    skipped,
  };
}

/**
 * Optional: the FC example session has no invalid_times (§5.2). `path` lets the same reading
 * apply to other tagged TimeIntervals tables (e.g. `/intervals/epochs`).
 */
export function readInvalidTimes(h5: H5File, path: string = INVALID_TIMES_PATH): InvalidTimes | undefined {
  if (h5.optionalGroup(path) === undefined) return undefined;
  const layout = readTableLayout(h5, path);
  return {
    path,
    rows: layout.rows,
    startTime: timeColumn(h5, layout, 'start_time'),
    stopTime: timeColumn(h5, layout, 'stop_time'),
    tags: readTags(h5, layout),
  };
}

/** start_time / stop_time: required in every TimeIntervals table (NWB core spec). */
function timeColumn(h5: H5File, layout: TableLayout, name: 'start_time' | 'stop_time'): Float64Array {
  const c = column(layout, name);
  const path = `${layout.path}/${name}`;
  if (c === undefined) return h5.fail(path, 'is missing; every TimeIntervals table has start_time and stop_time', FIX_DAMAGED);
  if (c.cells !== 'numeric') return h5.fail(path, 'is not a column of times (one number per row)', FIX_DAMAGED);
  return readNumeric(h5, path).values;
}

/**
 * `tags` is ragged in NWB (3 per row in invalid_times, e.g. ["EcephysProbe", "810755797",
 * "probeA"]); a writer that stored one plain tag per row is read as one tag per row.
 */
function readTags(h5: H5File, layout: TableLayout): string[][] {
  const c = column(layout, 'tags');
  if (c === undefined) return Array.from({ length: layout.rows }, () => []);
  const all = readStrings(h5, c.path);
  if (c.indexPath === undefined) {
    if (c.shape.length !== 1) h5.fail(c.path, 'is not a list of strings', FIX_DAMAGED);
    return all.map((t) => [t]);
  }
  const end = readRaggedIndex(h5, { indexPath: c.indexPath, dataPath: c.path, rows: layout.rows });
  const out: string[][] = [];
  let start = 0;
  for (const e of end) {
    out.push(all.slice(start, e));
    start = e;
  }
  return out;
}
