// Runs the Python helpers of this directory with the interpreter that has numpy, h5py, xarray,
// h5netcdf and netCDF4 (Debian's; the `python3` on PATH may be another one without them).

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PYTHON = process.env.PIPE_TEST_PYTHON ?? '/usr/bin/python3';

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/** Runs `<script>.py` with `args`; it prints one JSON document on stdout. */
export function runPython<T = unknown>(script: string, args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [here(script), ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${script} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as T);
      } catch {
        reject(new Error(`${script} printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}
