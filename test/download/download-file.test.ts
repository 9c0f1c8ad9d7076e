import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import { downloadFile, exponentialBackoff, type DownloadFileOptions } from '../../stages/allen/download/index.js';
import { remoteFile, startFixtureServer, type FixtureServer, type RemoteFile } from './fixture-server.js';
import { expectIntact, makeTempDir, noWait } from './helpers.js';

const MB = 1024 * 1024;
const ID = '715093703';

let server: FixtureServer;
let tmp: { dir: string; cleanup: () => Promise<void> };
let original: RemoteFile;
let finalPath: string;
/** Set when the final name exists before the download said it was complete. */
let finalSeenEarly: boolean;

beforeEach(async () => {
  server = await startFixtureServer();
  tmp = await makeTempDir();
  original = remoteFile(1, 3 * MB + 12_345);
  server.files.set(ID, original);
  finalPath = join(tmp.dir, `session_${ID}`, `session_${ID}.nwb`);
  finalSeenEarly = false;
});

afterEach(async () => {
  await server.close();
  await tmp.cleanup();
});

function opts(extra: Partial<DownloadFileOptions> = {}): DownloadFileOptions & { slept: number[] } {
  const w = noWait();
  return {
    url: server.urlOf(ID),
    dest: finalPath,
    label: `session ${ID}`,
    retries: 3,
    stallTimeoutMs: 10_000,
    ...w,
    // Checked on every chunk: nothing may sit under the final name while bytes still arrive.
    onProgress: () => {
      if (existsSync(finalPath)) finalSeenEarly = true;
    },
    ...extra,
  };
}

function ranges(): (string | undefined)[] {
  return server.requests.map((r) => r.range);
}

describe('downloadFile', () => {
  it('streams a file to its final name with a matching hash', async () => {
    const progress: { done: number; total?: number }[] = [];
    let clock = 0;
    const result = await downloadFile(
      opts({ now: () => (clock += 10), onProgress: (p) => progress.push({ done: p.done, total: p.total }) }),
    );
    await expectIntact(result, finalPath, original.bytes);
    expect(ranges()).toEqual([undefined]);
    expect(server.requests[0]!.status).toBe(200);
    // Progress: non-decreasing, total known, ends at the full size.
    expect(progress.length).toBeGreaterThan(0);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.done).toBeGreaterThanOrEqual(progress[i - 1]!.done);
    expect(progress.at(-1)).toEqual({ done: original.bytes.length, total: original.bytes.length });
  });

  it('reports rate and ETA from the injected clock', async () => {
    const snaps: { done: number; bytesPerSecond: number; etaSeconds?: number }[] = [];
    let clock = 0;
    await downloadFile(opts({ now: () => (clock += 1000), onProgress: (p) => snaps.push(p) }));
    const last = snaps.at(-1)!;
    expect(last.bytesPerSecond).toBeGreaterThan(0);
    expect(last.etaSeconds).toBe(0);
    const first = snaps[0]!;
    // One tick of the fake clock per report: rate = bytes so far / elapsed seconds.
    expect(first.bytesPerSecond).toBeCloseTo(first.done / 1, 6);
    expect(first.etaSeconds).toBeCloseTo((original.bytes.length - first.done) / first.bytesPerSecond, 6);
  });

  it('resumes with a Range request after the connection is destroyed mid-body', async () => {
    server.faults = (r) => (r.n === 0 ? { kind: 'drop', after: 1 * MB } : undefined);
    const result = await downloadFile(opts());
    await expectIntact(result, finalPath, original.bytes);
    expect(server.requests).toHaveLength(2);
    const second = server.requests[1]!;
    expect(second.status).toBe(206);
    const from = Number(/^bytes=(\d+)-$/.exec(second.range ?? '')?.[1]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(1 * MB);
    expect(second.ifRange).toBe(original.etag);
    expect(finalSeenEarly).toBe(false);
  });

  it('resumes after a body shorter than its Content-Length', async () => {
    server.faults = (r) => (r.n === 0 ? { kind: 'short', after: 2 * MB } : undefined);
    const result = await downloadFile(opts());
    await expectIntact(result, finalPath, original.bytes);
    expect(server.requests.map((r) => r.status)).toEqual([200, 206]);
    expect(ranges()[1]).toMatch(/^bytes=[1-9]\d*-$/);
    expect(finalSeenEarly).toBe(false);
  });

  it('retries a 503 and then succeeds', async () => {
    server.faults = (r) => (r.n === 0 ? { kind: 'status', status: 503 } : undefined);
    const o = opts();
    const result = await downloadFile(o);
    await expectIntact(result, finalPath, original.bytes);
    expect(server.requests.map((r) => r.status)).toEqual([503, 200]);
    expect(o.slept).toHaveLength(1);
  });

  it('retries 500s with exponentially growing, jittered pauses', async () => {
    server.faults = (r) => (r.n < 3 ? { kind: 'status', status: 500 } : undefined);
    const o = opts({ backoff: exponentialBackoff({ baseMs: 100, maxMs: 300, random: () => 1 }) });
    const result = await downloadFile(o);
    await expectIntact(result, finalPath, original.bytes);
    expect(server.requests.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(o.slept).toEqual([100, 200, 300]); // doubled, then capped
  });

  it('waits at least as long as Retry-After on 429', async () => {
    server.faults = (r) => (r.n === 0 ? { kind: 'status', status: 429, headers: { 'retry-after': '7' } } : undefined);
    const o = opts();
    await expectIntact(await downloadFile(o), finalPath, original.bytes);
    expect(o.slept).toEqual([7000]);
  });

  it('aborts a stalled body after the stall timeout and resumes', async () => {
    server.faults = (r) => (r.n === 0 ? { kind: 'trickle', after: 1 * MB, everyMs: 1000 } : undefined);
    const result = await downloadFile(opts({ stallTimeoutMs: 150 }));
    await expectIntact(result, finalPath, original.bytes);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.status).toBe(206);
    expect(finalSeenEarly).toBe(false);
  });

  it('names the stall timeout when a server that never sends data exhausts the budget', async () => {
    server.faults = () => ({ kind: 'trickle', after: 0, everyMs: 1000 });
    const err = await downloadFile(opts({ stallTimeoutMs: 100, retries: 1 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as Error).message).toMatch(/failed after 2 attempts.*stall timeout/);
    expect(existsSync(finalPath)).toBe(false);
  });

  it('restarts from zero when the server ignores Range and answers 200', async () => {
    server.faults = (r) => (r.n === 0 ? { kind: 'drop', after: 1 * MB } : r.n === 1 ? { kind: 'ignore-range' } : undefined);
    const result = await downloadFile(opts());
    await expectIntact(result, finalPath, original.bytes);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.range).toMatch(/^bytes=\d+-$/);
    expect(server.requests[1]!.status).toBe(200);
  });

  it('takes the new file when it changed between attempts (server honours If-Range)', async () => {
    const changed = remoteFile(2, 3 * MB + 999, 'v2');
    server.faults = (r) => (r.n === 0 ? { kind: 'drop', after: 1 * MB } : undefined);
    server.onRequest = (r) => {
      if (r.n === 1) server.files.set(ID, changed);
    };
    const result = await downloadFile(opts());
    await expectIntact(result, finalPath, changed.bytes);
    expect(server.requests[1]!.ifRange).toBe(original.etag);
    expect(server.requests[1]!.status).toBe(200);
  });

  it('detects a changed ETag on a 206 and starts over (server ignores If-Range)', async () => {
    const changed = remoteFile(3, original.bytes.length, 'v3'); // same size: only the ETag tells
    server.honorIfRange = false;
    server.faults = (r) => (r.n === 0 ? { kind: 'drop', after: 1 * MB } : undefined);
    server.onRequest = (r) => {
      if (r.n === 1) server.files.set(ID, changed);
    };
    const result = await downloadFile(opts());
    await expectIntact(result, finalPath, changed.bytes);
    expect(server.requests.map((r) => r.status)).toEqual([200, 206, 200]);
    expect(server.requests[2]!.range).toBeUndefined();
  });

  it('fails at once on 404 with the session and URL in the message', async () => {
    server.files.clear();
    const err = await downloadFile(opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as Error).message).toContain(`session ${ID} not found at ${server.urlOf(ID)}`);
    expect(server.requests).toHaveLength(1);
    expect(existsSync(finalPath)).toBe(false);
    expect(existsSync(`${finalPath}.part`)).toBe(false);
  });

  it('fails at once on 403 without retrying', async () => {
    server.faults = () => ({ kind: 'status', status: 403 });
    await expect(downloadFile(opts())).rejects.toThrow(/access denied/);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up with a clear error when the retry budget is exhausted', async () => {
    server.faults = () => ({ kind: 'status', status: 503 });
    const o = opts({ retries: 2 });
    const err = await downloadFile(o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as Error).message).toMatch(/failed after 3 attempts .*HTTP 503/);
    expect(server.requests).toHaveLength(3);
    expect(o.slept).toHaveLength(2);
    expect(existsSync(finalPath)).toBe(false);
    expect(existsSync(`${finalPath}.part`)).toBe(false); // nothing was received: no clutter
  });

  it('counts only failures without progress against the budget', async () => {
    // Four drops, each further into the file: with a budget of 1 this still completes.
    server.faults = (r) => (r.n < 4 ? { kind: 'drop', after: 512 * 1024 } : undefined);
    const result = await downloadFile(opts({ retries: 1 }));
    await expectIntact(result, finalPath, original.bytes);
    expect(server.requests).toHaveLength(5);
  });

  it('keeps the received bytes when giving up, and a later call resumes them', async () => {
    server.faults = (r) => (r.n === 0 ? { kind: 'drop', after: 1 * MB } : { kind: 'status', status: 500 });
    await expect(downloadFile(opts({ retries: 1 }))).rejects.toThrow(/failed after 3 attempts/);
    expect(existsSync(finalPath)).toBe(false);
    const kept = (await stat(`${finalPath}.part`)).size;
    expect(kept).toBeGreaterThan(0);

    server.faults = () => undefined;
    server.requests.length = 0;
    const result = await downloadFile(opts());
    await expectIntact(result, finalPath, original.bytes);
    expect(ranges()).toEqual([`bytes=${kept}-`]);
  });

  it('never gives the final name to a file the verify callback rejects', async () => {
    let verified: string | undefined;
    const err = await downloadFile(
      opts({
        verify: async (tmpPath) => {
          verified = tmpPath;
          // The callback sees the complete body, and nothing under the final name yet.
          expect((await readFile(tmpPath)).equals(original.bytes)).toBe(true);
          expect(existsSync(finalPath)).toBe(false);
          throw new Error('identifier mismatch');
        },
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as Error).message).toContain('failed verification: identifier mismatch');
    expect(verified).toBe(`${finalPath}.part`);
    expect(existsSync(finalPath)).toBe(false);
    expect(existsSync(`${finalPath}.part`)).toBe(false);
  });

  it('renames only after verify accepted the file', async () => {
    let calls = 0;
    const result = await downloadFile(opts({ verify: () => void calls++ }));
    expect(calls).toBe(1);
    await expectIntact(result, finalPath, original.bytes);
  });

  it('leaves the .part on abort, and a second call resumes from it', async () => {
    const ac = new AbortController();
    const first = downloadFile(
      opts({
        signal: ac.signal,
        onProgress: (p) => {
          if (p.done >= 1 * MB) ac.abort();
        },
      }),
    );
    const err = await first.catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(existsSync(finalPath)).toBe(false);
    const partSize = (await stat(`${finalPath}.part`)).size;
    expect(partSize).toBeGreaterThanOrEqual(1 * MB);
    expect(partSize).toBeLessThan(original.bytes.length);

    server.requests.length = 0;
    const result = await downloadFile(opts());
    await expectIntact(result, finalPath, original.bytes); // hash spans the prefix + the rest
    expect(ranges()).toEqual([`bytes=${partSize}-`]);
    expect(server.requests[0]!.status).toBe(206);
    expect(finalSeenEarly).toBe(false);
  });

  it('rejects at once when the signal is already aborted, creating nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(downloadFile(opts({ signal: ac.signal }))).rejects.toThrow();
    expect(server.requests).toHaveLength(0);
    expect(existsSync(`${finalPath}.part`)).toBe(false);
  });

  it('finishes a .part that is already complete without downloading it again (416)', async () => {
    // Interrupt during verification: the complete .part must survive an abort.
    const ac = new AbortController();
    await expect(
      downloadFile(
        opts({
          signal: ac.signal,
          verify: () => {
            ac.abort();
            throw new Error('interrupted while opening');
          },
        }),
      ),
    ).rejects.toThrow();
    expect((await stat(`${finalPath}.part`)).size).toBe(original.bytes.length);

    server.requests.length = 0;
    const result = await downloadFile(opts());
    await expectIntact(result, finalPath, original.bytes);
    expect(server.requests.map((r) => [r.range, r.status])).toEqual([[`bytes=${original.bytes.length}-`, 416]]);
  });

  it('does not trust a leftover .part without its sidecar', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(tmp.dir, `session_${ID}`), { recursive: true });
    await writeFile(`${finalPath}.part`, Buffer.alloc(1 * MB, 0xab));
    const result = await downloadFile(opts());
    await expectIntact(result, finalPath, original.bytes);
    expect(ranges()).toEqual([undefined]);
  });

  it('refuses a URL that is not http(s)', async () => {
    await expect(downloadFile(opts({ url: `file://${finalPath}` }))).rejects.toBeInstanceOf(StageError);
  });

  it('treats a refused connection as transient and reports it when the budget runs out', async () => {
    const url = server.urlOf(ID);
    await server.close();
    const err = await downloadFile(opts({ url, retries: 1 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as Error).message).toMatch(/failed after 2 attempts.*connection failed/);
    server = await startFixtureServer(); // afterEach closes it
  });
});
