// One `pipe repro` at a time per workspace: data.lock, the stat cache and the outputs have a
// single writer. The lock is a file created with O_EXCL holding the owner's pid, host and start
// time. A lock whose owner is gone (killed with SIGKILL, machine rebooted) is detected and taken
// over; a live owner is waited for (or, with --no-wait, reported at once).
import { hostname } from 'node:os';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { procStartOf } from './proc.js';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly command: string;
  /** Kernel start time of the owner process (Linux), so a recycled pid is not mistaken for it. */
  readonly procStart?: string;
}

export interface AcquireOptions {
  readonly stateDir: string;
  readonly wait: boolean;
  readonly command: string;
  readonly signal: AbortSignal;
  /** Called once when we start waiting for a live owner. */
  readonly onWait?: (owner: LockOwner) => void;
  /** Called when a dead owner's lock is taken over. */
  readonly onTakeover?: (owner: LockOwner) => void;
  readonly pollMs?: number;
}

export type Acquired = { readonly ok: true; release(): Promise<void> } | { readonly ok: false; readonly owner: LockOwner };

export function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // cannot check another machine: assume it runs
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const now = procStartOf(owner.pid);
  return owner.procStart === undefined || now === undefined || now === owner.procStart;
}

async function readOwner(path: string): Promise<{ owner: LockOwner; raw: string } | undefined> {
  try {
    const raw = await readFile(path, 'utf8');
    return { owner: JSON.parse(raw) as LockOwner, raw };
  } catch {
    return undefined; // vanished, or half-written by a creator that died: treated below
  }
}

async function tryCreate(path: string, me: LockOwner): Promise<boolean> {
  try {
    const fh = await open(path, 'wx');
    await fh.writeFile(JSON.stringify(me));
    await fh.close();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Removes a dead owner's lock. Two processes may find the same dead lock; a short-lived second
 * lock serialises the takeover, and the first lock is re-read under it so that a takeover never
 * removes a lock that a live process has just created.
 */
async function takeOver(path: string, seenRaw: string): Promise<void> {
  const guard = `${path}.takeover`;
  const guardStat = await stat(guard).catch(() => undefined);
  if (guardStat && Date.now() - guardStat.mtimeMs > 10_000) await rm(guard, { force: true });
  const fh = await open(guard, 'wx').catch(() => undefined);
  if (!fh) return; // someone else is taking over; we will re-check
  try {
    const now = await readFile(path, 'utf8').catch(() => undefined);
    if (now === seenRaw) await rm(path, { force: true });
  } finally {
    await fh.close();
    await rm(guard, { force: true });
  }
}

export async function acquireRunLock(o: AcquireOptions): Promise<Acquired> {
  await mkdir(o.stateDir, { recursive: true });
  const path = join(o.stateDir, 'run.lock');
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: o.command,
    procStart: procStartOf(process.pid),
  };
  let waited = false;
  for (;;) {
    o.signal.throwIfAborted();
    if (await tryCreate(path, me)) {
      return { ok: true, release: () => rm(path, { force: true }) };
    }
    const seen = await readOwner(path);
    if (!seen) {
      // Unreadable: a creator died between creating and writing it, or it was just released.
      const st = await stat(path).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > 2000) await rm(path, { force: true });
    } else if (!isAlive(seen.owner)) {
      o.onTakeover?.(seen.owner);
      await takeOver(path, seen.raw);
      continue;
    } else if (!o.wait) {
      return { ok: false, owner: seen.owner };
    } else if (!waited) {
      waited = true;
      o.onWait?.(seen.owner);
    }
    await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
  }
}
