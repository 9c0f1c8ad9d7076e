// Delay policy between failed attempts, and the default (abortable) sleep.

import { setTimeout as delay } from 'node:timers/promises';

/** Milliseconds to wait before the retry that follows the `failure`-th failure (1-based). */
export type Backoff = (failure: number) => number;

export interface ExponentialBackoffOptions {
  /** Delay after the first failure, before jitter. */
  readonly baseMs?: number;
  /** Ceiling of the un-jittered delay. */
  readonly maxMs?: number;
  /** Uniform [0, 1) source; inject a constant for deterministic tests. */
  readonly random?: () => number;
}

/**
 * base * 2^(failure-1), capped, then jittered into [d/2, d]. Jitter matters here because
 * fetchSessions runs several downloads against the same bucket: after a shared 503 burst they
 * would otherwise all retry in the same instant. Keeping half the delay as a floor means the
 * server always gets some rest.
 */
export function exponentialBackoff(opts: ExponentialBackoffOptions = {}): Backoff {
  const base = opts.baseMs ?? 1_000;
  const max = opts.maxMs ?? 60_000;
  const random = opts.random ?? Math.random;
  return (failure) => {
    const d = Math.min(max, base * 2 ** Math.max(0, failure - 1));
    return d / 2 + (d / 2) * random();
  };
}

/** Default sleep: a real timer that rejects with the signal's reason when aborted. */
export const abortableSleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
  if (ms <= 0) {
    signal?.throwIfAborted();
    return;
  }
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (err) {
    // timers/promises rejects with its own AbortError; surface the caller's reason instead so
    // every abort path of the downloader throws the same thing.
    if (signal?.aborted) throw signal.reason;
    throw err;
  }
};
