// Summarises a V8 CPU profile (`node --cpu-prof`): self time by function and by file, and
// inclusive time by function, so that "what bounds this stage" is answered from a terminal.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/engine/cli/main.js repro ...
//   node dist/bench/profile-summary.js /tmp/prof/*.cpuprofile [--top N]
//
// Worker threads write profiles of their own (one file per thread): built-ins marked `threaded`
// run there, so pass those files too.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Paths shortened to the package or the dist/ file. */
function where(url: string): string {
  return url.replace(/^.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\/.*\/([^/]+)$/, '$1:$2').replace(/^.*\/dist\//, '');
}

function frameKey(cf: CallFrame): string {
  return `${cf.functionName || '(anonymous)'} ${where(cf.url)}:${cf.lineNumber + 1}`;
}

function add(m: Map<string, number>, key: string, us: number): void {
  m.set(key, (m.get(key) ?? 0) + us);
}

function summarise(file: string, top: number): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));

  const self = new Map<string, number>();
  const files = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const cf = byId.get(id)!.callFrame;
    add(self, frameKey(cf), us);
    add(files, where(cf.url) || cf.functionName, us);
    total += us;
    // Each frame once per sample, however deep the recursion.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = frameKey(byId.get(cur)!.callFrame);
      if (!seen.has(key)) add(inclusive, key, us);
      seen.add(key);
    }
  }
  const table = (title: string, m: Map<string, number>) =>
    [`-- ${title}`, ...[...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)].join('\n');
  return [`${file}: ${(total / 1000).toFixed(0)} ms sampled`, table('self time by function', self), table('self time by file', files), table('inclusive time', inclusive)].join('\n\n');
}

const { values, positionals } = parseArgs({ options: { top: { type: 'string' } }, allowPositionals: true });
if (positionals.length === 0) {
  process.stderr.write('usage: node dist/bench/profile-summary.js FILE.cpuprofile... [--top N]\n');
  process.exitCode = 2;
} else {
  for (const f of positionals) process.stdout.write(summarise(f, Number(values.top ?? 25)) + '\n\n');
}
