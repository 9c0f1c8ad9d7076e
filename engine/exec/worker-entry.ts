// Runs one threaded built-in inside a worker thread. The parent sends nothing but an 'abort'
// message; this side reports progress, log lines and the outcome as messages, so the built-in
// sees the same BuiltinContext as in-process.
import { parentPort, workerData } from 'node:worker_threads';
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

export type WorkerMessage =
  | { readonly type: 'progress'; readonly done: number; readonly total?: number; readonly unit?: string; readonly message?: string }
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'done' }
  | { readonly type: 'stage-error'; readonly message: string; readonly hint?: string }
  | { readonly type: 'crash'; readonly stack: string };

const input = workerData as WorkerInput;
const port = parentPort!;
const controller = new AbortController();
port.on('message', (m: unknown) => {
  if (m === 'abort') controller.abort(new Error('interrupted'));
});
const send = (m: WorkerMessage) => port.postMessage(m);

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
  if (isStageError(e)) {
    send({ type: 'stage-error', message: (e as Error).message, hint: (e as StageError).hint });
  } else {
    send({ type: 'crash', stack: (e as Error)?.stack ?? String(e) });
  }
}
