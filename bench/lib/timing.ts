// Repeated CLI timings. The machine is shared and noisy, so each figure is the median of several
// runs, and every run is kept in the results so the spread is visible.
import { pipe, type PipeOptions } from './pipe-cli.js';
import { median, run } from './proc.js';
import type { Timing } from '../report/results.js';

export async function timePipe(o: PipeOptions & { readonly runs: number }): Promise<Timing> {
  const runsMs: number[] = [];
  for (let i = 0; i < o.runs; i++) runsMs.push((await pipe(o)).wallS * 1000);
  return { medianMs: median(runsMs), runsMs };
}

/** `node -e 0`: process start-up alone, the floor under every CLI timing. */
export async function timeNodeStartup(runs: number): Promise<Timing> {
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) runsMs.push((await run({ cmd: process.execPath, args: ['-e', '0'], cwd: process.cwd() })).wallS * 1000);
  return { medianMs: median(runsMs), runsMs };
}

/** Median of an in-process measurement, in ms. */
export async function timeInProcess(runs: number, once: () => Promise<void>): Promise<Timing> {
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await once();
    runsMs.push(performance.now() - t0);
  }
  return { medianMs: median(runsMs), runsMs };
}
