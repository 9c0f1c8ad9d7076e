// The presentations table files of the contract (stages/README.md,
// `data/presentations_raw/session_<id>.arrow` and `data/presentations/filtered/session_<id>.arrow`)
// to and from the core's in-memory PresentationTable (stages/binned/core/presentation-table.ts).
//
// Layout: presentation_id int64, stimulus_name utf8, start_time, stop_time, duration float64,
// stimulus_block float64, then the other parameters in sorted name order (code-unit order, as
// Python's sorted()), each float64 with nulls and, only when it holds text cells (§2.2
// list-strings such as "[20.0, 20.0]"), followed by its `<name>__text` utf8 companion.
// stimulus_block is always written (all null when no table has it: §2.2, a missing column is
// all null), because §5 keeps it for every stimulus.

import { StageError } from '../../engine/builtin/types.js';
import type { ParamColumn, PresentationTable } from '../binned/core/presentation-table.js';
import type { Result } from '../binned/core/types.js';
import { notNaN, type Column } from './columns.js';
import { readTableFile } from './read.js';

export const TEXT_SUFFIX = '__text';
const FIXED = ['presentation_id', 'stimulus_name', 'start_time', 'stop_time', 'duration'] as const;
const STIMULUS_BLOCK = 'stimulus_block';

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function float64(name: string, values: Float64Array): Column {
  return { name, type: 'float64', values, valid: notNaN(values) };
}

function paramColumns(name: string, column: ParamColumn | undefined, rows: number): Column[] {
  const values = column?.values ?? new Float64Array(rows).fill(NaN);
  const out = [float64(name, values)];
  const text = column?.text;
  if (text && text.some((t) => t !== undefined)) {
    out.push({ name: `${name}${TEXT_SUFFIX}`, type: 'utf8', values: Array.from({ length: rows }, (_, i) => text[i]) });
  }
  return out;
}

/**
 * The table's columns in file order. An error (to be reported against the input file) when a
 * parameter's name is taken by a fixed column or by another parameter's text companion.
 */
export function presentationColumns(table: PresentationTable): Result<Column[], string> {
  const columns: Column[] = [
    { name: 'presentation_id', type: 'int64', values: table.id },
    { name: 'stimulus_name', type: 'utf8', values: table.stimulusName },
    float64('start_time', table.startTime),
    float64('stop_time', table.stopTime),
    float64('duration', table.duration),
    ...paramColumns(STIMULUS_BLOCK, table.params.get(STIMULUS_BLOCK), table.length),
  ];
  const others = [...table.params.keys()].filter((n) => n !== STIMULUS_BLOCK).sort(byCodeUnit);
  for (const name of others) columns.push(...paramColumns(name, table.params.get(name), table.length));
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) {
      return { ok: false, error: `the presentation parameter column '${c.name}' clashes with a column of the presentations table` };
    }
    seen.add(c.name);
  }
  return { ok: true, value: columns };
}

const FIX_STALE = 'delete the file and re-run the stage that writes it (extract for presentations_raw)';

/**
 * Reads a presentations table file back into the core's PresentationTable. With `parameters`,
 * only those parameter columns (and their text) are read: decoding the text columns is most of
 * the cost of a read, and the §4 durations need `frame` alone.
 */
export async function readPresentationsFile(file: string, options: { readonly parameters?: readonly string[] } = {}): Promise<PresentationTable> {
  const t = await readTableFile(file);
  const only = options.parameters;
  const wanted = (name: string) => only === undefined || only.includes(name);
  for (const name of FIXED) {
    if (!t.has(name)) throw new StageError(`${file}: not a presentations table: it has no column '${name}'`, FIX_STALE);
  }
  const ids = t.numbers('presentation_id');
  const id = new Int32Array(t.rows);
  ids.forEach((x, i) => {
    if (!Number.isInteger(x) || x < 0 || x >= 2 ** 31) {
      throw new StageError(`${file}: presentation_id row ${i} is ${x}, not a presentation id`, FIX_STALE);
    }
    id[i] = x;
  });
  const stimulusName = t.strings('stimulus_name').map((s, i) => {
    if (s === null) throw new StageError(`${file}: stimulus_name row ${i} is null`, FIX_STALE);
    return s;
  });

  const values = new Map<string, Float64Array>();
  const texts = new Map<string, (string | undefined)[]>();
  for (const name of t.names) {
    if ((FIXED as readonly string[]).includes(name)) continue;
    if (name.endsWith(TEXT_SUFFIX) && t.type(name) === 'utf8') {
      const base = name.slice(0, -TEXT_SUFFIX.length);
      if (wanted(base)) texts.set(base, t.strings(name).map((s) => s ?? undefined));
    } else if (wanted(name)) {
      values.set(name, t.numbers(name));
    }
  }
  const params = new Map<string, ParamColumn>();
  for (const [name, v] of values) {
    const text = texts.get(name);
    params.set(name, text ? { values: v, text } : { values: v });
  }
  for (const name of texts.keys()) {
    if (!values.has(name)) {
      throw new StageError(`${file}: text column '${name}${TEXT_SUFFIX}' has no numeric column '${name}'`, FIX_STALE);
    }
  }
  return {
    length: t.rows,
    id,
    stimulusName,
    startTime: t.numbers('start_time'),
    stopTime: t.numbers('stop_time'),
    duration: t.numbers('duration'),
    params,
  };
}
