// The parent side of threaded built-ins: each running item gets a worker thread, so CPU-heavy
// items of different sessions really run on different cores. A worker whose item finished goes
// back to a small pool and runs a later threaded item: starting a worker and loading a built-in's
// modules and wasm (h5wasm: a 4 MB module) cost 0.1-0.2 s of CPU per item. A worker whose item
// failed, crashed or was interrupted is never reused. Idle workers do not
// keep the process alive. Messages become the same events an in-process built-in produces; an
// interrupt is forwarded, and a worker that does not stop in time is terminated.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ItemOutcome, RunItemOptions } from './run-item.js';
import type { WorkerInput, WorkerMessage, WorkerRequest } from './worker-entry.js';

const ENTRY = new URL('./worker-entry.js', import.meta.url);
/** Idle workers kept; more only on machines with more cores. */
const KEEP = Math.max(2, Math.min(8, availableParallelism()));
const idle: Worker[] = [];

function take(): Worker {
  const w = idle.pop() ?? new Worker(ENTRY);
  w.ref();
  return w;
}

function giveBack(w: Worker): void {
  w.removeAllListeners('message');
  w.removeAllListeners('error');
  w.removeAllListeners('exit');
  if (idle.length >= KEEP) {
    void w.terminate();
    return;
  }
  // An idle worker that dies (it should not) just leaves the pool.
  w.once('exit', () => {
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  });
  w.unref();
  idle.push(w);
}

export function runInWorker(input: WorkerInput, o: RunItemOptions): Promise<ItemOutcome> {
  const { item, logger, signal } = o;
  const action = item.action as { uses: string; version: string };
  return new Promise((resolve) => {
    const worker = take();
    const request = (r: WorkerRequest) => worker.postMessage(r);
    let settled = false;
    const finish = (r: ItemOutcome, reusable: boolean) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (reusable && !signal.aborted) giveBack(worker);
      else {
        worker.removeAllListeners();
        void worker.terminate();
      }
      resolve(r);
    };
    const onAbort = () => {
      request({ type: 'abort' });
      setTimeout(() => finish({ ok: false, error: 'interrupted' }, false), 5000).unref();
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
          return finish({ ok: true }, true);
        case 'stage-error':
          // Not reused: a built-in that stopped half-way may have left files open in its wasm heap.
          return finish(signal.aborted ? { ok: false, error: 'interrupted' } : { ok: false, error: m.hint ? `${m.message}\n  hint: ${m.hint}` : m.message }, false);
        case 'crash':
          return finish(signal.aborted ? { ok: false, error: 'interrupted' } : { ok: false, error: `internal error in built-in '${action.uses}' ${action.version}: ${m.stack}` }, false);
        default: {
          const never: never = m;
          return never;
        }
      }
    });
    worker.on('error', (e) => finish({ ok: false, error: `internal error in built-in '${action.uses}' ${action.version}: ${e.stack ?? String(e)}` }, false));
    worker.on('exit', (code) => finish({ ok: false, error: `built-in '${action.uses}' worker exited (code ${code}) without finishing` }, false));
    request({ type: 'run', input });
  });
}
