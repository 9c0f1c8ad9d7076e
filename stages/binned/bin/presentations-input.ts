// A session's filtered presentations (stages/README.md, `data/presentations/filtered/`) as the
// core's PresentationTable: numbers with null as NaN, and each `<name>__text` companion column
// folded back into parameter `<name>` as its text cells (§2.2: text in a relevant parameter
// counts as null, which `numericColumn` already gives).

import { StageError } from '../../../engine/builtin/types.js';
import { columnNames, numberColumn, readArrowTable, requiredNumberColumn, stringColumn, type ArrowTable } from '../../arrays/arrow-table.js';
import { takeRows, type ParamColumn, type PresentationTable } from '../core/index.js';

const FIXED = new Set(['presentation_id', 'stimulus_name', 'start_time', 'stop_time', 'duration']);
const TEXT_SUFFIX = '__text';
const REPAIR = 're-run filter_presentations';

/** The table in ascending presentation id (§8 orders presentations so). */
export function readPresentationTable(file: string): PresentationTable {
  const t = readArrowTable(file);
  const ids = requiredNumberColumn(t, 'presentation_id');
  const id = new Int32Array(t.rows);
  for (let r = 0; r < t.rows; r++) {
    const x = ids[r]!;
    if (!Number.isInteger(x) || x < 0 || x > 0x7fffffff) throw new StageError(`${file}: presentation_id ${x} in row ${r} is not a row number`, REPAIR);
    id[r] = x;
  }
  const names = stringColumn(t, 'stimulus_name');
  const stimulusName = names.map((n, r) => {
    if (n === null) throw new StageError(`${file}: stimulus_name is null in row ${r}`, REPAIR);
    return n;
  });
  const table: PresentationTable = {
    length: t.rows,
    id,
    stimulusName,
    startTime: numberColumn(t, 'start_time'),
    stopTime: numberColumn(t, 'stop_time'),
    duration: numberColumn(t, 'duration'),
    params: readParams(t),
  };
  return inIdOrder(table, file);
}

function readParams(t: ArrowTable): Map<string, ParamColumn> {
  const all = columnNames(t);
  const params = new Map<string, ParamColumn>();
  for (const name of all) {
    if (FIXED.has(name) || name.endsWith(TEXT_SUFFIX)) continue;
    const textColumn = `${name}${TEXT_SUFFIX}`;
    params.set(name, all.includes(textColumn) ? withText(numberColumn(t, name), stringColumn(t, textColumn)) : { values: numberColumn(t, name) });
  }
  // A text companion without its numeric column: every numeric cell of it is null.
  for (const name of all) {
    if (!name.endsWith(TEXT_SUFFIX)) continue;
    const param = name.slice(0, -TEXT_SUFFIX.length);
    if (!params.has(param) && !FIXED.has(param)) params.set(param, withText(new Float64Array(t.rows).fill(NaN), stringColumn(t, name)));
  }
  return params;
}

function withText(values: Float64Array, text: readonly (string | null)[]): ParamColumn {
  return { values, text: text.map((s) => s ?? undefined) };
}

/** Sorts by id when the file is not already in id order; duplicate ids are an input error. */
function inIdOrder(table: PresentationTable, file: string): PresentationTable {
  let sorted = true;
  for (let r = 1; r < table.length; r++) {
    if (table.id[r]! === table.id[r - 1]!) throw new StageError(`${file}: presentation_id ${table.id[r]} appears twice`, REPAIR);
    if (table.id[r]! < table.id[r - 1]!) sorted = false;
  }
  if (sorted) return table;
  const rows = Array.from({ length: table.length }, (_, r) => r).sort((a, b) => table.id[a]! - table.id[b]!);
  for (let i = 1; i < rows.length; i++) {
    if (table.id[rows[i]!] === table.id[rows[i - 1]!]) throw new StageError(`${file}: presentation_id ${table.id[rows[i]!]} appears twice`, REPAIR);
  }
  return takeRows(table, rows);
}
