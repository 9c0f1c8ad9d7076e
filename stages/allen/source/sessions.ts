// Facts about the 58 sessions of the published dataset (from its per-session counts), embedded
// so that a fresh clone can size synthetic sessions like the real ones without ../shared.
import { readPackageJson } from '../../../engine/util/package.js';
import type { PublishedSessionCounts } from '../synthetic/index.js';

let table: Map<number, PublishedSessionCounts> | undefined;

export function publishedSession(id: number): PublishedSessionCounts | undefined {
  table ??= new Map(
    (readPackageJson('stages/allen/published-sessions.json') as { sessions: PublishedSessionCounts[] }).sessions.map((s) => [s.sessionId, s]),
  );
  return table.get(id);
}

export function publishedSessionIds(): number[] {
  publishedSession(0);
  return [...table!.keys()];
}
