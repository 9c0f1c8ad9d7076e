// Where a session NWB lives, in the AllenSDK ecephys cache layout (spec §9.1) that the public S3
// bucket mirrors (spec §9.2): `<root>/session_<id>/session_<id>.nwb`.

import { join } from 'node:path';
import { StageError } from '../../../engine/builtin/types.js';

/** The AWS public bucket, us-west-2 endpoint (anonymous reads). */
export const ALLEN_S3_BASE_URL =
  'https://allen-brain-observatory.s3.us-west-2.amazonaws.com/visual-coding-neuropixels/ecephys-cache/';

/**
 * Canonical decimal string of a session id. Ids end up in paths and URLs, so anything but
 * digits is refused here (no `../`, no signs, no exponent forms of large numbers).
 */
export function normalizeSessionId(id: string | number): string {
  const text = typeof id === 'number' ? (Number.isSafeInteger(id) && id >= 0 ? String(id) : '') : id.trim();
  if (!/^\d+$/.test(text)) {
    throw new StageError(
      `invalid session id ${JSON.stringify(id)}`,
      'Session ids are the numeric ecephys_session_id values of sessions.csv, e.g. 715093703.',
    );
  }
  return text.replace(/^0+(?=\d)/, '');
}

/** `session_<id>/session_<id>.nwb`, with forward slashes (valid as a URL path too). */
export function sessionNwbRelPath(id: string): string {
  return `session_${id}/session_${id}.nwb`;
}

export function sessionNwbPath(root: string, id: string): string {
  return join(root, `session_${id}`, `session_${id}.nwb`);
}

/** Resolves the session file under a base URL; a missing trailing slash is supplied. */
export function sessionNwbUrl(baseUrl: string, id: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  try {
    return new URL(sessionNwbRelPath(id), base).href;
  } catch {
    throw new StageError(`invalid base URL "${baseUrl}"`, `Use an absolute URL such as ${ALLEN_S3_BASE_URL}`);
  }
}

/** Numeric order of decimal id strings, without going through (possibly lossy) numbers. */
export function compareSessionIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
