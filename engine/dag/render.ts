// Rendering the analyzed graph (never the raw YAML): ASCII for people, Mermaid for docs, DOT for
// Graphviz. Items are listed by generation (everything a stage needs comes in an earlier one).
import { topologicalGenerations } from 'graphology-dag';
import type { StageGraph } from '../graph/model.js';

export type DagFormat = 'ascii' | 'mermaid' | 'dot';

export function renderDag(graph: StageGraph, format: DagFormat, subset?: ReadonlySet<string>): string {
  const keep = (n: string) => !subset || subset.has(n);
  const edges: [string, string][] = [];
  graph.graph.forEachEdge((_e, _a, from, to) => {
    if (keep(from) && keep(to)) edges.push([from, to]);
  });
  edges.sort((a, b) => (a[0] + '\0' + a[1] < b[0] + '\0' + b[1] ? -1 : 1));
  const nodes = graph.order.filter(keep);
  switch (format) {
    case 'dot': {
      const q = (s: string) => JSON.stringify(s);
      const lines = ['digraph pipeline {', '  rankdir=TB;', '  node [shape=box];'];
      for (const n of nodes) lines.push(`  ${q(n)};`);
      for (const [a, b] of edges) lines.push(`  ${q(a)} -> ${q(b)};`);
      lines.push('}');
      return lines.join('\n') + '\n';
    }
    case 'mermaid': {
      const id = new Map(nodes.map((n, i) => [n, `s${i}`]));
      const lines = ['flowchart TD'];
      for (const n of nodes) lines.push(`  ${id.get(n)}["${n.replace(/"/g, '#quot;')}"]`);
      for (const [a, b] of edges) lines.push(`  ${id.get(a)} --> ${id.get(b)}`);
      return lines.join('\n') + '\n';
    }
    case 'ascii': {
      const lines: string[] = [];
      const gens = topologicalGenerations(graph.graph).map((g) => g.filter(keep).sort()).filter((g) => g.length);
      const width = Math.min(48, Math.max(0, ...nodes.map((n) => n.length)));
      gens.forEach((gen, level) => {
        gen.forEach((n, i) => {
          const ups = graph.graph.inNeighbors(n).filter(keep).sort();
          const head = i === 0 ? `[${level}]`.padEnd(5) : ' '.repeat(5);
          lines.push(`${head}${ups.length ? n.padEnd(width) + '  ← ' + ups.join(', ') : n}`);
        });
      });
      return lines.join('\n') + '\n';
    }
    default: {
      const never: never = format;
      return never;
    }
  }
}
