// Session file sources: download from the Allen bucket (or any server with the same layout),
// or copy from a local ecephys cache. See download-file.ts, local-copy.ts and fetch-sessions.ts.

export { ALLEN_S3_BASE_URL, normalizeSessionId, sessionNwbPath, sessionNwbRelPath, sessionNwbUrl } from './allen-layout.js';
export { abortableSleep, exponentialBackoff, type Backoff, type ExponentialBackoffOptions } from './backoff.js';
export { downloadFile, type DownloadFileOptions, type HttpTransferOptions } from './download-file.js';
export {
  fetchSessions,
  type FetchSessionsOptions,
  type SessionFile,
  type SessionSource,
  type SessionsProgress,
} from './fetch-sessions.js';
export { HASH_ALGORITHM } from './hashing.js';
export { cacheRoot, locateLocalSession } from './local-cache.js';
export { cloneFile, copyLocalFile, type CloneFile, type CopyLocalFileOptions } from './local-copy.js';
export { partPathOf } from './part-file.js';
export type { Clock, FetchInit, FetchLike, FetchedFile, ResponseLike, Sleep, TransferProgress, Verify } from './types.js';
