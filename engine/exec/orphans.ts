// Process groups of running stage commands, recorded under .pipe/procs/ while they run. If pipe
// itself dies without cleaning up (SIGKILL, OOM), its commands keep running in their own process
// groups and would race the next run writing the same outputs. The next run, once it holds the
// workspace lock, kills every recorded group that is still alive (checked against the kernel's
// start time, so a recycled pid is never killed).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { procStartOf } from './proc.js';

export class ProcessRegistry {
  constructor(private readonly dir: string) {}

  add(pid: number): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, String(pid)), procStartOf(pid) ?? '');
  }

  remove(pid: number): void {
    rmSync(join(this.dir, String(pid)), { force: true });
  }

  /** Kills leftover groups of a dead run; returns how many were still alive. */
  reapOrphans(): number {
    let killed = 0;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return 0;
    }
    for (const name of names) {
      const pid = Number(name);
      const recorded = readFileSync(join(this.dir, name), 'utf8');
      if (Number.isInteger(pid) && pid > 1 && recorded !== '' && procStartOf(pid) === recorded) {
        try {
          process.kill(-pid, 'SIGKILL');
          killed++;
        } catch {
          // already gone
        }
      }
      rmSync(join(this.dir, name), { force: true });
    }
    return killed;
  }
}
