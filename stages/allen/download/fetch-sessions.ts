// fetchSessions: put several session NWBs in place at once, from the Allen bucket (or any HTTP
// server with the same layout) or from a local cache, with one aggregated progress report.

import pLimit from 'p-limit';
import { StageError } from '../../../engine/builtin/types.js';
import {
  ALLEN_S3_BASE_URL,
  compareSessionIds,
  normalizeSessionId,
  sessionNwbPath,
  sessionNwbUrl,
} from './allen-layout.js';
import { downloadFile, type HttpTransferOptions } from './download-file.js';
import { copyLocalFile, type CloneFile } from './local-copy.js';
import { locateLocalSession } from './local-cache.js';
import { TransferMeter } from './transfer-meter.js';
import type { Clock, FetchedFile, TransferProgress } from './types.js';

/** Where session files come from. */
export type SessionSource =
  /** `<baseUrl>session_<id>/session_<id>.nwb`; baseUrl defaults to the Allen S3 bucket. */
  | ({ readonly kind: 'http'; readonly baseUrl?: string } & HttpTransferOptions)
  /** A directory laid out like the ecephys cache (or its manifest.json); never modified. */
  | { readonly kind: 'local'; readonly dir: string; readonly clone?: CloneFile };

export interface FetchSessionsOptions {
  readonly sessionIds: readonly (string | number)[];
  /** Files go to `<dest>/session_<id>/session_<id>.nwb`. */
  readonly dest: string;
  /** Default: HTTP from ALLEN_S3_BASE_URL. */
  readonly source?: SessionSource;
  /** Files transferred at the same time; default 2. */
  readonly concurrency?: number;
  /** Check of each complete temporary file (e.g. open the NWB and read its identifier). */
  readonly verify?: (tmpPath: string, sessionId: string) => Promise<void> | void;
  readonly onProgress?: (p: SessionsProgress) => void;
  readonly signal?: AbortSignal;
  readonly now?: Clock;
}

export interface SessionsProgress extends TransferProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
}

export interface SessionFile extends FetchedFile {
  readonly sessionId: string;
}

const DEFAULT_CONCURRENCY = 2;

/**
 * Fetches every session (duplicates removed, in numeric id order) and returns one entry per
 * session in that order. On the first failure the transfers still running are aborted (their
 * .part files stay for a resume) and that failure is thrown.
 */
export async function fetchSessions(o: FetchSessionsOptions): Promise<SessionFile[]> {
  const ids = [...new Set(o.sessionIds.map(normalizeSessionId))].sort(compareSessionIds);
  const source: SessionSource = o.source ?? { kind: 'http' };
  const now = o.now ?? (() => performance.now());
  const progress = new BatchProgress(ids, now, o.onProgress);

  // Internal abort: one failure stops the others instead of letting them run for minutes
  // towards a result that will be thrown away.
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  let firstError: { error: unknown } | undefined;

  const limit = pLimit(o.concurrency ?? DEFAULT_CONCURRENCY);
  const settled = await Promise.allSettled(
    ids.map((id) =>
      limit(async (): Promise<SessionFile> => {
        signal.throwIfAborted();
        try {
          const file = await fetchOne(id, o, source, signal, now, (p) => progress.update(id, p));
          progress.finish(id, file.size);
          return { sessionId: id, ...file };
        } catch (error) {
          if (!firstError && !signal.aborted) {
            firstError = { error };
            stop.abort(error);
          }
          throw error;
        }
      }),
    ),
  );
  if (o.signal?.aborted) throw o.signal.reason;
  if (firstError) throw firstError.error;
  return settled.map((s) => {
    if (s.status === 'fulfilled') return s.value;
    throw s.reason; // unreachable: any rejection set firstError or came from the caller's abort
  });
}

function fetchOne(
  id: string,
  o: FetchSessionsOptions,
  source: SessionSource,
  signal: AbortSignal,
  now: Clock,
  onProgress: (p: TransferProgress) => void,
): Promise<FetchedFile> {
  const dest = sessionNwbPath(o.dest, id);
  const label = `session ${id}`;
  const verify = o.verify && ((tmp: string) => o.verify!(tmp, id));
  switch (source.kind) {
    case 'http': {
      const { kind: _kind, baseUrl, ...transfer } = source;
      return downloadFile({
        ...transfer,
        now,
        url: sessionNwbUrl(baseUrl ?? ALLEN_S3_BASE_URL, id),
        dest,
        label,
        signal,
        onProgress,
        ...(verify ? { verify } : {}),
      });
    }
    case 'local':
      return (async () => {
        const src = await locateLocalSession(source.dir, id);
        return copyLocalFile({
          src,
          dest,
          label,
          signal,
          now,
          onProgress,
          ...(verify ? { verify } : {}),
          ...(source.clone ? { clone: source.clone } : {}),
        });
      })();
    default: {
      const never: never = source;
      throw new StageError(`unknown session source ${JSON.stringify(never)}`);
    }
  }
}

/** Sums per-file progress into one report for the batch. */
class BatchProgress {
  private readonly done = new Map<string, number>();
  private readonly totals = new Map<string, number>();
  private filesDone = 0;
  private readonly movedSeen = new Map<string, number>();
  private readonly meter: TransferMeter;

  constructor(
    private readonly ids: readonly string[],
    now: Clock,
    private readonly onProgress?: (p: SessionsProgress) => void,
  ) {
    this.meter = new TransferMeter(now);
  }

  update(id: string, p: TransferProgress): void {
    // Bytes moved = growth of this file's byte count since its last report. A restart from
    // zero shows as a drop, which moves nothing; the first report of a resumed file counts
    // nothing either, since it cannot tell its first chunk from the prefix already on disk.
    const prev = this.movedSeen.get(id) ?? p.done;
    if (p.done > prev) this.meter.add(p.done - prev);
    this.movedSeen.set(id, p.done);
    this.done.set(id, p.done);
    if (p.total !== undefined) this.totals.set(id, p.total);
    this.emit();
  }

  finish(id: string, size: number): void {
    this.done.set(id, size);
    this.totals.set(id, size);
    this.filesDone++;
    this.emit();
  }

  private emit(): void {
    if (!this.onProgress) return;
    let done = 0;
    for (const d of this.done.values()) done += d;
    // The batch total is only known once every file has announced its size; a growing total
    // would make the ETA jump around.
    let total: number | undefined = 0;
    for (const id of this.ids) {
      const t = this.totals.get(id);
      if (t === undefined) {
        total = undefined;
        break;
      }
      total += t;
    }
    this.onProgress({ ...this.meter.snapshot(done, total), filesDone: this.filesDone, filesTotal: this.ids.length });
  }
}
