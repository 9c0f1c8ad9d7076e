// A benchmark workspace: a directory under the work dir holding a pipeline.yaml, run with the
// real CLI. The analyzed stage graph (the engine's own loadPipeline) tells the benchmark which
// outputs belong to which stage, so nothing here repeats pipeline.yaml's paths.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPipeline } from '../../engine/cli/workspace.js';
import type { StageGraph } from '../../engine/graph/model.js';
import { remove } from './fsx.js';

export interface BenchWorkspace {
  readonly dir: string;
  readonly graph: StageGraph;
  /** Stage (fan-out group) names in the order their first items run. */
  readonly groups: readonly string[];
  /** Declared outputs of every item of a group, workspace-relative. */
  outsOf(group: string): string[];
  /** Absolute path of a workspace-relative path. */
  path(rel: string): string;
}

export interface WorkspaceOptions {
  readonly dir: string;
  readonly pipelineText: string;
  /**
   * Delete the whole directory first, so the run starts from nothing: outputs of an earlier run
   * left in place would be hashed by the first command and distort its timing.
   */
  readonly fresh: boolean;
  /** PIPE_PLUGINS for analysis, when the pipeline uses benchmark-only built-ins. */
  readonly env?: NodeJS.ProcessEnv;
}

export async function openWorkspace(o: WorkspaceOptions): Promise<BenchWorkspace> {
  if (o.fresh) remove(o.dir);
  mkdirSync(o.dir, { recursive: true });
  const file = join(o.dir, 'pipeline.yaml');
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  // Rewritten only when it differs, so a reused workspace keeps its file untouched.
  if (current !== o.pipelineText) writeFileSync(file, o.pipelineText);
  const loaded = await loadPipeline({
    cwd: o.dir,
    env: o.env ?? {},
    shipped: async () => (await import('../../stages/index.js')).builtins,
  });
  if (!loaded.ok) throw new Error(`${file} does not analyze: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  const graph = loaded.value;
  const groups: string[] = [];
  for (const name of graph.order) {
    const group = graph.items.get(name)!.group;
    if (!groups.includes(group)) groups.push(group);
  }
  return {
    dir: o.dir,
    graph,
    groups,
    outsOf: (group) => (graph.groups.get(group) ?? []).flatMap((n) => [...graph.items.get(n)!.outs]),
    path: (rel) => join(o.dir, rel),
  };
}
