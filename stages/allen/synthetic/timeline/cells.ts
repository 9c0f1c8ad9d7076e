// Cell values of the presentation tables as AllenSDK v2.0.0 stored them
// (allen-nwb-layout.md §5.1): a column is float64 when every value pandas parsed for the table was
// numeric, otherwise every cell is text: numbers as Python's str(float) ("0.04", "45.0"),
// missing values "N/A". Which numeric columns came back as text depended on pandas' chunked type
// inference, so the generator turns a few of them into text at random (`drawTextColumns`).

import type { Rng } from '../random.js';
import { SPONTANEOUS, STIMULUS_INDEX, stimulusSpec, type CellValue, type ColumnDef, type Condition } from './catalog.js';
import type { PresentationTable } from './schedule.js';

/** Chance that a numeric column of a table is stored as text instead. */
const TEXT_COLUMN_CHANCE = 0.03;

/**
 * Float64 columns never turned into text: the documented counterpart of spatial_frequency being
 * text in drifting_gratings (allen-nwb-layout.md §0.3, §5.2), kept so every session shows it.
 */
const ALWAYS_FLOAT = new Set(['static_gratings/spatial_frequency', 'drifting_gratings_75_repeats/spatial_frequency']);

/** Python's str() of a float: shortest round-trip digits, ".0" on integers, e-notation < 1e-4. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const ax = Math.abs(x);
  if (ax < 1e-4 || ax >= 1e16) {
    const [mantissa, exp] = x.toExponential().split('e') as [string, string];
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  const s = String(x);
  return Number.isInteger(x) ? `${s}.0` : s;
}

/** The condition of row `i`, with its stimulus_block and stimulus_index. */
export function rowCondition(table: PresentationTable, i: number): Condition {
  const spec = stimulusSpec(table.name);
  const c = table.condition[i] as number;
  const base: Condition = spec.movie !== undefined ? { frame: c } : (spec.conditions[c] as Condition);
  return { ...base, stimulus_block: table.block[i] as number, stimulus_index: STIMULUS_INDEX[table.name] ?? null };
}

export type StoredColumn =
  | { readonly name: string; readonly kind: 'f64'; readonly values: Float64Array }
  | { readonly name: string; readonly kind: 'str'; readonly values: string[] };

/**
 * The parameter columns of one table as stored: text columns get Python-formatted numbers and
 * "N/A"; columns with no value in any row are dropped (the writer's dropna(axis=1, how='all')).
 */
export function storedColumns(table: PresentationTable, textColumns: ReadonlySet<string>): StoredColumn[] {
  if (table.name === SPONTANEOUS) return [];
  const spec = stimulusSpec(table.name);
  const n = table.start.length;
  const conditions = Array.from({ length: n }, (_, i) => rowCondition(table, i));
  const out: StoredColumn[] = [];
  for (const col of spec.columns) {
    const cells = conditions.map((c) => col.value(c));
    if (cells.every((v) => v === null)) continue;
    const asText = col.storage === 's' || textColumns.has(`${table.name}/${col.name}`);
    if (asText) out.push({ name: col.name, kind: 'str', values: cells.map(toText) });
    else out.push({ name: col.name, kind: 'f64', values: Float64Array.from(cells, (v) => toNumber(v, col)) });
  }
  return out;
}

function toText(v: CellValue): string {
  if (v === null) return 'N/A';
  return typeof v === 'number' ? pyFloat(v) : v;
}

function toNumber(v: CellValue, col: ColumnDef): number {
  if (v === null) return Number.NaN;
  if (typeof v === 'string') throw new Error(`text value in float column ${col.name}`);
  return v;
}

/**
 * Picks the numeric columns stored as text in this session ("<table>/<column>"); at least one, so
 * every session exercises the reader's per-cell coercion.
 */
export function drawTextColumns(tables: readonly PresentationTable[], rng: Rng): Set<string> {
  const candidates: string[] = [];
  const chosen = new Set<string>();
  for (const table of tables) {
    if (table.name === SPONTANEOUS || table.start.length === 0) continue;
    for (const col of stimulusSpec(table.name).columns) {
      const key = `${table.name}/${col.name}`;
      if (col.storage !== 'f' || ALWAYS_FLOAT.has(key)) continue;
      candidates.push(key);
      if (rng.chance(TEXT_COLUMN_CHANCE)) chosen.add(key);
    }
  }
  if (chosen.size === 0 && candidates.length > 0) chosen.add(rng.pick(candidates));
  return chosen;
}
