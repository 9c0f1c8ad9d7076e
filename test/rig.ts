// The test rig: a temporary workspace, the real `pipe` binary (compiled JavaScript, as users run
// it), and the run's exit code, output and NDJSON events.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PIPE = join(ROOT, 'dist/engine/cli/main.js');

export interface PipeResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Parsed NDJSON lines of stdout (only with --json). */
  readonly events: Record<string, unknown>[];
}

export class Workspace {
  readonly dir: string;
  constructor(prefix = 'pipe-test-') {
    if (!existsSync(PIPE)) throw new Error(`${PIPE} is missing: run \`npm run build\` (npm test does it)`);
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }
  path(rel: string): string {
    return join(this.dir, rel);
  }
  write(rel: string, content: string | Uint8Array): this {
    mkdirSync(dirname(this.path(rel)), { recursive: true });
    writeFileSync(this.path(rel), content);
    return this;
  }
  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }
  exists(rel: string): boolean {
    return existsSync(this.path(rel));
  }
  remove(rel: string): void {
    rmSync(this.path(rel), { recursive: true, force: true });
  }
  pipe(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<PipeResult> {
    return runPipe(args, { cwd: opts.cwd ?? this.dir, env: opts.env, timeoutMs: opts.timeoutMs });
  }
  /** Runs with --json and returns the events by type, for assertions on what ran. */
  async repro(args: readonly string[] = [], env?: NodeJS.ProcessEnv): Promise<PipeResult & { ran: string[]; fresh: string[]; failed: string[]; skipped: string[] }> {
    const r = await this.pipe(['repro', '--json', ...args], { env });
    const names = (type: string) => r.events.filter((e) => e.type === type).map((e) => e.stage as string).sort();
    return { ...r, ran: names('stage-done'), fresh: names('stage-fresh'), failed: names('stage-failed'), skipped: names('stage-skipped') };
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function runPipe(args: readonly string[], o: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<PipeResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [PIPE, ...args], {
      cwd: o.cwd,
      env: { ...process.env, NO_COLOR: '1', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const events: Record<string, unknown>[] = [];
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          events.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not an event line
        }
      }
      resolvePromise({ code, stdout, stderr, events });
    });
  });
}
