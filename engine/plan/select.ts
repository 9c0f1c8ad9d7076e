// Which stage items a command works on. A target is a stage name (all its items, for a fan-out
// stage), one item `name@key`, or nothing (everything). The selection is the targets plus
// everything upstream of them; with `downstream`, also everything below them (and what those
// need).
import type { Diagnostic, Result } from '../diagnostics.js';
import { fail, ok } from '../diagnostics.js';
import type { StageGraph } from '../graph/model.js';

export interface SelectOptions {
  readonly targets: readonly string[];
  readonly downstream?: boolean;
}

export function resolveTargets(graph: StageGraph, targets: readonly string[]): Result<string[]> {
  const out: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const t of targets) {
    if (graph.items.has(t)) out.push(t);
    else if (graph.groups.has(t)) out.push(...graph.groups.get(t)!);
    else {
      const group = t.includes('@') ? t.slice(0, t.indexOf('@')) : undefined;
      const items = group !== undefined ? graph.groups.get(group) : undefined;
      diagnostics.push({
        message: `unknown target '${t}'`,
        hint: items
          ? `stage '${group}' has items: ${items.slice(0, 10).join(', ')}${items.length > 10 ? ', …' : ''}`
          : `stages: ${[...graph.groups.keys()].join(', ') || '(none)'}`,
      });
    }
  }
  return diagnostics.length ? fail(...diagnostics) : ok(out);
}

export function select(graph: StageGraph, o: SelectOptions): Result<string[]> {
  if (o.targets.length === 0 && !o.downstream) return ok([...graph.order]);
  const resolved = resolveTargets(graph, o.targets.length ? o.targets : [...graph.items.keys()]);
  if (!resolved.ok) return resolved;
  const chosen = new Set<string>(resolved.value);
  const walk = (start: Iterable<string>, next: (n: string) => string[]) => {
    const stack = [...start];
    while (stack.length) {
      for (const m of next(stack.pop()!)) {
        if (!chosen.has(m)) {
          chosen.add(m);
          stack.push(m);
        }
      }
    }
  };
  if (o.downstream) walk(resolved.value, (n) => graph.graph.outNeighbors(n));
  walk([...chosen], (n) => graph.graph.inNeighbors(n));
  return ok(graph.order.filter((n) => chosen.has(n)));
}
