// What every command does first: find the workspace (the nearest directory upwards holding
// pipeline.yaml), compose the built-in registry, and analyze the pipeline.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic, Result } from '../diagnostics.js';
import { fail, ok } from '../diagnostics.js';
import { analyze } from '../config/analyze.js';
import { createRegistry, loadPlugins, PluginError } from '../builtin/registry.js';
import type { BuiltinDescriptor } from '../builtin/types.js';
import type { StageGraph } from '../graph/model.js';
import { existsIn } from '../util/fs.js';

export const PIPELINE_FILE = 'pipeline.yaml';
export const LOCK_FILE = 'data.lock';
export const STATE_DIR = '.pipe';

export function findWorkspace(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, PIPELINE_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface LoadOptions {
  readonly cwd: string;
  readonly overrides?: readonly string[];
  readonly shipped: () => Promise<readonly BuiltinDescriptor[]>;
  readonly env: NodeJS.ProcessEnv;
}

export async function loadPipeline(o: LoadOptions): Promise<Result<StageGraph>> {
  const workspace = findWorkspace(o.cwd);
  if (!workspace) {
    return fail({
      message: `no ${PIPELINE_FILE} in ${o.cwd} or any directory above it`,
      hint: `run pipe in a workspace, or create ${PIPELINE_FILE} (see the README for the format)`,
    });
  }
  let plugins: BuiltinDescriptor[];
  try {
    plugins = await loadPlugins(o.env.PIPE_PLUGINS, o.cwd);
  } catch (e) {
    const d: Diagnostic = {
      message: `cannot load PIPE_PLUGINS: ${e instanceof PluginError ? e.message : (e as Error).message}`,
      hint: 'PIPE_PLUGINS lists ES module files exporting `builtins`, separated by ":"',
    };
    return fail(d);
  }
  const pipelineFile = join(workspace, PIPELINE_FILE);
  const text = await readFile(pipelineFile, 'utf8');
  const registry = createRegistry([...(await o.shipped()), ...plugins]);
  return analyze({ workspace, pipelineFile, text, overrides: o.overrides, registry, exists: existsIn(workspace), displayFrom: o.cwd });
}

export { ok };
