// The files of `data/binned/session_<id>/` (stages/README.md): names, the JSON metadata and
// index, written here and read by binarize, interpolate_behavior and the h5 writer.
//
// JSON has no NaN or infinities. A null presentation cell (NaN) is written as `null`, as the
// contract says; ±infinity (a §2.2 "inf" cell) as the number literals `1e999` / `-1e999`, which
// are valid JSON numbers that both `JSON.parse` and Python's `json.loads` read back as ±infinity,
// so no value is lost and the contract's "float64 or null" still holds.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StageError } from '../../../engine/builtin/types.js';

export const INDEX_FILE = 'index.json';

/** Type names become file names: no separators, nothing that could leave the directory. */
export function isFileSafeTypeName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name);
}

/** uint8 (presentation_id, time, unit_id) spike counts of one stimulus type. */
export function countsFile(stimulusType: string): string {
  return `${stimulusType}.counts.npy`;
}

export function metadataFile(stimulusType: string): string {
  return `${stimulusType}.json`;
}

export interface BinnedIndex {
  readonly session_id: number;
  /** The types with data in this session, ascending; each has its counts and metadata files. */
  readonly stimulus_types: readonly string[];
}

/** `<type>.json`, with numbers as read back (null cells as NaN). */
export interface BinnedTypeMetadata {
  readonly stimulus_type: string;
  readonly session_id: number;
  readonly bin_width: number;
  /** Bin centres (§6), the `time` coordinate. */
  readonly time: Float64Array;
  /** Global presentation ids, ascending. */
  readonly presentation_id: Float64Array;
  /** Unit ids in session order (§1). */
  readonly unit_id: Float64Array;
  readonly structure: readonly (string | null)[];
  /** The kept columns of §5, one value per presentation, NaN = null. */
  readonly columns: ReadonlyMap<string, Float64Array>;
}

function jsonNumber(x: number): string {
  if (Number.isNaN(x)) return 'null';
  if (x === Infinity) return '1e999';
  if (x === -Infinity) return '-1e999';
  return JSON.stringify(x);
}

function numberList(values: ArrayLike<number>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = jsonNumber(values[i]!);
  return `[${parts.join(', ')}]`;
}

/** Serialises `<type>.json`: one key per line, arrays on one line each. */
export function formatTypeMetadata(m: BinnedTypeMetadata): string {
  const lines = [
    `  "stimulus_type": ${JSON.stringify(m.stimulus_type)}`,
    `  "session_id": ${jsonNumber(m.session_id)}`,
    `  "bin_width": ${jsonNumber(m.bin_width)}`,
    `  "time": ${numberList(m.time)}`,
    `  "presentation_id": ${numberList(m.presentation_id)}`,
    `  "unit_id": ${numberList(m.unit_id)}`,
    `  "structure": ${JSON.stringify(m.structure)}`,
  ];
  const columns = [...m.columns].map(([name, values]) => `    ${JSON.stringify(name)}: ${numberList(values)}`);
  lines.push(columns.length === 0 ? '  "columns": {}' : `  "columns": {\n${columns.join(',\n')}\n  }`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

export function writeTypeMetadata(dir: string, m: BinnedTypeMetadata): void {
  writeFileSync(join(dir, metadataFile(m.stimulus_type)), formatTypeMetadata(m));
}

export function writeBinnedIndex(dir: string, index: BinnedIndex): void {
  writeFileSync(join(dir, INDEX_FILE), JSON.stringify(index, null, 2) + '\n');
}

const REPAIR = 're-run bin_spikes for this session';

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new StageError(`${file}: cannot read (${(e as Error).message})`, REPAIR);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new StageError(`${file}: not valid JSON (${(e as Error).message})`, REPAIR);
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function readBinnedIndex(dir: string): BinnedIndex {
  const file = join(dir, INDEX_FILE);
  const json = readJson(file);
  if (
    !isRecord(json) ||
    typeof json.session_id !== 'number' ||
    !Array.isArray(json.stimulus_types) ||
    !json.stimulus_types.every((t): t is string => typeof t === 'string' && isFileSafeTypeName(t))
  ) {
    throw new StageError(`${file}: expected { "session_id": number, "stimulus_types": [names] }`, REPAIR);
  }
  return { session_id: json.session_id, stimulus_types: json.stimulus_types };
}

export function readTypeMetadata(dir: string, stimulusType: string): BinnedTypeMetadata {
  const file = join(dir, metadataFile(stimulusType));
  const json = readJson(file);
  const bad = (what: string): never => {
    throw new StageError(`${file}: ${what}`, REPAIR);
  };
  if (!isRecord(json)) return bad('expected a JSON object');
  const numbers = (key: string, allowNull: boolean, value: unknown = json[key]): Float64Array => {
    if (!Array.isArray(value)) return bad(`'${key}' is not an array`);
    const out = new Float64Array(value.length);
    value.forEach((v, i) => {
      if (typeof v === 'number') out[i] = v;
      else if (v === null && allowNull) out[i] = NaN;
      else bad(`'${key}'[${i}] is ${JSON.stringify(v)}, expected a number`);
    });
    return out;
  };
  if (json.stimulus_type !== stimulusType) bad(`'stimulus_type' is ${JSON.stringify(json.stimulus_type)}, expected "${stimulusType}"`);
  if (typeof json.session_id !== 'number') bad(`'session_id' is not a number`);
  if (typeof json.bin_width !== 'number') bad(`'bin_width' is not a number`);
  const time = numbers('time', false);
  const presentationId = numbers('presentation_id', false);
  const unitId = numbers('unit_id', false);
  const structure = json.structure;
  if (!Array.isArray(structure) || !structure.every((s) => s === null || typeof s === 'string')) bad(`'structure' is not a list of names`);
  if ((structure as unknown[]).length !== unitId.length) bad(`'structure' has ${(structure as unknown[]).length} entries for ${unitId.length} units`);
  if (!isRecord(json.columns)) return bad(`'columns' is not an object`);
  const columns = new Map<string, Float64Array>();
  for (const [name, values] of Object.entries(json.columns)) {
    const column = numbers(`columns.${name}`, true, values);
    if (column.length !== presentationId.length) bad(`column '${name}' has ${column.length} values for ${presentationId.length} presentations`);
    columns.set(name, column);
  }
  return {
    stimulus_type: stimulusType,
    session_id: json.session_id as number,
    bin_width: json.bin_width as number,
    time,
    presentation_id: presentationId,
    unit_id: unitId,
    structure: structure as (string | null)[],
    columns,
  };
}
