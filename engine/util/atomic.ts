// Atomic file replacement: write a temporary sibling, fsync it, rename over the target. A crash
// at any moment leaves either the old file or the new one, never a torn one.
import { open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { mkdirSync } from 'node:fs';

let counter = 0;

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Removes temporaries that writeFileAtomic left beside `path` when its process was killed
 * mid-write. Only safe while holding the lock that makes us the file's single writer.
 */
export async function removeStaleTemporaries(path: string): Promise<number> {
  const { readdir } = await import('node:fs/promises');
  const prefix = `.${basename(path)}.`;
  let removed = 0;
  for (const name of await readdir(dirname(path)).catch(() => [] as string[])) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) {
      await rm(join(dirname(path), name), { force: true });
      removed++;
    }
  }
  return removed;
}
