// Shared rig for the NWB reader tests: where the shared fixtures are, the reference Python
// (h5py is the reference HDF5 reader), temp dirs, and a StageError matcher.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The shared fixtures (real files from other labs' writers); never copied into the repo. */
export const FIXTURES_DIR = path.resolve(REPO_ROOT, '../shared/fixtures/nwb');
export const FIXTURES_PRESENT = existsSync(FIXTURES_DIR);

/** The Debian python that has numpy/h5py (the `python3` on PATH does not). */
export const PYTHON = '/usr/bin/python3';
export const PYTHON_H5PY = spawnSync(PYTHON, ['-c', 'import h5py, numpy'], { stdio: 'ignore' }).status === 0;

export const SCRIPTS_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Runs one of the scripts in ./fixtures with the reference python; returns stdout. */
export function runPython(script: string, args: readonly string[], input?: string): string {
  return execFileSync(PYTHON, [path.join(SCRIPTS_DIR, script), ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs a short inline python program (for byte-level surgery on test files). */
export function runPythonCode(code: string, args: readonly string[] = []): string {
  return execFileSync(PYTHON, ['-c', code, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface TempDir {
  readonly dir: string;
  file(name: string): string;
  remove(): void;
}

export function makeTempDir(prefix = 'pipe-nwb-'): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, file: (name) => path.join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** JSON cannot carry NaN/±inf; dump_nwb.py writes them as strings. */
export function fromJsonNumber(v: number | string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw new Error(`not a number: ${v}`);
}

/**
 * Awaits a failure and checks it is a StageError whose message names the file and (when given)
 * the HDF5 path, and that it carries a hint saying what to do.
 */
export async function expectStageError(
  run: () => unknown,
  expected: { readonly file: string; readonly path?: string; readonly problem?: RegExp },
): Promise<StageError> {
  let caught: unknown;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a StageError, but nothing was thrown').toBeInstanceOf(StageError);
  const err = caught as StageError;
  expect(err.message).toContain(expected.file);
  if (expected.path !== undefined) expect(err.message).toContain(`: ${expected.path}: `);
  if (expected.problem !== undefined) expect(err.message).toMatch(expected.problem);
  expect(err.hint ?? '').not.toBe('');
  return err;
}
