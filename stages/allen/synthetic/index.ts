// Synthetic Allen Visual Coding – Neuropixels session files, in the exact on-disk layout of the
// released `session_<id>.nwb` (shared/specs/allen-nwb-layout.md), for tests and benchmarks of the
// binned-dataset pipeline where the real data cannot be downloaded.

export { writeSyntheticSession, type SyntheticSessionOptions, type SyntheticSessionSummary } from './session.js';
export { loadPublishedCounts, parsePublishedCounts, sizeLikePublished, type PublishedSessionCounts } from './published-counts.js';
export type { SessionType } from './timeline/catalog.js';
export { TINY_SCALE } from './sizing.js';
