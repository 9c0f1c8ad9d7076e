import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { xxhash128 } from 'hash-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import { copyLocalFile, fetchSessions, locateLocalSession } from '../../stages/allen/download/index.js';
import { pseudoRandomBytes } from './fixture-server.js';
import { expectIntact, makeTempDir } from './helpers.js';

const MB = 1024 * 1024;

let tmp: { dir: string; cleanup: () => Promise<void> };
let cache: string;
let dest: string;
let data: Buffer;
let srcPath: string;

beforeEach(async () => {
  tmp = await makeTempDir();
  cache = join(tmp.dir, 'ecephys-cache');
  dest = join(tmp.dir, 'out');
  data = pseudoRandomBytes(42, 5 * MB + 3); // more than one copy chunk, not a multiple of it
  srcPath = join(cache, 'session_715093703', 'session_715093703.nwb');
  await mkdir(join(cache, 'session_715093703'), { recursive: true });
  await writeFile(srcPath, data);
  // A read-only cache file, as on a mounted bucket or a shared lab cache.
  await chmod(srcPath, 0o444);
  await mkdir(join(cache, 'session_719161530'), { recursive: true });
  await writeFile(join(cache, 'session_719161530', 'probe_810755797_lfp.nwb'), 'lfp');
  await writeFile(join(cache, 'manifest.json'), '{"manifest": []}');
});

afterEach(async () => {
  await tmp.cleanup();
});

function finalOf(id: string): string {
  return join(dest, `session_${id}`, `session_${id}.nwb`);
}

/** What must not change about the source; bytes as a digest (deep-comparing MBs is slow). */
async function snapshot(path: string): Promise<{ hash: string; mode: number; mtimeMs: number; ino: number; nlink: number }> {
  const s = await stat(path);
  return { hash: await xxhash128(await readFile(path)), mode: s.mode, mtimeMs: s.mtimeMs, ino: s.ino, nlink: s.nlink };
}

describe('local source', () => {
  it('copies the session into the layout as an independent file, never touching the source', async () => {
    const before = await snapshot(srcPath);
    expect(before.hash).toBe(await xxhash128(data));
    const [result] = await fetchSessions({ sessionIds: [715093703], dest, source: { kind: 'local', dir: cache } });
    await expectIntact(result!, finalOf('715093703'), data);

    const out = await stat(finalOf('715093703'));
    expect(out.ino).not.toBe(before.ino); // not a hard link
    expect((await stat(finalOf('715093703'))).isFile()).toBe(true);
    expect(out.mode & 0o777).toBe(0o644); // an ordinary output, whatever the cache's mode
    // Writing the output (as a careless later stage might) leaves the cache alone.
    await writeFile(finalOf('715093703'), 'overwritten');
    await chmod(finalOf('715093703'), 0o400);
    expect(await snapshot(srcPath)).toEqual(before);
  });

  it('hashes a copy-on-write clone when the filesystem can clone', async () => {
    const cloned: string[] = [];
    const clone = async (src: string, dst: string): Promise<void> => {
      cloned.push(src);
      await copyFile(src, dst); // stands in for FICLONE on a filesystem without reflinks
    };
    const progress: number[] = [];
    const result = await copyLocalFile({ src: srcPath, dest: finalOf('1'), clone, onProgress: (p) => progress.push(p.done) });
    expect(cloned).toEqual([srcPath]);
    await expectIntact(result, finalOf('1'), data);
    expect(progress.at(-1)).toBe(data.length);
    expect((await stat(finalOf('1'))).mode & 0o777).toBe(0o644); // clone copied 0444; reset
  });

  it('falls back to a streamed copy when cloning is not supported', async () => {
    const clone = async (): Promise<void> => {
      throw Object.assign(new Error('operation not supported'), { code: 'ENOTSUP' });
    };
    const result = await copyLocalFile({ src: srcPath, dest: finalOf('1'), clone });
    await expectIntact(result, finalOf('1'), data);
  });

  it('accepts the manifest.json path as the cache location', async () => {
    expect(await locateLocalSession(join(cache, 'manifest.json'), '715093703')).toBe(srcPath);
  });

  it('names the sessions the cache holds when the requested one is missing', async () => {
    const err = await locateLocalSession(cache, '999').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as Error).message).toBe(
      `session 999 not found in local cache ${cache}; it holds 2 session(s): 715093703, 719161530`,
    );
  });

  it('lists the session folder when it exists without the NWB', async () => {
    const err = await locateLocalSession(cache, '719161530').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as Error).message).toContain('session_719161530/ contains: probe_810755797_lfp.nwb');
  });

  it('lists the directory when it is not a cache at all', async () => {
    const other = join(tmp.dir, 'elsewhere');
    await mkdir(join(other, 'raw'), { recursive: true });
    await writeFile(join(other, 'notes.txt'), '');
    const err = await locateLocalSession(other, '1').catch((e: unknown) => e);
    expect((err as Error).message).toContain('has no session_<id>/ folders; it contains: notes.txt, raw/');
    await expect(locateLocalSession(join(tmp.dir, 'nope'), '1')).rejects.toThrow(/does not exist/);
  });

  it('fails through fetchSessions without creating the destination file', async () => {
    await expect(fetchSessions({ sessionIds: ['5'], dest, source: { kind: 'local', dir: cache } })).rejects.toThrow(
      /session 5 not found in local cache/,
    );
    expect(existsSync(finalOf('5'))).toBe(false);
  });

  it('refuses to copy a file onto itself, even through a symlinked directory', async () => {
    const before = await snapshot(srcPath);
    const alias = join(tmp.dir, 'alias');
    await symlink(cache, alias);
    const err = await copyLocalFile({ src: srcPath, dest: join(alias, 'session_715093703', 'session_715093703.nwb') }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StageError);
    expect(await snapshot(srcPath)).toEqual(before);
    expect(existsSync(`${srcPath}.part`)).toBe(false);
  });

  it('keeps a copy that verify rejects out of the final name', async () => {
    const err = await copyLocalFile({
      src: srcPath,
      dest: finalOf('1'),
      verify: async (tmpPath) => {
        expect((await readFile(tmpPath)).equals(data)).toBe(true);
        throw new Error('truncated HDF5 file');
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as Error).message).toContain('truncated HDF5 file');
    expect(existsSync(finalOf('1'))).toBe(false);
    expect(existsSync(`${finalOf('1')}.part`)).toBe(false);
  });
});
