// A tiny HTTP server on 127.0.0.1 serving session files in the Allen cache layout from memory,
// with scripted faults. Every fault ends by itself (bounded loops, destroyed sockets), so a test
// can never hang on the server.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const PREFIX = '/visual-coding-neuropixels/ecephys-cache/';

/** One version of a remote file. */
export interface RemoteFile {
  readonly bytes: Buffer;
  readonly etag: string;
  readonly lastModified: string;
}

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
export function pseudoRandomBytes(seed: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    for (let k = 0; k < 4 && i + k < size; k++) out[i + k] = (x >>> (8 * k)) & 0xff;
  }
  return out;
}

export function remoteFile(seed: number, size: number, tag = `v${seed}`): RemoteFile {
  return {
    bytes: pseudoRandomBytes(seed, size),
    etag: `"${tag}"`,
    lastModified: new Date(Date.UTC(2020, 4, 26, 0, 0, seed % 60)).toUTCString(),
  };
}

export type Fault =
  /** Answer with this status and a small text body. */
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Record<string, string> }
  /** Send headers and `after` body bytes, then destroy the socket (connection reset). */
  | { readonly kind: 'drop'; readonly after: number }
  /** Announce the full length, send `after` bytes, then close the connection cleanly (FIN). */
  | { readonly kind: 'short'; readonly after: number }
  /** Send `after` bytes, then one byte every `everyMs` (at most 20), then destroy. */
  | { readonly kind: 'trickle'; readonly after: number; readonly everyMs: number }
  /** Answer 200 with the whole file even to a Range request. */
  | { readonly kind: 'ignore-range' };

export interface RequestRecord {
  readonly path: string;
  readonly sessionId: string | undefined;
  /** 0-based index among the requests for the same path. */
  readonly n: number;
  readonly range: string | undefined;
  readonly ifRange: string | undefined;
  status?: number;
}

export interface FixtureServer {
  /** `http://127.0.0.1:<port>/visual-coding-neuropixels/ecephys-cache/` */
  readonly baseUrl: string;
  /** Current version served per session id; tests may replace entries between requests. */
  readonly files: Map<string, RemoteFile>;
  readonly requests: RequestRecord[];
  /** Requests received whose response has not closed yet, and the most seen at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Per-request fault script; undefined serves normally. */
  faults: (r: RequestRecord) => Fault | undefined;
  /** Honour If-Range (answer 200 with the new file when the validator is stale). */
  honorIfRange: boolean;
  /** Awaited before each response is written (used to make requests overlap). */
  beforeResponse: (r: RequestRecord) => Promise<void>;
  /** Called when a request arrives, before anything is decided (used to swap versions). */
  onRequest: (r: RequestRecord) => void;
  urlOf(sessionId: string): string;
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const files = new Map<string, RemoteFile>();
  const requests: RequestRecord[] = [];
  const counts = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;

  const state = {
    faults: (_r: RequestRecord): Fault | undefined => undefined,
    honorIfRange: true,
    beforeResponse: async (_r: RequestRecord): Promise<void> => {},
    onRequest: (_r: RequestRecord): void => {},
  };

  const server = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const path = req.url ?? '';
    const n = counts.get(path) ?? 0;
    counts.set(path, n + 1);
    const m = path.startsWith(PREFIX) ? /^session_(\d+)\/session_(\d+)\.nwb$/.exec(path.slice(PREFIX.length)) : null;
    const record: RequestRecord = {
      path,
      sessionId: m && m[1] === m[2] ? m[1] : undefined,
      n,
      range: req.headers['range'],
      ifRange: typeof req.headers['if-range'] === 'string' ? req.headers['if-range'] : undefined,
    };
    requests.push(record);
    state.onRequest(record);
    void state.beforeResponse(record).then(() => respond(record, req, res));
  });

  function respond(r: RequestRecord, _req: http.IncomingMessage, res: http.ServerResponse): void {
    const file = r.sessionId === undefined ? undefined : files.get(r.sessionId);
    const fault = state.faults(r);
    if (fault?.kind === 'status') {
      r.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers }).end(`fault ${fault.status}`);
      return;
    }
    if (!file) {
      r.status = 404;
      res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code></Error>');
      return;
    }
    const size = file.bytes.length;
    const headers: Record<string, string | number> = {
      etag: file.etag,
      'last-modified': file.lastModified,
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
    };
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(r.range ?? '');
    const stale = r.ifRange !== undefined && r.ifRange !== file.etag && r.ifRange !== file.lastModified;
    if (m && fault?.kind !== 'ignore-range' && !(state.honorIfRange && stale)) {
      start = Number(m[1]);
      if (start >= size) {
        r.status = 416;
        res.writeHead(416, { ...headers, 'content-range': `bytes */${size}` }).end();
        return;
      }
      r.status = 206;
      res.writeHead(206, { ...headers, 'content-length': size - start, 'content-range': `bytes ${start}-${size - 1}/${size}` });
    } else {
      r.status = 200;
      res.writeHead(200, { ...headers, 'content-length': size });
    }
    const body = file.bytes.subarray(start);
    if (!fault || fault.kind === 'ignore-range') {
      res.end(body);
      return;
    }
    const head = body.subarray(0, Math.min(fault.after, body.length));
    switch (fault.kind) {
      case 'drop':
        res.write(head, () => res.destroy());
        return;
      case 'short':
        res.write(head, () => res.socket?.end());
        return;
      case 'trickle': {
        let sent = head.length;
        let timer: NodeJS.Timeout | undefined;
        res.on('close', () => clearTimeout(timer));
        const tick = (left: number): void => {
          if (left === 0 || sent >= body.length || res.destroyed) {
            res.destroy();
            return;
          }
          res.write(body.subarray(sent, sent + 1));
          sent++;
          timer = setTimeout(() => tick(left - 1), fault.everyMs);
        };
        res.write(head, () => {
          timer = setTimeout(() => tick(20), fault.everyMs);
        });
        return;
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}${PREFIX}`;

  return {
    baseUrl,
    files,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get faults() {
      return state.faults;
    },
    set faults(f) {
      state.faults = f;
    },
    get honorIfRange() {
      return state.honorIfRange;
    },
    set honorIfRange(v) {
      state.honorIfRange = v;
    },
    get beforeResponse() {
      return state.beforeResponse;
    },
    set beforeResponse(f) {
      state.beforeResponse = f;
    },
    get onRequest() {
      return state.onRequest;
    },
    set onRequest(f) {
      state.onRequest = f;
    },
    urlOf: (id) => `${baseUrl}session_${id}/session_${id}.nwb`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
