// Driving the real `pipe` binary, as users run it: the compiled CLI, in a workspace directory.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type Measured } from './proc.js';

/** The repository root (this file is dist/bench/lib/pipe-cli.js once compiled). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const PIPE = join(ROOT, 'dist/engine/cli/main.js');

export type PipeEvent = Record<string, unknown> & { readonly type: string; readonly stage?: string };

export interface PipeRun extends Measured {
  /** NDJSON events (only with --json). */
  readonly events: readonly PipeEvent[];
}

export interface PipeOptions {
  readonly cwd: string;
  readonly args: readonly string[];
  readonly rusage?: boolean;
  /** Exit codes that are not a failure (status exits 1 when something is stale). */
  readonly okCodes?: readonly number[];
  readonly what?: string;
}

// NO_COLOR and no TTY: plain output, no live view, as in CI.
const ENV = { ...process.env, NO_COLOR: '1', CI: '1' };

export async function pipe(o: PipeOptions): Promise<PipeRun> {
  const spec = { cmd: process.execPath, args: [PIPE, ...o.args], cwd: o.cwd, env: ENV, rusage: o.rusage };
  const okCodes = o.okCodes ?? [0];
  const r = await run(spec);
  if (!okCodes.includes(r.code ?? -1)) {
    throw new Error(`${o.what ?? 'pipe'} exited ${r.code}: pipe ${o.args.join(' ')} in ${o.cwd}\n${r.stderr.slice(-4000)}`);
  }
  return { ...r, events: parseEvents(r.stdout) };
}

export function parseEvents(stdout: string): PipeEvent[] {
  const events: PipeEvent[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      events.push(JSON.parse(line) as PipeEvent);
    } catch {
      // not an event line
    }
  }
  return events;
}

/** Sum of the engine-reported durations (stage-done) of the items of `group`, in seconds. */
export function stageSeconds(events: readonly PipeEvent[], group?: string): number {
  let ms = 0;
  for (const e of events) {
    if (e.type !== 'stage-done' || typeof e.durationMs !== 'number') continue;
    const name = e.stage ?? '';
    if (group === undefined || name === group || name.startsWith(`${group}@`)) ms += e.durationMs;
  }
  return ms / 1000;
}

/** Names of the items that really ran (stage-done). */
export function ranItems(events: readonly PipeEvent[]): string[] {
  return events.filter((e) => e.type === 'stage-done').map((e) => e.stage ?? '');
}

/** Start and end (s from the run's start) of every item that ran, in start order. */
export function timeline(events: readonly PipeEvent[]): { item: string; startS: number; endS: number }[] {
  const start = new Map<string, number>();
  const out: { item: string; startS: number; endS: number }[] = [];
  for (const e of events) {
    if (typeof e.t !== 'number' || !e.stage) continue;
    if (e.type === 'stage-start') start.set(e.stage, e.t);
    if (e.type === 'stage-done') out.push({ item: e.stage, startS: (start.get(e.stage) ?? e.t) / 1000, endS: e.t / 1000 });
  }
  return out.sort((a, b) => a.startS - b.startS);
}

/**
 * Seconds of [0, end] during which fewer than `jobs` items were running: where the run could
 * not use every job slot (a fan-in stage waiting for all its inputs, one long item at the end).
 */
export function underusedSeconds(items: readonly { startS: number; endS: number }[], jobs: number, endS: number): number {
  const edges = items.flatMap((i) => [{ at: i.startS, d: 1 }, { at: i.endS, d: -1 }]).sort((a, b) => a.at - b.at || a.d - b.d);
  let running = 0;
  let last = 0;
  let under = 0;
  for (const e of edges) {
    if (running < jobs) under += e.at - last;
    running += e.d;
    last = e.at;
  }
  return under + Math.max(0, endS - last);
}

/** The run's own duration (run-done), in seconds; 0 if absent. */
export function runSeconds(events: readonly PipeEvent[]): number {
  const done = events.find((e) => e.type === 'run-done');
  return typeof done?.durationMs === 'number' ? done.durationMs / 1000 : 0;
}
