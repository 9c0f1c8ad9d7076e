// Which code was measured: the commit, and whether tracked files differed from it (other people
// work in the same tree). Read-only git commands; null where git is unavailable.
import { execFileSync } from 'node:child_process';
import { ROOT } from './pipe-cli.js';

export interface Revision {
  readonly commit: string | null;
  /** Tracked files modified relative to the commit (untracked files are not counted). */
  readonly dirty: boolean | null;
}

function git(args: readonly string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function revision(): Revision {
  const commit = git(['rev-parse', 'HEAD']);
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return { commit, dirty: status === null ? null : status.length > 0 };
}
