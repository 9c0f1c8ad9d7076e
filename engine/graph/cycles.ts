// Finding the cycles of a dependency graph so the diagnostic can name every stage and edge in
// each. Strongly connected components come from graphology-components; inside one component we
// walk a single simple cycle (any cycle through its smallest node), which is what a person needs
// to break it.
// graphology-components (and what it pulls in) loads only when there is a cycle to name.
import { createRequire } from 'node:module';
import type { DirectedGraph } from 'graphology';

const requireCjs = createRequire(import.meta.url);

export function findCycles(graph: DirectedGraph<any, any>): string[][] {
  const { stronglyConnectedComponents } = requireCjs('graphology-components') as typeof import('graphology-components');
  const cycles: string[][] = [];
  for (const component of stronglyConnectedComponents(graph)) {
    if (component.length < 2) continue; // self loops are rejected before the graph is built
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    // DFS restricted to the component, neighbours in name order, until we return to start.
    const path: string[] = [start];
    const seen = new Set<string>([start]);
    const found = (function dfs(node: string): boolean {
      const next = graph.outNeighbors(node).filter((n: string) => members.has(n)).sort();
      for (const n of next) {
        if (n === start) return true;
        if (seen.has(n)) continue;
        seen.add(n);
        path.push(n);
        if (dfs(n)) return true;
        path.pop();
      }
      return false;
    })(start);
    if (found) cycles.push(path);
  }
  return cycles.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}
