// `pipe repro [TARGET...]`: bring the targets (default: everything) up to date.
import { join, relative, resolve } from 'node:path';
import { readFile, rm } from 'node:fs/promises';
import { STAGING_DIR } from '../exec/run-item.js';
import { removeStaleTemporaries } from '../util/atomic.js';
import { ProcessRegistry } from '../exec/orphans.js';
import { loadPipeline, LOCK_FILE, STATE_DIR } from './workspace.js';
import { EXIT, reportDiagnostics, type CliIO } from './io.js';
import { select } from '../plan/select.js';
import { dropRunning, readLock, LockWriter, RunningMarks, type LockEntries } from '../lock/lockfile.js';
import { StatCache } from '../hash/stat-cache.js';
import { PathHasher } from '../hash/tree.js';
import { computeStatus } from '../plan/status.js';
import { execute } from '../exec/scheduler.js';
import { createPlainLogger } from '../log/plain.js';
import { createNdjsonLogger } from '../log/ndjson.js';
import { createLiveLogger } from '../log/live.js';
import { Durations } from '../exec/durations.js';
import { fanOut, type Logger } from '../events.js';
import { renderStatus, statusJson } from './status-view.js';
import { acquireRunLock, type LockOwner } from '../exec/run-lock.js';
import { ObjectStore } from '../cache/store.js';
import { RunCache } from '../cache/run-cache.js';
import type { StageGraph } from '../graph/model.js';

/** PIPE_CACHE_DIR (relative to the current directory), else `cache.dir`, else .pipe/cache. */
export function cacheDirOf(io: CliIO, graph: StageGraph): string {
  if (io.env.PIPE_CACHE_DIR) return resolve(io.cwd, io.env.PIPE_CACHE_DIR);
  if (graph.cacheDir) return resolve(graph.workspace, graph.cacheDir);
  return join(graph.workspace, STATE_DIR, 'cache');
}

export interface ReproArgs {
  readonly targets: readonly string[];
  readonly force: boolean;
  readonly dry: boolean;
  readonly downstream: boolean;
  readonly keepGoing: boolean;
  readonly overrides: readonly string[];
  readonly jobs: number;
  readonly json: boolean;
  readonly runCache: boolean;
  readonly wait: boolean;
}

export async function repro(io: CliIO, a: ReproArgs): Promise<number> {
  const loaded = await loadPipeline({ cwd: io.cwd, overrides: a.overrides, shipped: io.shipped, env: io.env });
  if (!loaded.ok) return reportDiagnostics(io, loaded.diagnostics);
  const graph = loaded.value;
  const selection = select(graph, { targets: a.targets, downstream: a.downstream });
  if (!selection.ok) return reportDiagnostics(io, selection.diagnostics);

  const stateDir = join(graph.workspace, STATE_DIR);
  let release: (() => Promise<void>) | undefined;
  if (!a.dry) {
    // After analysis (a broken pipeline is reported at once) and before reading data.lock (which
    // the other run may still be writing).
    const got = await acquireRunLock({
      stateDir,
      wait: a.wait,
      command: `pipe repro ${a.targets.join(' ')}`.trim(),
      signal: io.signal,
      onWait: (owner) => io.stderr(`waiting for ${describeOwner(owner)} to finish (--no-wait to fail instead)\n`),
      onTakeover: (owner) => io.stderr(`note: ${describeOwner(owner)} is no longer running; taking over its lock\n`),
    }).catch((e) => {
      if (io.signal.aborted) return undefined;
      throw e;
    });
    if (!got) return EXIT.interrupted;
    if (!got.ok) {
      io.stderr(`error: ${describeOwner(got.owner)} is already running in this workspace\n  hint: wait for it, or run without --no-wait to wait automatically\n`);
      return EXIT.failure;
    }
    release = got.release;
    // What a killed run left behind is ours to clean up now that we hold the lock: commands
    // still running in their own process groups, and half-written staged outputs.
    const reaped = new ProcessRegistry(join(stateDir, 'procs')).reapOrphans();
    if (reaped) io.stderr(`note: stopped ${reaped} command${reaped === 1 ? '' : 's'} left running by an earlier pipe that was killed\n`);
    await rm(join(graph.workspace, STAGING_DIR), { recursive: true, force: true });
    for (const f of [join(graph.workspace, LOCK_FILE), join(stateDir, 'stat-cache.json'), join(stateDir, 'durations.json')]) {
      await removeStaleTemporaries(f);
    }
  }
  try {
    return await reproLocked(io, a, graph, selection.value);
  } finally {
    await release?.();
  }
}

function recordDurations(d: Durations): Logger {
  return {
    event: (e) => {
      if (e.type === 'stage-done') d.record(e.stage, e.durationMs);
    },
    close: () => {},
  };
}

function describeOwner(o: LockOwner): string {
  return `pipe (pid ${o.pid}${o.host ? ` on ${o.host}` : ''}, started ${o.startedAt}: ${o.command})`;
}

async function reproLocked(io: CliIO, a: ReproArgs, graph: StageGraph, selected: string[]): Promise<number> {
  const lockPath = join(graph.workspace, LOCK_FILE);
  const shownLock = relative(io.cwd, lockPath) || LOCK_FILE;
  let entries: LockEntries;
  let existingText: string | undefined;
  const marks = new RunningMarks(join(graph.workspace, STATE_DIR, 'running'));
  const read = await readLock(lockPath, shownLock, join(graph.workspace, STATE_DIR, 'lock-cache.json'));
  if (read.ok) {
    entries = read.value;
    existingText = await readFile(lockPath, 'utf8').catch(() => undefined);
  } else if (a.force) {
    // --force is the documented way out of a corrupt lock file: rebuild it from scratch.
    io.stderr(`warning: ${read.diagnostics[0]!.message}; --force rebuilds it\n`);
    entries = new Map();
  } else {
    return reportDiagnostics(io, read.diagnostics);
  }
  const running = dropRunning(entries, marks);

  const cache = new StatCache(join(graph.workspace, STATE_DIR, 'stat-cache.json'));
  const hasher = new PathHasher({ workspace: graph.workspace, cache });
  try {
    if (a.dry) {
      const status = await computeStatus({ graph, selected, lock: entries, interrupted: running, hasher, force: a.force });
      if (a.json) io.stdout(JSON.stringify(statusJson(status)) + '\n');
      else io.stdout(renderStatus(status, 'dry'));
      return EXIT.ok;
    }
    const durations = new Durations(join(graph.workspace, STATE_DIR, 'durations.json'));
    let view: Logger;
    if (a.json) view = createNdjsonLogger(io.stdout);
    else if (io.isTTY && !io.env.CI) {
      const live = createLiveLogger({ write: io.stdout, columns: io.columns, expected: (s) => durations.expected(s), jobs: a.jobs });
      live.plan(selected);
      view = live;
    } else view = createPlainLogger({ write: io.stdout, color: io.isTTY && !io.env.NO_COLOR });
    const logger = fanOut([view, recordDurations(durations)]);
    const lock = new LockWriter(lockPath, entries, existingText, marks, running);
    // Entries of stage items that no longer exist in pipeline.yaml describe nothing; drop them.
    lock.prune((name) => graph.items.has(name));
    const summary = await execute({
      graph,
      selected,
      runCache: a.runCache ? new RunCache(new ObjectStore(cacheDirOf(io, graph))) : undefined,
      registry: new ProcessRegistry(join(graph.workspace, STATE_DIR, 'procs')),
      lock,
      hasher,
      logger,
      jobs: a.jobs,
      force: a.force,
      keepGoing: a.keepGoing,
      signal: io.signal,
      expected: (s) => durations.expected(s),
    });
    await lock.flush();
    logger.close();
    await durations.save();
    if (summary.interrupted) return EXIT.interrupted;
    return summary.ok ? EXIT.ok : EXIT.failure;
  } finally {
    await cache.save();
  }
}
