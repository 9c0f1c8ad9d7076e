// Input files for the binned-stage tests, written the way the upstream stages write them
// (stages/README.md): Arrow IPC files with the contract's columns, and a small NWB whose
// /units table holds the spike trains. Also a numpy.load of the outputs through the Debian
// python, the reference reader of .npy files.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Bool, Float64, Int32, makeVector, Table, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { writeH5, writeTable } from '../nwb/h5build.js';

export interface Workspace {
  readonly dir: string;
  /** Absolute path of a workspace-relative one, with its parent directory created. */
  path(relative: string): string;
  remove(): void;
}

export function makeWorkspace(prefix = 'pipe-binned-'): Workspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path(relative) {
      const p = join(dir, relative);
      mkdirSync(dirname(p), { recursive: true });
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function writeArrowFile(file: string, columns: Record<string, Vector>): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, tableToIPC(new Table(columns), 'file'));
}

const f64 = (values: readonly (number | null)[]) => vectorFromArray(values, new Float64());
const text = (values: readonly (string | null)[]) => vectorFromArray(values, new Utf8());
const int64 = (values: readonly number[]) => makeVector(BigInt64Array.from(values, (v) => BigInt(v)));

export interface UnitRow {
  readonly unit_id: number;
  readonly structure: string | null;
  /** Position in the session order, null if the unit is not kept. */
  readonly order: number | null;
  readonly spikes: readonly number[];
}

/** extract's units.arrow, one row per NWB unit in row order, with every contract column. */
export function writeUnitsArrow(file: string, units: readonly UnitRow[]): void {
  writeArrowFile(file, {
    unit_id: int64(units.map((u) => u.unit_id)),
    nwb_row: makeVector(Int32Array.from(units, (_, r) => r)),
    peak_channel_id: int64(units.map((_, r) => 1000 + r)),
    structure: text(units.map((u) => u.structure)),
    probe: text(units.map(() => 'probeA')),
    probe_vertical_position: f64(units.map((_, r) => 20 * r)),
    probe_horizontal_position: f64(units.map(() => 43)),
    quality: text(units.map(() => 'good')),
    amplitude_cutoff: f64(units.map(() => 0.01)),
    presence_ratio: f64(units.map(() => 0.99)),
    isi_violations: f64(units.map(() => null)),
    spike_count: int64(units.map((u) => u.spikes.length)),
    passes_filter: vectorFromArray(units.map((u) => u.order !== null), new Bool()),
    order: vectorFromArray(units.map((u) => u.order), new Int32()),
  });
}

/** The session NWB's /units: ids and spike trains in NWB row order. */
export async function writeUnitsNwb(file: string, units: readonly Pick<UnitRow, 'unit_id' | 'spikes'>[]): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  let end = 0;
  const index = BigInt64Array.from(units, (u) => BigInt((end += u.spikes.length)));
  await writeH5(file, (root) => {
    root.create_dataset({ name: 'identifier', data: 'test-session' });
    writeTable(root, '/units', {
      id: BigInt64Array.from(units, (u) => BigInt(u.unit_id)),
      colnames: ['spike_times'],
      columns: { spike_times: Float64Array.from(units.flatMap((u) => u.spikes)), spike_times_index: index },
    });
  });
}

export interface PresentationRow {
  readonly presentation_id: number;
  readonly stimulus_name: string;
  readonly start_time: number;
  readonly stop_time: number;
  readonly duration: number | null;
  readonly stimulus_block?: number | null;
  /** Parameter cells; a string is a text cell (null in the numeric column, kept in `<name>__text`). */
  readonly params?: Readonly<Record<string, number | string | null>>;
}

/** filter_presentations' filtered/session_<id>.arrow: fixed columns, then parameters by name. */
export function writePresentationsArrow(file: string, rows: readonly PresentationRow[]): void {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.params ?? {})))].sort();
  const columns: Record<string, Vector> = {
    presentation_id: int64(rows.map((r) => r.presentation_id)),
    stimulus_name: text(rows.map((r) => r.stimulus_name)),
    start_time: f64(rows.map((r) => r.start_time)),
    stop_time: f64(rows.map((r) => r.stop_time)),
    duration: f64(rows.map((r) => r.duration)),
    stimulus_block: f64(rows.map((r) => r.stimulus_block ?? null)),
  };
  for (const name of names) {
    const cells = rows.map((r) => r.params?.[name] ?? null);
    columns[name] = f64(cells.map((c) => (typeof c === 'number' ? c : null)));
    if (cells.some((c) => typeof c === 'string')) columns[`${name}__text`] = text(cells.map((c) => (typeof c === 'string' ? c : null)));
  }
  writeArrowFile(file, columns);
}

export const PYTHON = '/usr/bin/python3';
export const HAS_NUMPY = spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

export interface NumpyArray {
  readonly dtype: string;
  readonly shape: number[];
  /** Flattened in C order. */
  readonly values: number[];
}

/** `numpy.load(file)`: dtype, shape and values as NumPy sees them (NaN and ±inf travel as text). */
export function numpyLoad(file: string): NumpyArray {
  const script = [
    'import json, sys, numpy as np',
    'a = np.load(sys.argv[1])',
    'v = [repr(x) if isinstance(x, float) and (x != x or abs(x) == float("inf")) else x for x in a.ravel().tolist()]',
    'print(json.dumps({"dtype": a.dtype.str, "shape": list(a.shape), "values": v}))',
  ].join('\n');
  const raw = JSON.parse(execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8', maxBuffer: 1 << 28 })) as { dtype: string; shape: number[]; values: (number | string)[] };
  const special: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };
  return { ...raw, values: raw.values.map((v) => (typeof v === 'number' ? v : special[v]!)) };
}
