// downloadFile: one URL to one file, resumable, verified, never a partial file under the final
// name. The request-level protocol lives in http-attempt.ts, the on-disk state in part-file.ts;
// this file is the retry loop and the commit.
//
// Why global fetch (undici) rather than node:http/https: it follows redirects (the Allen
// warehouse API answers downloads with a redirect), handles http and https with one code path
// and connection reuse, and takes an AbortSignal for both the request and its body, which is
// what the stall watchdog and the caller's cancellation need. Its body is a pull-based stream,
// so reading one chunk at a time and awaiting the disk write gives backpressure for free: the
// 3 GB body is never buffered. And a fetch-shaped function is the easiest dependency to inject.

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StageError } from '../../../engine/builtin/types.js';
import { abortableSleep, exponentialBackoff, type Backoff } from './backoff.js';
import { runAttempt } from './http-attempt.js';
import { PartFile } from './part-file.js';
import { TransferMeter } from './transfer-meter.js';
import type { Clock, FetchLike, FetchedFile, Sleep, TransferProgress, Verify } from './types.js';

/** Tuning shared by every HTTP download; all optional. */
export interface HttpTransferOptions {
  /** Defaults to the global fetch. */
  readonly fetch?: FetchLike;
  /**
   * Retry budget: how many failed attempts IN A ROW that brought no new bytes are tolerated.
   * An attempt that extends the file beyond anything seen before resets the count, because on a
   * multi-GB transfer a flaky link may drop many times while still converging; what marks a
   * dead server is failing again and again without progress. Default 5.
   */
  readonly retries?: number;
  /** Pause before a retry; default exponentialBackoff() (1 s doubling to 60 s, jittered). */
  readonly backoff?: Backoff;
  readonly sleep?: Sleep;
  /** Abort and resume a request that delivers no byte for this long; default 60 s, 0 = never. */
  readonly stallTimeoutMs?: number;
  /** Clock for progress rates; default performance.now. */
  readonly now?: Clock;
}

export interface DownloadFileOptions extends HttpTransferOptions {
  readonly url: string;
  /** Final path; the partial download lives beside it as `<dest>.part` (+ `.part.json`). */
  readonly dest: string;
  /** What is downloaded, for messages ("session 715093703"); default the file name. */
  readonly label?: string;
  /** Called on the complete temporary file; throwing keeps it from ever getting the final name. */
  readonly verify?: Verify;
  readonly onProgress?: (p: TransferProgress) => void;
  /** Abort keeps the .part (a later call resumes it) and never creates the final file. */
  readonly signal?: AbortSignal;
}

const DEFAULT_RETRIES = 5;
const DEFAULT_STALL_TIMEOUT_MS = 60_000;
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * Streams `url` to `dest`. The final name appears (by rename) only when the byte count equals
 * the announced size and `verify` accepted the file; the returned hash was computed while the
 * bytes arrived (for a resumed file: over the prefix on disk first, then the new bytes).
 */
export async function downloadFile(o: DownloadFileOptions): Promise<FetchedFile> {
  const label = o.label ?? o.dest;
  checkUrl(o.url, label);
  const fetchImpl: FetchLike = o.fetch ?? globalThis.fetch;
  const retries = o.retries ?? DEFAULT_RETRIES;
  const backoff = o.backoff ?? exponentialBackoff();
  const sleep = o.sleep ?? abortableSleep;
  const now = o.now ?? (() => performance.now());

  o.signal?.throwIfAborted();
  await mkdir(dirname(o.dest), { recursive: true });
  const part = await PartFile.open({ finalPath: o.dest, url: o.url, ...(o.signal ? { signal: o.signal } : {}) });
  let committed = false;
  try {
    const meter = new TransferMeter(now);
    const report = (moved: number): void => {
      meter.add(moved);
      o.onProgress?.(meter.snapshot(part.offset, part.version?.total));
    };
    let failures = 0; // consecutive failed attempts without progress
    let highWater = part.offset; // furthest the file got in this call, across restarts
    let attempts = 0;
    for (;;) {
      o.signal?.throwIfAborted();
      attempts++;
      const outcome = await runAttempt({
        url: o.url,
        label,
        part,
        fetch: fetchImpl,
        stallTimeoutMs: o.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS,
        onChunk: report,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      if (outcome.kind === 'complete') break;
      if (outcome.kind === 'continue') continue;

      if (part.offset > highWater) {
        highWater = part.offset;
        failures = 0;
      } else {
        failures++;
      }
      if (failures > retries) {
        const kept = part.offset > 0 ? ` ${part.offset} bytes are kept in ${part.path} and the next run resumes from there.` : '';
        throw new StageError(
          `${label}: download from ${o.url} failed after ${attempts} attempts (${failures} in a row without progress); last error: ${outcome.reason}`,
          `Check that ${new URL(o.url).host} is reachable and retry later.${kept}`,
        );
      }
      if (outcome.kind === 'restart') {
        // The server is answering fine, just not about our prefix: no reason to wait.
        await part.restart();
      } else {
        // Retry-After is honoured, but capped: a server asking for hours should rather fail the
        // run (the .part is kept) than hang it silently.
        const asked = Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
        await sleep(Math.max(backoff(Math.max(1, failures)), asked), o.signal);
      }
    }

    const { size, hash } = await part.seal();
    if (o.verify) {
      try {
        await o.verify(part.path);
      } catch (err) {
        // Interrupted while verifying is not a verdict on the bytes: keep the complete .part,
        // the next run finds it whole (HTTP 416) and only verifies again.
        if (o.signal?.aborted) throw o.signal.reason;
        // A complete file that fails verification would fail again on resume (the server
        // answers 416 and we would re-verify the same bytes), so it is deleted.
        await part.discard();
        throw new StageError(
          `${label}: the file downloaded from ${o.url} failed verification: ${err instanceof Error ? err.message : String(err)}`,
          'The partial file was removed; run again to download it afresh. If it fails again the remote file itself is damaged.',
        );
      }
    }
    await part.commit(o.dest);
    committed = true;
    return { path: o.dest, size, hash };
  } finally {
    if (!committed) {
      // Keep a .part that holds bytes for a later resume; an empty one is only clutter.
      if (part.offset === 0) await part.discard();
      else await part.close();
    }
  }
}

function checkUrl(url: string, label: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StageError(`${label}: "${url}" is not a valid URL`, 'Give an absolute http(s) URL.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new StageError(
      `${label}: cannot download "${url}": only http and https URLs are supported`,
      'For a directory on this machine (an existing AllenSDK cache, a mounted bucket) use the local source.',
    );
  }
}
