// Analysis: pipeline.yaml text → a typed, validated StageGraph, or every user error found, each
// with its location. Execution never sees an invalid pipeline (style.md §1).
import { DirectedGraph } from 'graphology';
import { topologicalGenerations } from 'graphology-dag';
import { relative } from 'node:path';
import type { Diagnostic, Result } from '../diagnostics.js';
import { fail, ok } from '../diagnostics.js';
import type { BuiltinRegistry } from '../builtin/registry.js';
import type { Action, EdgeAttributes, StageGraph, StageItem } from '../graph/model.js';
import { normalizeDep, normalizeOut, OutputIndex } from '../graph/paths.js';
import { findCycles } from '../graph/cycles.js';
import { readPackageJson } from '../util/package.js';
import { expandStage } from './expand.js';
import { interpolate, interpolateDeep, type Scope } from './interpolate.js';
import { applyOverrides, lookupParam, type Params } from './params.js';
import { parseYamlSource, type PathSegment, type YamlSource } from './source.js';
import { validateAgainstSchema } from './validate.js';

export interface AnalyzeOptions {
  /** Absolute path of the workspace root. */
  readonly workspace: string;
  /** Absolute path of pipeline.yaml. */
  readonly pipelineFile: string;
  readonly text: string;
  /** `-S` overrides, `params.a.b=value`. */
  readonly overrides?: readonly string[];
  readonly registry: BuiltinRegistry;
  /** Whether a workspace-relative (or absolute) path exists; injected for tests and speed. */
  readonly exists: (path: string) => boolean;
  /** Directory paths are shown relative to (default: the process cwd). */
  readonly displayFrom?: string;
}

interface RawStage {
  desc?: string;
  cmd?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  deps?: string[];
  outs?: string[];
  params?: string[];
  always_changed?: boolean;
  foreach?: unknown;
  matrix?: unknown;
}

let pipelineSchema: object | undefined;

export function analyze(opts: AnalyzeOptions): Result<StageGraph> {
  const shown = relative(opts.displayFrom ?? process.cwd(), opts.pipelineFile) || opts.pipelineFile;
  const parsed = parseYamlSource(shown, opts.text);
  if (!parsed.ok) return parsed;
  const source = parsed.value;
  if (source.data === null || typeof source.data !== 'object' || Array.isArray(source.data)) {
    return fail({ message: 'pipeline.yaml must be a mapping with a `stages:` key', location: source.locate([]) });
  }
  pipelineSchema ??= readPackageJson('schemas/pipeline.schema.json') as object;
  const schemaErrors = validateAgainstSchema({ schema: pipelineSchema, data: source.data, source });
  if (schemaErrors.length) return fail(...schemaErrors);

  const doc = source.data as { params?: Params; cache?: { dir?: string }; stages: Record<string, RawStage> };
  const withOverrides = applyOverrides(doc.params ?? {}, opts.overrides ?? []);
  if (!withOverrides.ok) return withOverrides;
  const params = withOverrides.value;

  const diagnostics: Diagnostic[] = [];
  const items = new Map<string, StageItem>();
  const groups = new Map<string, string[]>();
  for (const group of Object.keys(doc.stages).sort()) {
    const raw = doc.stages[group]!;
    const names: string[] = [];
    groups.set(group, names);
    for (const expanded of expandStage(group, raw, params, source, diagnostics)) {
      const name = expanded.key === undefined ? group : `${group}@${expanded.key}`;
      const item = buildItem({ group, name, key: expanded.key, raw, scope: expanded.scope, params, source, registry: opts.registry, diagnostics });
      if (!item) continue;
      if (items.has(name)) {
        diagnostics.push({
          message: `stage '${group}' has two items named '${name}'`,
          location: source.locate(['stages', group, raw.foreach !== undefined ? 'foreach' : 'matrix']),
          hint: 'fan-out values must be distinct',
        });
        continue;
      }
      items.set(name, item);
      names.push(name);
    }
  }
  if (diagnostics.length) return fail(...diagnostics);

  const index = new OutputIndex();
  const sortedNames = [...items.keys()].sort();
  for (const name of sortedNames) {
    const item = items.get(name)!;
    for (const out of item.outs) {
      const clash = index.add(out, name);
      if (clash) {
        const other = items.get(clash.stage)!;
        diagnostics.push({
          message:
            clash.out === out
              ? `output '${out}' is declared by both '${clash.stage}' and '${name}'`
              : `output '${out}' of '${name}' overlaps output '${clash.out}' of '${clash.stage}'`,
          location: outLocation(source, item, out),
          related: [{ message: `'${clash.stage}' declares '${clash.out}' here`, location: outLocation(source, other, clash.out) }],
          hint: 'each file or directory must be written by exactly one stage',
        });
      }
    }
  }
  if (diagnostics.length) return fail(...diagnostics);

  const graph = new DirectedGraph<Record<string, never>, EdgeAttributes>({ multi: false, allowSelfLoops: false });
  for (const name of sortedNames) graph.addNode(name);
  for (const name of sortedNames) {
    const item = items.get(name)!;
    const via = new Map<string, { dep: string; out: string }[]>();
    item.deps.forEach((dep, i) => {
      const producers = index.producersOf(dep);
      if (producers.length === 0) {
        if (!opts.exists(dep)) {
          diagnostics.push({
            message: `dependency '${dep}' of stage '${name}' does not exist and no stage produces it`,
            location: source.locate(['stages', item.group, 'deps', i]),
            hint: `create '${dep}', fix the path, or add a stage whose outs include it`,
          });
        }
        return;
      }
      for (const p of producers) {
        if (p.stage === name) {
          diagnostics.push({
            message: `stage '${name}' depends on its own output '${p.out}'`,
            location: source.locate(['stages', item.group, 'deps', i]),
          });
          continue;
        }
        let list = via.get(p.stage);
        if (!list) via.set(p.stage, (list = []));
        list.push({ dep, out: p.out });
      }
    });
    for (const [producer, list] of [...via].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      graph.addDirectedEdge(producer, name, { via: list });
    }
  }
  if (diagnostics.length) return fail(...diagnostics);

  // Generations, each sorted by name: the order never depends on declaration order. The sort
  // fails on a cycle, and only then is the cycle looked for, to be named.
  let order: string[];
  try {
    order = topologicalGenerations(graph).flatMap((gen) => [...gen].sort());
  } catch {
    const cycles = findCycles(graph);
    for (const cycle of cycles) {
      const first = items.get(cycle[0]!)!;
      const edges = cycle.map((from, i) => {
        const to = cycle[(i + 1) % cycle.length]!;
        const via = graph.getDirectedEdgeAttributes(from, to).via[0]!;
        return { from, to, via };
      });
      diagnostics.push({
        message: `dependency cycle: ${[...cycle, cycle[0]].join(' → ')}`,
        location: first.location(),
        related: edges.map((e) => ({
          message: `'${e.to}' depends on '${e.via.dep}', an output of '${e.from}'`,
          location: items.get(e.to)!.location(),
        })),
        hint: 'a stage cannot depend, directly or through other stages, on its own outputs',
      });
    }
    if (diagnostics.length) return fail(...diagnostics);
    throw new Error('the stage graph is not acyclic, but no cycle was found');
  }

  return ok({ workspace: opts.workspace, pipelineFile: opts.pipelineFile, items, groups, graph, order, cacheDir: doc.cache?.dir });
}

function outLocation(source: YamlSource, item: StageItem, out: string) {
  return source.locate(['stages', item.group, 'outs', item.outs.indexOf(out)]);
}

interface BuildItemOptions {
  group: string;
  name: string;
  key: string | undefined;
  raw: RawStage;
  scope: Scope;
  params: Params;
  source: YamlSource;
  registry: BuiltinRegistry;
  diagnostics: Diagnostic[];
}

function buildItem(o: BuildItemOptions): StageItem | undefined {
  const { raw, source, diagnostics, group } = o;
  const here: PathSegment[] = ['stages', group];
  const used = new Map<string, unknown>();
  const before = diagnostics.length;
  const report = (path: PathSegment[], message: string, hint?: string) => {
    const where = o.key === undefined ? '' : ` (item ${o.name})`;
    // Point at the offending reference itself when the message names one.
    const ref = /\$\{[^}]*\}/.exec(message)?.[0];
    const location = ref ? source.locateText(path, ref) : source.locate(path);
    diagnostics.push({ message: `${message}${where}`, location, hint });
  };
  const text = (value: string, path: PathSegment[], mode: 'text' | 'shell'): string => {
    const r = interpolate(value, o.scope, mode);
    if (!r.ok) {
      report(path, r.error, r.hint);
      return value;
    }
    for (const [k, v] of r.params) used.set(k, v);
    return r.value as string;
  };

  let action: Action | undefined;
  if (raw.cmd !== undefined && raw.uses !== undefined) {
    report([...here, 'uses'], `stage '${group}' has both cmd and uses`, 'a stage is either a shell command (cmd) or a built-in (uses)');
  } else if (raw.cmd !== undefined) {
    if (raw.with !== undefined) report([...here, 'with'], `stage '${group}' has 'with' but no 'uses'`, "'with' gives the arguments of a built-in stage");
    const list = Array.isArray(raw.cmd) ? raw.cmd : [raw.cmd];
    action = { kind: 'cmd', templates: list, commands: list.map((c, i) => text(c, Array.isArray(raw.cmd) ? [...here, 'cmd', i] : [...here, 'cmd'], 'shell')) };
  } else if (raw.uses !== undefined) {
    const descriptor = o.registry.get(raw.uses);
    if (!descriptor) {
      report([...here, 'uses'], `unknown built-in stage '${raw.uses}'`, `available built-ins: ${o.registry.names().join(', ') || '(none)'}`);
    } else {
      const resolved = interpolateDeep(raw.with ?? {}, o.scope, (path, error, hint) => report([...here, 'with', ...path], error, hint));
      for (const [k, v] of resolved.params) used.set(k, v);
      if (diagnostics.length === before) {
        const errors = validateAgainstSchema({
          schema: descriptor.schema,
          data: resolved.value,
          source,
          basePath: [...here, 'with'],
          subject: `arguments of built-in '${descriptor.name}'${o.key === undefined ? '' : ` (item ${o.name})`}`,
        });
        diagnostics.push(...errors);
      }
      action = { kind: 'builtin', uses: descriptor.name, version: descriptor.version, args: resolved.value as Record<string, unknown>, template: raw.with ?? {}, descriptor };
    }
  } else {
    diagnostics.push({
      message: `stage '${group}' has neither cmd nor uses`,
      location: source.locate(here, 'key'),
      hint: 'add `cmd: <shell command>` or `uses: <built-in>`',
    });
  }

  const deps = (raw.deps ?? []).map((d, i) => normalizeDep(text(d, [...here, 'deps', i], 'text')));
  const outs: string[] = [];
  (raw.outs ?? []).forEach((d, i) => {
    const r = normalizeOut(text(d, [...here, 'outs', i], 'text'));
    if (r.ok) outs.push(r.path);
    else report([...here, 'outs', i], r.error, 'write outputs to a path relative to the directory of pipeline.yaml');
  });
  (raw.params ?? []).forEach((k, i) => {
    const key = k.replace(/^params\./, '');
    const found = lookupParam(o.params, key);
    if (!found.found) report([...here, 'params', i], `stage '${group}' lists unknown parameter '${k}'`);
    else used.set(key, found.value);
  });
  const desc = raw.desc === undefined ? undefined : text(raw.desc, [...here, 'desc'], 'text');
  if (diagnostics.length > before || !action) return undefined;
  return {
    name: o.name,
    group,
    item: o.key,
    desc,
    action,
    deps,
    outs,
    params: new Map([...used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    alwaysChanged: raw.always_changed === true,
    scope: o.scope,
    // Computed on demand: finding positions loads the position-keeping parser.
    location: () => source.locate(here, 'key'),
  };
}
