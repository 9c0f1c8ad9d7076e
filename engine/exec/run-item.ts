// Running one stale stage item: clear its declared outputs (so nothing from an earlier run is
// mistaken for this run's result), run the command(s) or the built-in, then check that every
// declared output exists. Expected failures come back as values; only bugs throw.
import { mkdir, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { runInWorker } from './worker.js';
import { dirname, join } from 'node:path';
import type { StageItem } from '../graph/model.js';
import type { Logger } from '../events.js';
import { isStageError, StageError, type BuiltinContext } from '../builtin/types.js';
import { runCommand } from './command.js';
import type { ProcessRegistry } from './orphans.js';
import { pathExists } from '../util/fs.js';

export type ItemOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: string; readonly exitCode?: number; readonly stderrTail?: readonly string[] };

export interface RunItemOptions {
  readonly item: StageItem;
  readonly workspace: string;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
  readonly registry?: ProcessRegistry;
  /** See BuiltinContext.inputHashes. */
  readonly inputHashes?: Readonly<Record<string, string>>;
}

export const STAGING_DIR = '.pipe/staging';

export async function runItem(o: RunItemOptions): Promise<ItemOutcome> {
  const { item, workspace } = o;
  const abs = (p: string) => join(workspace, p);
  // Old outputs go first, so nothing from an earlier run is mistaken for this run's result.
  for (const out of item.outs) {
    await rm(abs(out), { recursive: true, force: true });
    await mkdir(dirname(abs(out)), { recursive: true });
  }
  const outcome = await runAction(o);
  if (!outcome.ok) return outcome;
  const missing: string[] = [];
  for (const out of item.outs) if (!(await pathExists(abs(out)))) missing.push(out);
  if (missing.length) {
    return { ok: false, error: `finished but did not create declared output${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  }
  return outcome;
}

async function runInProcess(outs: Record<string, string>, o: RunItemOptions): Promise<ItemOutcome> {
  const { item, workspace, logger, signal } = o;
  const action = item.action as Extract<StageItem['action'], { kind: 'builtin' }>;
  const ctx: BuiltinContext = {
    stage: item.name,
    args: action.args,
    workspace,
    deps: item.deps.map((d) => join(workspace, d)),
    inputHashes: o.inputHashes ?? {},
    outs,
    output(declared: string) {
      const p = outs[declared];
      if (p === undefined) throw new StageError(`built-in ${action.uses} wrote to '${declared}', which is not a declared output of ${item.name}`, `add it to the stage's outs`);
      return p;
    },
    progress: (p) => logger.event({ type: 'progress', stage: item.name, ...p }),
    log: (line) => logger.event({ type: 'stage-output', stage: item.name, stream: 'stdout', line }),
    signal,
  };
  try {
    const impl = await action.descriptor.load();
    await impl.run(ctx);
    return { ok: true };
  } catch (e) {
    if (signal.aborted) return { ok: false, error: 'interrupted' };
    if (isStageError(e)) return { ok: false, error: e.hint ? `${e.message}\n  hint: ${e.hint}` : e.message };
    const err = e as Error;
    return { ok: false, error: `internal error in built-in '${action.uses}' ${action.version}: ${err?.stack ?? String(e)}` };
  }
}

async function runAction(o: RunItemOptions): Promise<ItemOutcome> {
  const { item, workspace, logger, signal } = o;
  const action = item.action;
  switch (action.kind) {
    case 'cmd': {
      const env = {
        ...(o.env ?? process.env),
        PIPE_STAGE: item.name,
        PIPE_WORKSPACE: workspace,
        PIPE_PARAMS: JSON.stringify(Object.fromEntries(item.params)),
      };
      for (const command of action.commands) {
        const r = await runCommand({
          command,
          cwd: workspace,
          env,
          signal,
          registry: o.registry,
          onLine: (stream, line) => logger.event({ type: 'stage-output', stage: item.name, stream, line }),
        });
        if (signal.aborted) return { ok: false, error: 'interrupted', stderrTail: r.stderrTail };
        if (r.exitCode !== 0) {
          const how = r.signal ? `was killed by ${r.signal}` : `exited with status ${r.exitCode}`;
          const which = action.commands.length > 1 ? ` (command ${action.commands.indexOf(command) + 1} of ${action.commands.length})` : '';
          return { ok: false, error: `command ${how}${which}`, exitCode: r.exitCode ?? undefined, stderrTail: r.stderrTail };
        }
      }
      return { ok: true };
    }
    case 'builtin': {
      // Outputs are written under .pipe/staging and moved to their final names only after the
      // built-in succeeded: an interrupted run never leaves a half-written file under a name a
      // person or a later stage would trust.
      const staging = join(workspace, STAGING_DIR, item.name.replace(/[^A-Za-z0-9_.@-]/g, '_'));
      await rm(staging, { recursive: true, force: true });
      const outs = Object.fromEntries(item.outs.map((p) => [p, join(staging, p)]));
      for (const p of Object.values(outs)) await mkdir(dirname(p), { recursive: true });
      const outcome = action.descriptor.threaded && action.descriptor.module
        ? await runInWorker({ module: action.descriptor.module, stage: item.name, args: action.args as Record<string, unknown>, workspace, deps: item.deps.map((d) => join(workspace, d)), inputHashes: o.inputHashes ?? {}, outs }, o)
        : await runInProcess(outs, o);
      if (outcome.ok) {
        const missing = item.outs.filter((p) => !existsSync(outs[p]!));
        if (missing.length) {
          await rm(staging, { recursive: true, force: true });
          return { ok: false, error: `finished but did not create declared output${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
        }
        for (const p of item.outs) {
          await rm(join(workspace, p), { recursive: true, force: true });
          await mkdir(dirname(join(workspace, p)), { recursive: true });
          await rename(outs[p]!, join(workspace, p));
        }
      }
      await rm(staging, { recursive: true, force: true });
      return outcome;
    }
    default: {
      const never: never = action;
      return never;
    }
  }
}
