// Cross-checks against the real NumPy/Python (Debian's /usr/bin/python3 has numpy). These tests
// complement the hand-computed ones and are skipped where that interpreter is missing.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';

function probe(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const hasNumpy = probe();

/**
 * Runs a Python script with `input` as JSON on stdin and parses its JSON stdout. Floats travel as
 * strings both ways (JSON has no NaN or infinities): `String(x)` is read by Python's float(), and
 * Python's repr is read back by `fromPython`; both round-trip exactly.
 */
export function runPython<T>(script: string, input: unknown): T {
  const out = execFileSync(PYTHON, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return JSON.parse(out) as T;
}

export function toPython(values: ArrayLike<number>): string[] {
  return Array.from(values, (x) => String(x));
}

export function fromPython(repr: string): number {
  if (repr === 'inf') return Infinity;
  if (repr === '-inf') return -Infinity;
  if (repr === 'nan') return NaN;
  return Number(repr);
}
