// Identity of the remote file a partial download belongs to.
//
// Appending bytes of one version of a file to a prefix of another produces a file of the right
// length and the wrong content, which neither the length check nor (often) an HDF5 open would
// catch. So every response is tied to a version (validators + total size) and a resume is only
// accepted when the server reports the same version.

export interface RemoteVersion {
  readonly etag?: string;
  readonly lastModified?: string;
  readonly total: number;
}

export function versionFromHeaders(
  headers: { get(name: string): string | null },
  total: number,
): RemoteVersion {
  const etag = headers.get('etag') ?? undefined;
  const lastModified = headers.get('last-modified') ?? undefined;
  return { total, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

/**
 * What to send as `If-Range`, so a server that has a newer version answers 200 with the whole new
 * file instead of a 206 slice of it. RFC 9110 §13.1.5 allows only a strong ETag or a date there.
 */
export function ifRangeValidator(v: RemoteVersion): string | undefined {
  if (v.etag && !v.etag.startsWith('W/')) return v.etag;
  return v.lastModified;
}

/**
 * Why `next` is not the same file as `prev`, or undefined when nothing says it changed.
 * A validator only counts when both sides carry it: a server that never sends ETags can still
 * be resumed, guarded by the total size alone.
 */
export function versionChange(prev: RemoteVersion, next: RemoteVersion): string | undefined {
  if (prev.total !== next.total) return `size ${prev.total} -> ${next.total}`;
  if (prev.etag && next.etag && prev.etag !== next.etag) return `ETag ${prev.etag} -> ${next.etag}`;
  if (prev.lastModified && next.lastModified && prev.lastModified !== next.lastModified) {
    return `Last-Modified ${prev.lastModified} -> ${next.lastModified}`;
  }
  return undefined;
}
