// `pipe gc [--dry]`: remove cache objects that data.lock no longer references.
import { join, relative } from 'node:path';
import { loadPipeline, LOCK_FILE, STATE_DIR } from './workspace.js';
import { EXIT, reportDiagnostics, type CliIO } from './io.js';
import { readLock } from '../lock/lockfile.js';
import { ObjectStore } from '../cache/store.js';
import { collectGarbage } from '../cache/gc.js';
import { acquireRunLock } from '../exec/run-lock.js';
import { formatCount } from '../log/format.js';
import { cacheDirOf } from './repro.js';

export async function gc(io: CliIO, a: { dry: boolean }): Promise<number> {
  const loaded = await loadPipeline({ cwd: io.cwd, shipped: io.shipped, env: io.env });
  if (!loaded.ok) return reportDiagnostics(io, loaded.diagnostics);
  const graph = loaded.value;
  const lockPath = join(graph.workspace, LOCK_FILE);
  // Not while a run of this workspace is storing outputs.
  const got = await acquireRunLock({
    stateDir: join(graph.workspace, STATE_DIR),
    wait: true,
    command: 'pipe gc',
    signal: io.signal,
    onWait: () => io.stderr('waiting for the running pipe repro to finish\n'),
  });
  if (!got.ok) return EXIT.failure;
  try {
    const lock = await readLock(lockPath, relative(io.cwd, lockPath) || LOCK_FILE);
    if (!lock.ok) return reportDiagnostics(io, lock.diagnostics);
    const dir = cacheDirOf(io, graph);
    const r = await collectGarbage(new ObjectStore(dir), lock.value, a.dry);
    const verb = a.dry ? 'would remove' : 'removed';
    io.stdout(
      `${verb} ${r.removedObjects} object${r.removedObjects === 1 ? '' : 's'} and ${r.removedRuns} run record${r.removedRuns === 1 ? '' : 's'}; ` +
        `${a.dry ? 'would free' : 'freed'} ${formatCount(r.freedBytes, 'bytes')}; kept ${r.keptObjects} object${r.keptObjects === 1 ? '' : 's'} referenced by ${LOCK_FILE}\n`,
    );
    if (r.removedTemporaries) io.stdout(`${verb} ${r.removedTemporaries} temporar${r.removedTemporaries === 1 ? 'y' : 'ies'} left by runs that were killed\n`);
    if (io.env.PIPE_CACHE_DIR) {
      io.stdout(`note: ${dir} may be shared; only this workspace's ${LOCK_FILE} was consulted\n`);
    }
    return EXIT.ok;
  } finally {
    await got.release();
  }
}
