// Rig for the synthetic-session tests: temp dirs, and the h5py reference reading of a written
// file (inspect_session.py, run with the Debian python that has h5py).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Debian python with numpy/h5py (the `python3` on PATH has neither). */
export const PYTHON = '/usr/bin/python3';
export const HAVE_H5PY = spawnSync(PYTHON, ['-c', 'import h5py, numpy'], { stdio: 'ignore' }).status === 0;

const INSPECT = fileURLToPath(new URL('./inspect_session.py', import.meta.url));

/** The shared folder next to the repository (published data); may be absent. */
export const SHARED_DIR = path.resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared');

export interface TempDir {
  readonly dir: string;
  remove(): void;
}

export function makeTempDir(prefix = 'pipe-synthetic-'): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export type Cell = number | string | boolean | null;

export interface DatasetInfo {
  readonly kind: 'dataset';
  readonly dtype: string;
  readonly shape: number[];
  readonly layout: string;
  readonly filters: number;
  readonly attrs: Record<string, unknown>;
}
export type ObjectInfo = DatasetInfo | { readonly kind: 'group'; readonly attrs: Record<string, unknown> } | { readonly kind: 'softlink'; readonly target: string };

export interface EnumInfo {
  readonly members: Record<string, number>;
  readonly baseSize: number;
  readonly baseSigned: boolean;
}

export interface TableInfo {
  readonly rows: number;
  readonly colnames: string[];
  readonly columns: Record<string, { storage: string; unique?: Cell[]; refsOk?: boolean; bisectOk?: boolean }>;
  readonly repeats?: { frames: number; duration: number; contiguous: boolean }[];
  readonly durations?: number[];
  readonly startsSorted?: boolean;
  readonly tags?: string[][];
}

/** What inspect_session.py reports (see there). */
export interface Inspection {
  readonly root: Record<string, unknown>;
  readonly specloc: string;
  readonly identifier: string;
  readonly sessionType: string;
  readonly superblock: number;
  readonly objects: Record<string, ObjectInfo>;
  readonly enums: Record<string, EnumInfo>;
  readonly attrEnums: Record<string, EnumInfo>;
  readonly stringPads: Record<string, string>;
  readonly ragged: Record<string, { target: string; monotonic: boolean; last: number; targetRows: number }>;
  readonly units: {
    count: number;
    spikes: number;
    sortedPerUnit: boolean;
    minTime: number | null;
    peakChannelsFound: boolean;
    quality: string[];
    nanAmplitudeCutoff: number;
    nanIsiViolations: number;
    sortedById: boolean;
    passingFilter: number;
    failReasons: string[];
  };
  readonly electrodes: { rows: number; invalid: number; emptyLocation: number; noneLocation: number; zEqualsY: boolean; groupTargets: string[]; groupNames: string[] };
  readonly tables: Record<string, TableInfo>;
  readonly modules: string[];
  readonly mtimes: number[];
  readonly fileCreateDate: string;
  readonly running: { samples: number; medianDt: number; dataRows: number; endTimesAllNaN: boolean };
  readonly gaze?: { samples: number; medianDt: number; rawNaN: number; filteredNaN: number; screenShape: number[] };
}

export function inspectSession(file: string): Inspection {
  const out = execFileSync(PYTHON, [INSPECT, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out) as Inspection;
}

/** A missing value as stored: NaN in a float column ("NaN" in the JSON), "N/A" in a text one. */
export function isMissing(v: Cell | undefined): boolean {
  return v === 'NaN' || v === 'N/A';
}
