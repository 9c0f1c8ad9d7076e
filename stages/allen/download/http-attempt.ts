// One HTTP request of a download: ask for the missing bytes, check what the server answered,
// stream the body into the .part, and say what the download loop should do next.
//
// Only network and protocol problems become outcomes. Disk errors (ENOSPC, EACCES) propagate as
// they are: retrying them would only fail again. A user abort propagates as the signal's reason.

import { StageError } from '../../../engine/builtin/types.js';
import {
  parseContentLength,
  parseContentRange,
  parseRetryAfter,
  parseUnsatisfiedRange,
} from './http-headers.js';
import type { PartFile } from './part-file.js';
import { ifRangeValidator, versionChange, versionFromHeaders } from './remote-version.js';
import type { FetchLike, ResponseLike } from './types.js';

export type AttemptOutcome =
  /** Every byte of the current version is in the .part. */
  | { readonly kind: 'complete' }
  /** The server sent a shorter range than asked for, completely: ask for the rest right away. */
  | { readonly kind: 'continue' }
  /** A failure worth retrying after a pause: network error, stall, truncation, 5xx/408/429. */
  | { readonly kind: 'transient'; readonly reason: string; readonly retryAfterMs?: number }
  /** The .part cannot be continued (remote changed, range refused): start over from byte 0. */
  | { readonly kind: 'restart'; readonly reason: string };

export interface AttemptOptions {
  readonly url: string;
  /** What is being downloaded, for messages: "session 715093703". */
  readonly label: string;
  readonly part: PartFile;
  readonly fetch: FetchLike;
  /** Abort the request when no byte arrives for this long (0 disables). */
  readonly stallTimeoutMs: number;
  readonly signal?: AbortSignal;
  /** Called after each chunk is on disk, with its size. */
  readonly onChunk: (bytes: number) => void;
}

/** A network-side failure of fetch() or of reading the body, as opposed to a local one. */
class Interrupted extends Error {}

async function net<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw new Interrupted(describe(err));
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // undici hides the socket error behind "fetch failed" / "terminated"; the cause says why.
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return `${err.message} (${code ? `${code}: ` : ''}${cause.message})`;
  }
  return err.message;
}

/**
 * Fires when the network delivered nothing for `ms`. Disarmed while a chunk is written, so a
 * slow disk is not mistaken for a stalled server.
 */
class StallWatchdog {
  fired = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly onStall: () => void,
  ) {
    this.arm();
  }

  /** (Re)starts the countdown from now. */
  arm(): void {
    if (this.ms <= 0) return;
    if (this.timer) {
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(() => {
      this.fired = true;
      this.onStall();
    }, this.ms);
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export async function runAttempt(o: AttemptOptions): Promise<AttemptOutcome> {
  // A per-attempt controller lets the watchdog cancel this request (and its body stream)
  // without touching the caller's signal.
  const local = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, local.signal]) : local.signal;
  const dog = new StallWatchdog(o.stallTimeoutMs, () => local.abort(new Error('stalled')));
  try {
    return await exchange(o, signal, dog);
  } catch (err) {
    if (o.signal?.aborted) throw o.signal.reason;
    if (!(err instanceof Interrupted)) throw err;
    const where = `after ${o.part.offset} of ${o.part.version?.total ?? '?'} bytes`;
    if (dog.fired) {
      return { kind: 'transient', reason: `no data for ${o.stallTimeoutMs / 1000} s ${where} (stall timeout)` };
    }
    return { kind: 'transient', reason: `connection failed ${where}: ${err.message}` };
  } finally {
    dog.disarm();
    // Releases the socket when we stop before the end of a body (error status, mismatch).
    local.abort();
  }
}

async function exchange(o: AttemptOptions, signal: AbortSignal, dog: StallWatchdog): Promise<AttemptOutcome> {
  const { part } = o;
  const from = part.offset;
  // identity: undici would otherwise ask for gzip and transparently inflate, and then neither
  // Content-Length nor byte ranges would describe the bytes we write.
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (from > 0) {
    headers['range'] = `bytes=${from}-`;
    const validator = part.version && ifRangeValidator(part.version);
    if (validator) headers['if-range'] = validator;
  }
  const res = await net(o.fetch(o.url, { headers, signal, redirect: 'follow' }));
  dog.arm();

  switch (res.status) {
    case 200: {
      const total = parseContentLength(res.headers.get('content-length'));
      if (total === undefined) {
        throw new StageError(
          `${o.label}: ${o.url} was sent without a Content-Length, so a complete download cannot be told from a truncated one`,
          'Use a server or mirror that reports file sizes (S3 and api.brain-map.org do).',
        );
      }
      checkIdentityEncoding(o, res);
      // A 200 to a Range request means the server ignored the range or (If-Range) the file
      // changed; either way this body is the whole file, so the old prefix goes.
      if (from > 0) await part.restart();
      await part.adopt(versionFromHeaders(res.headers, total));
      return streamBody(o, res, dog, total);
    }
    case 206: {
      const raw = res.headers.get('content-range');
      const range = parseContentRange(raw);
      if (from === 0 || !part.version) {
        return { kind: 'restart', reason: 'server sent a partial response (206) that was not asked for' };
      }
      if (!range || range.start !== from) {
        return { kind: 'restart', reason: `asked for bytes ${from}- but the server sent Content-Range ${raw ?? '(none)'}` };
      }
      const changed = versionChange(part.version, versionFromHeaders(res.headers, range.total));
      if (changed) return { kind: 'restart', reason: `remote file changed during the download (${changed})` };
      const length = parseContentLength(res.headers.get('content-length'));
      if (length !== undefined && length !== range.end - range.start + 1) {
        return { kind: 'transient', reason: `Content-Length ${length} contradicts Content-Range ${raw}` };
      }
      checkIdentityEncoding(o, res);
      return streamBody(o, res, dog, range.end + 1);
    }
    case 416: {
      // S3 answers 416 to `bytes=<size>-`: the .part is already whole (an earlier run stopped
      // between the last byte and the rename). Anything else: the .part does not fit the file.
      const total = parseUnsatisfiedRange(res.headers.get('content-range'));
      const v = part.version;
      if (v && total === from && total === v.total && !versionChange(v, versionFromHeaders(res.headers, total))) {
        return { kind: 'complete' };
      }
      return { kind: 'restart', reason: `server refused bytes ${from}- (HTTP 416, remote size ${total ?? 'unknown'})` };
    }
    default:
      return classifyError(o, res);
  }
}

function classifyError(o: AttemptOptions, res: ResponseLike): AttemptOutcome {
  const s = res.status;
  const status = `HTTP ${s}${res.statusText ? ` ${res.statusText}` : ''}`;
  if (s === 408 || s === 429 || s >= 500) {
    // Wall clock on purpose: an HTTP-date Retry-After is wall-clock time.
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    return { kind: 'transient', reason: `${status} from ${o.url}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (s === 404 || s === 410) {
    throw new StageError(
      `${o.label} not found at ${o.url} (${status})`,
      'Check the session id (sessions.csv lists the published ones) and the base URL of the source.',
    );
  }
  if (s === 401 || s === 403) {
    throw new StageError(
      `${o.label}: access denied at ${o.url} (${status})`,
      'The Allen bucket allows anonymous reads; S3 answers 403 instead of 404 for a missing key when ' +
        'listing is not allowed, so check the session id and the base URL.',
    );
  }
  throw new StageError(`${o.label}: unexpected ${status} from ${o.url}`);
}

function checkIdentityEncoding(o: AttemptOptions, res: ResponseLike): void {
  const enc = res.headers.get('content-encoding');
  if (enc && enc.trim().toLowerCase() !== 'identity') {
    throw new StageError(
      `${o.label}: ${o.url} was sent with Content-Encoding ${enc} although identity was requested; its byte counts cannot be checked`,
      'Download from a server that serves the file as stored.',
    );
  }
}

/** Writes the body to the .part until `end` (exclusive), stopping early if anything is off. */
async function streamBody(o: AttemptOptions, res: ResponseLike, dog: StallWatchdog, end: number): Promise<AttemptOutcome> {
  const { part } = o;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await net(reader.read());
      if (done || !value) break;
      if (part.offset + value.byteLength > end) {
        return { kind: 'transient', reason: `server sent more than the ${end} bytes it announced` };
      }
      dog.disarm();
      await part.append(value);
      o.onChunk(value.byteLength);
      dog.arm();
    }
  }
  const total = part.version?.total ?? end;
  if (part.offset < end) {
    return { kind: 'transient', reason: `body ended after ${part.offset} of ${total} bytes (truncated)` };
  }
  return part.offset < total ? { kind: 'continue' } : { kind: 'complete' };
}
