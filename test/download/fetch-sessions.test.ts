import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import { fetchSessions, type SessionSource, type SessionsProgress } from '../../stages/allen/download/index.js';
import { PREFIX, remoteFile, startFixtureServer, type FixtureServer, type RemoteFile } from './fixture-server.js';
import { expectIntact, makeTempDir } from './helpers.js';

const MB = 1024 * 1024;
const IDS = ['715093703', '719161530', '721123822', '732592105'];

let server: FixtureServer;
let tmp: { dir: string; cleanup: () => Promise<void> };
const originals = new Map<string, RemoteFile>();

beforeEach(async () => {
  server = await startFixtureServer();
  tmp = await makeTempDir();
  originals.clear();
  IDS.forEach((id, i) => {
    const f = remoteFile(10 + i, 2 * MB + i * 1000);
    originals.set(id, f);
    server.files.set(id, f);
  });
});

afterEach(async () => {
  await server.close();
  await tmp.cleanup();
});

function http(extra: Partial<Extract<SessionSource, { kind: 'http' }>> = {}): SessionSource {
  return { kind: 'http', baseUrl: server.baseUrl, backoff: () => 0, sleep: async () => {}, stallTimeoutMs: 10_000, ...extra };
}

describe('fetchSessions over HTTP', () => {
  it('downloads every session into the cache layout with at most `concurrency` requests in flight', async () => {
    // Hold each response until a second request is in flight (or every session has been asked
    // for), so a client that respects the limit is seen at exactly 2 and one that exceeds it
    // cannot hide behind fast responses. Bounded: never holds longer than 2 s.
    server.beforeResponse = async () => {
      for (let i = 0; i < 200 && server.inFlight < 2 && server.requests.length < IDS.length; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const reports: SessionsProgress[] = [];
    const results = await fetchSessions({
      sessionIds: [IDS[3]!, IDS[1]!, IDS[0]!, IDS[2]!, IDS[1]!], // unsorted, with a duplicate
      dest: tmp.dir,
      source: http(),
      concurrency: 2,
      onProgress: (p) => reports.push(p),
    });

    expect(server.maxInFlight).toBe(2);
    expect(server.requests.map((r) => r.path).sort()).toEqual(IDS.map((id) => `${PREFIX}session_${id}/session_${id}.nwb`));
    expect(results.map((r) => r.sessionId)).toEqual(IDS);
    for (const r of results) {
      await expectIntact(r, join(tmp.dir, `session_${r.sessionId}`, `session_${r.sessionId}.nwb`), originals.get(r.sessionId)!.bytes);
    }
    const sum = [...originals.values()].reduce((a, f) => a + f.bytes.length, 0);
    expect(reports.at(-1)).toMatchObject({ done: sum, total: sum, filesDone: 4, filesTotal: 4 });
    // The batch total appears only once every size is known, and never changes afterwards.
    const totals = new Set(reports.map((p) => p.total).filter((t) => t !== undefined));
    expect([...totals]).toEqual([sum]);
  });

  it('with concurrency 1 never overlaps requests', async () => {
    await fetchSessions({ sessionIds: IDS, dest: tmp.dir, source: http(), concurrency: 1 });
    expect(server.maxInFlight).toBe(1);
    expect(server.requests).toHaveLength(4);
  });

  it('recovers each file from its own faults', async () => {
    server.faults = (r) =>
      r.sessionId === IDS[0] && r.n === 0
        ? { kind: 'drop', after: MB }
        : r.sessionId === IDS[2] && r.n < 2
          ? { kind: 'status', status: 503 }
          : undefined;
    const results = await fetchSessions({ sessionIds: IDS, dest: tmp.dir, source: http(), concurrency: 3 });
    for (const r of results) await expectIntact(r, r.path, originals.get(r.sessionId)!.bytes);
  });

  it('fails with the missing session named, and aborts the others', async () => {
    server.files.delete(IDS[1]!);
    const err = await fetchSessions({ sessionIds: IDS, dest: tmp.dir, source: http(), concurrency: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as Error).message).toContain(`session ${IDS[1]} not found at ${server.urlOf(IDS[1]!)}`);
    // Concurrency 1: the sessions after the failing one are never requested.
    expect(server.requests.map((r) => r.sessionId)).toEqual([IDS[0], IDS[1]]);
    expect(existsSync(join(tmp.dir, `session_${IDS[2]}`, `session_${IDS[2]}.nwb`))).toBe(false);
  });

  it('refuses session ids that are not numbers before touching the network', async () => {
    await expect(fetchSessions({ sessionIds: ['../../etc'], dest: tmp.dir, source: http() })).rejects.toBeInstanceOf(StageError);
    expect(server.requests).toHaveLength(0);
  });

  it('passes the session id to verify and keeps rejected files out', async () => {
    const seen: string[] = [];
    const err = await fetchSessions({
      sessionIds: [IDS[0]!],
      dest: tmp.dir,
      source: http(),
      verify: (_tmp, id) => {
        seen.push(id);
        throw new Error('not an NWB file');
      },
    }).catch((e: unknown) => e);
    expect(seen).toEqual([IDS[0]]);
    expect((err as Error).message).toContain('not an NWB file');
    expect(existsSync(join(tmp.dir, `session_${IDS[0]}`, `session_${IDS[0]}.nwb`))).toBe(false);
  });

  it('stops on the caller abort and rethrows its reason', async () => {
    const ac = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const err = await fetchSessions({
      sessionIds: IDS,
      dest: tmp.dir,
      source: http(),
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done > MB) ac.abort(reason);
      },
    }).catch((e: unknown) => e);
    expect(err).toBe(reason);
    for (const id of IDS) expect(existsSync(join(tmp.dir, `session_${id}`, `session_${id}.nwb`))).toBe(false);
  });
});
