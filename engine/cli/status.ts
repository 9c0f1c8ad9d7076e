// `pipe status [TARGET...] [--json]`: every stale stage and why. Exit 0 when everything is
// fresh, 1 when something is stale, so CI can gate on it.
import { join, relative } from 'node:path';
import { loadPipeline, LOCK_FILE, STATE_DIR } from './workspace.js';
import { EXIT, reportDiagnostics, type CliIO } from './io.js';
import { select } from '../plan/select.js';
import { dropRunning, readLock, RunningMarks } from '../lock/lockfile.js';
import { StatCache } from '../hash/stat-cache.js';
import { PathHasher } from '../hash/tree.js';
import { computeStatus } from '../plan/status.js';
import { renderStatus, statusJson } from './status-view.js';

export async function status(io: CliIO, a: { targets: readonly string[]; overrides: readonly string[]; json: boolean }): Promise<number> {
  const loaded = await loadPipeline({ cwd: io.cwd, overrides: a.overrides, shipped: io.shipped, env: io.env });
  if (!loaded.ok) return reportDiagnostics(io, loaded.diagnostics);
  const graph = loaded.value;
  const selection = select(graph, { targets: a.targets });
  if (!selection.ok) return reportDiagnostics(io, selection.diagnostics);
  const lockPath = join(graph.workspace, LOCK_FILE);
  const lock = await readLock(lockPath, relative(io.cwd, lockPath) || LOCK_FILE, join(graph.workspace, STATE_DIR, 'lock-cache.json'));
  if (!lock.ok) return reportDiagnostics(io, lock.diagnostics);
  const cache = new StatCache(join(graph.workspace, STATE_DIR, 'stat-cache.json'));
  const hasher = new PathHasher({ workspace: graph.workspace, cache });
  const running = dropRunning(lock.value, new RunningMarks(join(graph.workspace, STATE_DIR, 'running')));
  const result = await computeStatus({ graph, selected: selection.value, lock: lock.value, interrupted: running, hasher });
  await cache.save();
  if (a.json) io.stdout(JSON.stringify(statusJson(result)) + '\n');
  else io.stdout(renderStatus(result, 'status'));
  return result.some((s) => s.verdict !== 'fresh') ? EXIT.failure : EXIT.ok;
}
