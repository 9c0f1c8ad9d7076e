// Running one shell command of a `cmd` stage: /bin/sh -c in the workspace root, in its own
// process group (so an interrupt stops the command and everything it started), stdout and stderr
// split into whole lines before they are reported (so concurrent stages never interleave inside a
// line), and the last lines of stderr kept for the failure report.
import { spawn } from 'node:child_process';
import type { ProcessRegistry } from './orphans.js';

export interface CommandOptions {
  readonly command: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
  readonly onLine: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Lines of stderr to keep for the failure report. */
  readonly tailLines?: number;
  /** Grace period between SIGTERM and SIGKILL on interrupt. */
  readonly killGraceMs?: number;
  /** Records the command's process group while it runs (see orphans.ts). */
  readonly registry?: ProcessRegistry;
}

export interface CommandResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string[];
}

class LineSplitter {
  private rest = '';
  constructor(private readonly emit: (line: string) => void) {}
  push(chunk: string) {
    const text = this.rest + chunk;
    const parts = text.split('\n');
    this.rest = parts.pop()!;
    for (const p of parts) this.emit(p.endsWith('\r') ? p.slice(0, -1) : p);
  }
  end() {
    if (this.rest !== '') this.emit(this.rest);
    this.rest = '';
  }
}

export function runCommand(opts: CommandOptions): Promise<CommandResult> {
  const tailMax = opts.tailLines ?? 20;
  const tail: string[] = [];
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', opts.command], {
      cwd: opts.cwd,
      env: opts.env,
      detached: true, // own process group: kill(-pid) reaches the whole tree
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) opts.registry?.add(child.pid);
    const out = new LineSplitter((l) => opts.onLine('stdout', l));
    const err = new LineSplitter((l) => {
      tail.push(l);
      if (tail.length > tailMax) tail.shift();
      opts.onLine('stderr', l);
    });
    child.stdout.setEncoding('utf8').on('data', (c: string) => out.push(c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => err.push(c));
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), opts.killGraceMs ?? 5000);
      killTimer.unref();
    };
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      opts.signal.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', (code, sig) => {
      if (child.pid !== undefined) opts.registry?.remove(child.pid);
      opts.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      out.end();
      err.end();
      resolve({ exitCode: code, signal: sig, stderrTail: tail });
    });
  });
}

function killGroup(pid: number | undefined, sig: NodeJS.Signals) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // Already gone.
  }
}
