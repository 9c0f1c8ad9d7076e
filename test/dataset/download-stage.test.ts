// The `download` built-in through the CLI, for each source kind: `allen` from an HTTP server in
// the bucket layout (started here on 127.0.0.1), `local` from a cache directory, and the
// /identifier check that rejects a file holding another session.
import { createServer, type Server } from 'node:http';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../rig.js';

const A = 715093703;
const B = 766640955;

const pipeline = (source: string) => `params:
  sessions: [${A}]
stages:
  download:
    foreach: \${params.sessions}
    uses: download
    with:
      session_id: \${item}
      source: ${source}
      out: data/raw/session_\${item}/session_\${item}.nwb
    outs: [data/raw/session_\${item}/session_\${item}.nwb]
`;

describe('the download stage', () => {
  const files = new Workspace('pipe-sessions-');
  let server: Server;
  let base = '';
  const requests: string[] = [];
  beforeAll(async () => {
    // Two tiny synthetic sessions, made with the CLI like a user would.
    for (const id of [A, B]) {
      const r = await files.pipe(['synthetic', String(id), '--scale', '0.002', '--out', 'made']);
      expect(r.code, r.stderr).toBe(0);
    }
    // The bucket layout; session A's path serves B's file under /wrong/.
    const serve: Record<string, string> = {
      [`/cache/session_${A}/session_${A}.nwb`]: files.path(`made/session_${A}.nwb`),
      [`/wrong/session_${A}/session_${A}.nwb`]: files.path(`made/session_${B}.nwb`),
    };
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const file = serve[req.url ?? ''];
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      const body = readFileSync(file);
      res.writeHead(200, { 'content-length': body.length, etag: '"v1"' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    files.cleanup();
  });

  it('kind allen: downloads from the bucket layout, byte for byte, and records the hash', async () => {
    const ws = new Workspace();
    try {
      ws.write('pipeline.yaml', pipeline(`{kind: allen, base_url: "${base}/cache/"}`));
      const r = await ws.repro();
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(requests).toContain(`/cache/session_${A}/session_${A}.nwb`);
      const got = readFileSync(ws.path(`data/raw/session_${A}/session_${A}.nwb`));
      expect(got.equals(readFileSync(files.path(`made/session_${A}.nwb`)))).toBe(true);
      expect(ws.read('data.lock')).toMatch(new RegExp(`path: data/raw/session_${A}/session_${A}.nwb\\n\\s+hash: [0-9a-f]{32}`));
      const progress = r.events.filter((e) => e.type === 'progress' && e.unit === 'bytes');
      expect(progress.length).toBeGreaterThan(0);
      expect(String(progress.at(-1)!.message)).toMatch(/^downloading session 715093703/);
    } finally {
      ws.cleanup();
    }
  });

  it('kind allen: a file whose /identifier names another session is refused and never lands', async () => {
    const ws = new Workspace();
    try {
      ws.write('pipeline.yaml', pipeline(`{kind: allen, base_url: "${base}/wrong/", retries: 0}`));
      const r = await ws.repro();
      expect(r.code).toBe(1);
      const failed = r.events.find((e) => e.type === 'stage-failed');
      expect(String(failed?.error)).toContain(`/identifier is '${B}', but this is session ${A}`);
      expect(ws.exists(`data/raw/session_${A}/session_${A}.nwb`)).toBe(false);
    } finally {
      ws.cleanup();
    }
  });

  it('kind allen: a session missing from the server is a clear error', async () => {
    const ws = new Workspace();
    try {
      ws.write('pipeline.yaml', pipeline(`{kind: allen, base_url: "${base}/nothing/", retries: 0}`));
      const r = await ws.repro();
      expect(r.code).toBe(1);
      expect(String(r.events.find((e) => e.type === 'stage-failed')?.error)).toMatch(/not found/);
    } finally {
      ws.cleanup();
    }
  });

  it('kind local: copies from an ecephys cache directory without touching it', async () => {
    const ws = new Workspace();
    try {
      mkdirSync(ws.path(`cache/session_${A}`), { recursive: true });
      copyFileSync(files.path(`made/session_${A}.nwb`), ws.path(`cache/session_${A}/session_${A}.nwb`));
      ws.write('pipeline.yaml', pipeline('{kind: local, dir: cache}'));
      const r = await ws.repro();
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const got = readFileSync(ws.path(`data/raw/session_${A}/session_${A}.nwb`));
      expect(got.equals(readFileSync(ws.path(`cache/session_${A}/session_${A}.nwb`)))).toBe(true);
      ws.write('pipeline.yaml', pipeline('{kind: local, dir: ""}'));
      const empty = await ws.repro();
      expect(String(empty.events.find((e) => e.type === 'stage-failed')?.error)).toContain('params.source.dir is empty');
    } finally {
      ws.cleanup();
    }
  });

  it('kind synthetic: an id outside the published sessions is refused with examples', async () => {
    const ws = new Workspace();
    try {
      ws.write('pipeline.yaml', pipeline('{kind: synthetic}').replace(`sessions: [${A}]`, 'sessions: [123]'));
      const r = await ws.repro();
      expect(r.code).toBe(1);
      expect(String(r.events.find((e) => e.type === 'stage-failed')?.error)).toMatch(/session 123 is not one of the 58 sessions[\s\S]*hint: use ids such as \d+/);
    } finally {
      ws.cleanup();
    }
  });
});
