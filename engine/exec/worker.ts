// The parent side of a threaded built-in: a worker thread per running item, so CPU-heavy items
// of different sessions really run on different cores. Messages become the same events an
// in-process built-in produces; an interrupt is forwarded, and a worker that does not stop in
// time is terminated.
import { Worker } from 'node:worker_threads';
import type { ItemOutcome, RunItemOptions } from './run-item.js';
import type { WorkerInput, WorkerMessage } from './worker-entry.js';

const ENTRY = new URL('./worker-entry.js', import.meta.url);

export function runInWorker(input: WorkerInput, o: RunItemOptions): Promise<ItemOutcome> {
  const { item, logger, signal } = o;
  const action = item.action as { uses: string; version: string };
  return new Promise((resolve) => {
    const worker = new Worker(ENTRY, { workerData: input });
    let settled = false;
    const finish = (r: ItemOutcome) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      resolve(r);
    };
    const onAbort = () => {
      worker.postMessage('abort');
      setTimeout(() => finish({ ok: false, error: 'interrupted' }), 5000).unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'progress': {
          const { type: _t, ...p } = m;
          return logger.event({ type: 'progress', stage: item.name, ...p });
        }
        case 'log':
          return logger.event({ type: 'stage-output', stage: item.name, stream: 'stdout', line: m.line });
        case 'done':
          return finish({ ok: true });
        case 'stage-error':
          return finish(signal.aborted ? { ok: false, error: 'interrupted' } : { ok: false, error: m.hint ? `${m.message}\n  hint: ${m.hint}` : m.message });
        case 'crash':
          return finish(signal.aborted ? { ok: false, error: 'interrupted' } : { ok: false, error: `internal error in built-in '${action.uses}' ${action.version}: ${m.stack}` });
        default: {
          const never: never = m;
          return never;
        }
      }
    });
    worker.on('error', (e) => finish({ ok: false, error: `internal error in built-in '${action.uses}' ${action.version}: ${e.stack ?? String(e)}` }));
    worker.on('exit', (code) => finish({ ok: false, error: `built-in '${action.uses}' worker exited (code ${code}) without finishing` }));
  });
}
