// File-system helpers for sizing outputs and clearing workspaces.
import { lstatSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes on disk of a file, or of every file below a directory (0 when absent). */
export function sizeOf(path: string): number {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of readdirSync(path)) total += sizeOf(join(path, name));
  return total;
}

export function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

export function remove(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

export const MB = 1e6;
export const GB = 1e9;
