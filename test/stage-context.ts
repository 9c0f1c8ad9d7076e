// An in-process BuiltinContext for testing a built-in stage's run() directly, without the CLI:
// outputs map to paths under a temporary directory, progress and log lines are collected.
import { join } from 'node:path';
import { StageError, type BuiltinContext, type Progress } from '../engine/builtin/types.js';

export interface TestContext<A> extends BuiltinContext<A> {
  readonly progressEvents: Progress[];
  readonly lines: string[];
}

export function stageContext<A>(o: {
  workspace: string;
  args: A;
  deps?: readonly string[];
  outs?: readonly string[];
  stage?: string;
  signal?: AbortSignal;
  inputHashes?: Record<string, string>;
}): TestContext<A> {
  const outs = Object.fromEntries((o.outs ?? []).map((p) => [p, join(o.workspace, p)]));
  const progressEvents: Progress[] = [];
  const lines: string[] = [];
  return {
    stage: o.stage ?? 'test-stage',
    args: o.args,
    workspace: o.workspace,
    deps: (o.deps ?? []).map((d) => join(o.workspace, d)),
    inputHashes: o.inputHashes ?? {},
    outs,
    output(declared: string) {
      const p = outs[declared];
      if (p === undefined) throw new StageError(`'${declared}' is not a declared output`);
      return p;
    },
    progress: (p) => progressEvents.push(p),
    log: (l) => lines.push(l),
    signal: o.signal ?? new AbortController().signal,
    progressEvents,
    lines,
  };
}
