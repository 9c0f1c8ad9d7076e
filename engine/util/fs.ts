import { access } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export async function pathExists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/** An `exists` check over workspace-relative (or absolute) paths, for the analyzer. */
export function existsIn(workspace: string): (p: string) => boolean {
  return (p) => existsSync(isAbsolute(p) ? p : join(workspace, p));
}
