// Shared vocabulary of the session-file sources (HTTP download and local cache copy).
//
// Both sources end the same way: a file under its final name, its size and a content hash that
// was computed while the bytes streamed past, so the engine never has to reread a 3 GB file just
// to fingerprint it.

/** One file that a source has put in place. */
export interface FetchedFile {
  /** Absolute or caller-relative final path (the path the caller asked for). */
  readonly path: string;
  /** Size in bytes; always equals the length announced by the server or the source's size. */
  readonly size: number;
  /** Lower-case hex digest of the whole file; the algorithm is `HASH_ALGORITHM` (hashing.ts). */
  readonly hash: string;
}

/** Transfer progress of one file or of a batch, in bytes. */
export interface TransferProgress {
  /** Bytes present in the destination so far (a resumed prefix counts). */
  readonly done: number;
  /** Total bytes, once known (from Content-Length / Content-Range or the source's size). */
  readonly total?: number;
  /** Bytes actually moved during this call divided by the time it has been running. */
  readonly bytesPerSecond: number;
  /** Seconds left at the current rate; undefined until both total and a rate are known. */
  readonly etaSeconds?: number;
}

/**
 * Final check of a complete temporary file before it may take its final name. Throw (or reject)
 * to refuse it; the message is shown to the user. For NWB files the caller opens the file and
 * reads its identifier, which is what AllenSDK does (spec §9.5).
 */
export type Verify = (tmpPath: string) => Promise<void> | void;

/** A sleep that ends early (rejecting) when the signal aborts. Injected so tests never wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Milliseconds on some monotonic-enough clock; injected so rates/ETAs are testable. */
export type Clock = () => number;

/**
 * The subset of the WHATWG `fetch` API the downloader uses. Node's global `fetch` satisfies it;
 * tests and callers can wrap it (count requests, add headers) without a mocking library.
 */
export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>;

export interface FetchInit {
  readonly headers: Record<string, string>;
  readonly signal: AbortSignal;
  readonly redirect: 'follow';
}

export interface ResponseLike {
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  readonly body: {
    getReader(): {
      read(): Promise<{ done: boolean; value?: Uint8Array }>;
    };
  } | null;
}
