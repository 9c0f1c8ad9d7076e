// Parsing of the few HTTP response headers a resumable download depends on (RFC 9110 §14).
// Pure functions; anything malformed comes back as undefined and the caller treats the response
// as untrustworthy rather than guessing.

/** `Content-Range: bytes <start>-<end>/<total>` of a 206 answer. */
export interface ContentRange {
  readonly start: number;
  readonly end: number; // inclusive, as on the wire
  readonly total: number;
}

function nonNegativeInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function parseContentLength(value: string | null): number | undefined {
  return value === null ? undefined : nonNegativeInt(value.trim());
}

/**
 * Parses the Content-Range of a 206. A `*` total ("length unknown") is rejected: without a total
 * we cannot tell when the file is complete, which is the whole point of resuming.
 */
export function parseContentRange(value: string | null): ContentRange | undefined {
  const m = value === null ? null : /^bytes\s+(\d+)-(\d+)\/(\d+)$/i.exec(value.trim());
  if (!m) return undefined;
  const start = nonNegativeInt(m[1]);
  const end = nonNegativeInt(m[2]);
  const total = nonNegativeInt(m[3]);
  if (start === undefined || end === undefined || total === undefined) return undefined;
  if (end < start || end >= total) return undefined;
  return { start, end, total };
}

/** `Content-Range: bytes *\/<total>` of a 416: the size of the current representation. */
export function parseUnsatisfiedRange(value: string | null): number | undefined {
  const m = value === null ? null : /^bytes\s+\*\/(\d+)$/i.exec(value.trim());
  return m ? nonNegativeInt(m[1]) : undefined;
}

/** `Retry-After` as milliseconds from now: either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  const seconds = nonNegativeInt(text);
  if (seconds !== undefined) return seconds * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
