// Running a measured child process: wall time from our own clock, CPU time and peak RSS from GNU
// time. Node cannot read a child's rusage itself, and every `pipe` stage runs inside the `pipe`
// process (built-ins in-process or in worker threads of it), so the rusage of that one process is
// the whole cost of what it ran.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

export interface Measured {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From our clock around spawn → exit (includes process start-up, as a user sees it). */
  readonly wallS: number;
  /** user + system CPU seconds; null without GNU time. */
  readonly cpuS: number | null;
  /** Peak resident set size in MB (10^6 bytes); null without GNU time. */
  readonly rssMB: number | null;
  /**
   * CPU seconds the rest of the machine used meanwhile (all busy time in /proc/stat, hypervisor
   * steal included, minus this process's): how much other work competed with the measurement on
   * a shared machine. null where it cannot be told (no /proc/stat or no GNU time).
   */
  readonly othersCpuS: number | null;
}

export interface RunOptions {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Also measure CPU and RSS through GNU time (costs a few ms of wall time). */
  readonly rusage?: boolean;
  readonly timeoutMs?: number;
}

/** Busy CPU seconds of the whole machine since boot (Linux /proc/stat), or null. */
function machineBusyS(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const [user, nice, system, , , irq, softirq, steal] = fields;
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((a, b) => a + (b ?? 0), 0);
    return Number.isFinite(busy) ? busy / 100 : null; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

export async function run(o: RunOptions): Promise<Measured> {
  const useTime = o.rusage === true && hasGnuTime();
  const dir = useTime ? mkdtempSync(join(tmpdir(), 'pipe-bench-time-')) : undefined;
  const timeFile = dir ? join(dir, 'rusage') : undefined;
  // `-o FILE` keeps GNU time's line out of the child's stderr.
  const [cmd, args] = timeFile
    ? [GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, o.cmd, ...o.args]]
    : [o.cmd, [...o.args]];
  try {
    const busyBefore = machineBusyS();
    const started = performance.now();
    const { code, stdout, stderr } = await spawnCollect({ cmd, args, cwd: o.cwd, env: o.env, timeoutMs: o.timeoutMs });
    const wallS = (performance.now() - started) / 1000;
    const busyAfter = machineBusyS();
    let cpuS: number | null = null;
    let rssMB: number | null = null;
    if (timeFile && existsSync(timeFile)) {
      // The last line: GNU time prepends "Command exited with non-zero status N" on failure.
      const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
      const [user, sys, rssKB] = last.split(/\s+/).map(Number);
      if (Number.isFinite(user) && Number.isFinite(sys)) cpuS = user! + sys!;
      if (Number.isFinite(rssKB)) rssMB = (rssKB! * 1024) / 1e6;
    }
    const othersCpuS = busyBefore === null || busyAfter === null || cpuS === null ? null : Math.max(0, busyAfter - busyBefore - cpuS);
    return { code, stdout, stderr, wallS, cpuS, rssMB, othersCpuS };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Like run, but throws with the child's stderr when it exits non-zero. */
export async function runOk(o: RunOptions & { readonly what: string }): Promise<Measured> {
  const r = await run(o);
  if (r.code !== 0) {
    throw new Error(`${o.what} failed (exit ${r.code}): ${o.cmd} ${o.args.join(' ')}\n${tail(r.stderr || r.stdout, 30)}`);
  }
  return r;
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function spawnCollect(o: { cmd: string; args: readonly string[]; cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(o.cmd, o.args, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = o.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), o.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
