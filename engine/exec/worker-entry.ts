// Runs threaded built-ins inside a worker thread, one item at a time, for as long as the parent
// keeps the worker: built-ins' modules (and the wasm libraries they load, such as h5wasm) stay
// loaded from one item to the next. The parent sends `run` and `abort`; this side reports
// progress, log lines and the outcome as messages, so the built-in sees the same BuiltinContext
// as in-process.
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { isStageError, type BuiltinContext, type BuiltinImplementation, StageError } from '../builtin/types.js';

export interface WorkerInput {
  readonly module: string;
  readonly stage: string;
  readonly args: Record<string, unknown>;
  readonly workspace: string;
  readonly deps: readonly string[];
  readonly inputHashes: Record<string, string>;
  readonly outs: Record<string, string>;
}

export type WorkerRequest = { readonly type: 'run'; readonly input: WorkerInput } | { readonly type: 'abort' };

export type WorkerMessage =
  | { readonly type: 'progress'; readonly done: number; readonly total?: number; readonly unit?: string; readonly message?: string }
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'done' }
  | { readonly type: 'stage-error'; readonly message: string; readonly hint?: string }
  | { readonly type: 'crash'; readonly stack: string };

const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);
let current: AbortController | undefined;

async function runOne(input: WorkerInput): Promise<void> {
  const controller = new AbortController();
  current = controller;
  const ctx: BuiltinContext = {
    stage: input.stage,
    args: input.args,
    workspace: input.workspace,
    deps: input.deps,
    inputHashes: input.inputHashes,
    outs: input.outs,
    output(declared) {
      const p = input.outs[declared];
      if (p === undefined) throw new StageError(`'${declared}' is not a declared output of ${input.stage}`, "add it to the stage's outs");
      return p;
    },
    progress: (p) => send({ type: 'progress', ...p }),
    log: (line) => send({ type: 'log', line }),
    signal: controller.signal,
  };
  try {
    const url = input.module.startsWith('file:') ? input.module : pathToFileURL(input.module).href;
    const mod = (await import(url)) as { default: BuiltinImplementation };
    await mod.default.run(ctx);
    send({ type: 'done' });
  } catch (e) {
    if (isStageError(e)) send({ type: 'stage-error', message: (e as Error).message, hint: (e as StageError).hint });
    else send({ type: 'crash', stack: (e as Error)?.stack ?? String(e) });
  } finally {
    current = undefined;
  }
}

port.on('message', (m: WorkerRequest) => {
  if (m.type === 'abort') current?.abort(new Error('interrupted'));
  else void runOne(m.input);
});
