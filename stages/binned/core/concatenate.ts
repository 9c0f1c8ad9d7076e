// Steps 1–3 of binned-dataset.md §2: one table of all presentations of a session.

import { cachedStringCellParser } from './cells.js';
import { checkLengths } from './lengths.js';
import type { ParamColumn, PresentationTable } from './presentation-table.js';
import { ok, type CoreInputError, type IntervalsTable, type Result } from './types.js';

/** Columns that are bookkeeping, not stimulus parameters (AllenSDK drops them when reading). */
const NOT_PARAMETERS = new Set([
  'tags',
  'tags_index',
  'timeseries',
  'timeseries_index',
  'id',
  'start_time',
  'stop_time',
  'stimulus_name',
]);

/**
 * Tables are taken in the order of their HDF5 names, `<name>_presentations`: the order AllenSDK
 * iterates `nwbfile.intervals` in. It matters only for equal start times across tables (none in
 * the real sessions); note that it puts `natural_movie_one_more_repeats` before
 * `natural_movie_one`, because `m` < `p`.
 */
function byHdf5Name(a: IntervalsTable, b: IntervalsTable): number {
  const an = `${a.name}_presentations`;
  const bn = `${b.name}_presentations`;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/**
 * Order of the concatenated rows by start time: stable (ties keep concatenation order), NaN last
 * as in pandas `sort_values`. The explicit index tie-break makes stability independent of the
 * engine's sort algorithm.
 */
function startTimeOrder(start: Float64Array): Uint32Array {
  const order = new Uint32Array(start.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => {
    const sa = start[a]!;
    const sb = start[b]!;
    if (sa < sb) return -1;
    if (sa > sb) return 1;
    const na = Number.isNaN(sa);
    const nb = Number.isNaN(sb);
    if (na !== nb) return na ? 1 : -1;
    return a - b;
  });
}

/** Concatenates, parses cells, sorts by start time and assigns global presentation ids. */
export function concatenatePresentations(
  tables: readonly IntervalsTable[],
): Result<PresentationTable, CoreInputError> {
  for (const t of tables) {
    const problem = checkLengths(`intervals/${t.name}_presentations`, t.startTime.length, {
      stop_time: t.stopTime,
      ...t.columns,
    });
    if (problem) return { ok: false, error: problem };
  }
  const sorted = [...tables].sort(byHdf5Name);
  const offsets: number[] = [];
  let n = 0;
  for (const t of sorted) {
    offsets.push(n);
    n += t.startTime.length;
  }

  const concatStart = new Float64Array(n);
  sorted.forEach((t, k) => concatStart.set(t.startTime, offsets[k]));
  const order = startTimeOrder(concatStart);
  // position[concatenated row] = global presentation id.
  const position = new Uint32Array(n);
  for (let i = 0; i < n; i++) position[order[i]!] = i;

  const id = new Int32Array(n);
  const startTime = new Float64Array(n);
  const stopTime = new Float64Array(n);
  const duration = new Float64Array(n);
  const stimulusName: string[] = new Array<string>(n);
  sorted.forEach((t, k) => {
    const names = t.columns['stimulus_name'];
    for (let r = 0; r < t.startTime.length; r++) {
      const p = position[offsets[k]! + r]!;
      startTime[p] = t.startTime[r]!;
      stopTime[p] = t.stopTime[r]!;
      // A table without a stimulus_name column (e.g. spontaneous) is named after itself.
      stimulusName[p] = names === undefined ? t.name : String(names[r]);
    }
  });
  for (let p = 0; p < n; p++) {
    id[p] = p;
    duration[p] = stopTime[p]! - startTime[p]!;
  }

  const params = gatherParams(sorted, offsets, position, n);
  return ok({ length: n, id, stimulusName, startTime, stopTime, duration, params });
}

/** One column per parameter name found in any table; rows of tables without it stay null. */
function gatherParams(
  sorted: readonly IntervalsTable[],
  offsets: readonly number[],
  position: Uint32Array,
  n: number,
): Map<string, ParamColumn> {
  const parse = cachedStringCellParser();
  const values = new Map<string, Float64Array>();
  const texts = new Map<string, (string | undefined)[]>();
  sorted.forEach((t, k) => {
    for (const [name, column] of Object.entries(t.columns)) {
      if (NOT_PARAMETERS.has(name)) continue;
      let v = values.get(name);
      if (!v) {
        v = new Float64Array(n).fill(NaN);
        values.set(name, v);
      }
      const base = offsets[k]!;
      if (column instanceof Float64Array) {
        // NaN stays NaN, which is null; ±Infinity are kept (§2.2).
        for (let r = 0; r < column.length; r++) v[position[base + r]!] = column[r]!;
        continue;
      }
      for (let r = 0; r < column.length; r++) {
        const cell = parse(column[r]!);
        const p = position[base + r]!;
        if (typeof cell === 'number') v[p] = cell;
        else if (typeof cell === 'string') {
          let text = texts.get(name);
          if (!text) {
            text = new Array<string | undefined>(n);
            texts.set(name, text);
          }
          text[p] = cell;
        }
      }
    }
  });
  const params = new Map<string, ParamColumn>();
  for (const [name, v] of values) {
    const text = texts.get(name);
    params.set(name, text ? { values: v, text } : { values: v });
  }
  return params;
}
