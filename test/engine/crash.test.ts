// Crash safety: `pipe repro` killed with SIGKILL at random moments of a multi-stage run (shell
// stages, a threaded built-in writing its output in chunks, a fan-in) must never leave a stage
// recorded as fresh with partial outputs, nor a corrupt data.lock or cache: after every kill, the
// next `pipe repro` completes and the outputs and data.lock are byte-identical to those of an
// uninterrupted run.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPE, Workspace } from '../rig.js';

const PIPELINE = `params:
  items: [a, b, c, d]
stages:
  gen:
    foreach: \${params.items}
    cmd: sh -c 'sleep 0.05; mkdir -p gen; for i in $(seq 1 300); do echo "$1 line $i"; done > gen/$1.txt' _ \${item}
    outs: [gen/\${item}.txt]
  upper:
    foreach: \${params.items}
    uses: chunky
    with: {in: gen/\${item}.txt, out: up/\${item}.txt}
    deps: [gen/\${item}.txt]
    outs: [up/\${item}.txt]
  combine:
    cmd: sleep 0.05; cat up/a.txt up/b.txt up/c.txt up/d.txt > all.txt
    deps: [up]
    outs: [all.txt]
`;

// Writes its output in many small chunks with pauses, so kills land in the middle of writing.
const PLUGIN = `export const builtins = [{
  name: 'chunky', version: '1', description: 'test', schema: { type: 'object' },
  module: new URL('./chunky-run.mjs', import.meta.url).href, threaded: true,
  load: async () => (await import('./chunky-run.mjs')).default,
}];`;
const RUN = `import { readFile, open } from 'node:fs/promises';
export default { async run(ctx) {
  const text = (await readFile(ctx.deps[0], 'utf8')).toUpperCase();
  const fh = await open(ctx.output(ctx.args.out), 'w');
  for (let i = 0; i < text.length; i += 512) {
    await fh.write(text.slice(i, i + 512));
    await new Promise((r) => setTimeout(r, 3));
  }
  await fh.close();
} };`;

function snapshot(ws: Workspace): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.name === '.pipe') continue;
      if (e.isDirectory()) walk(p);
      else files.set(relative(ws.dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(ws.dir);
  return files;
}

// A small seeded generator: the kill moments are random but the same on every run of the test.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const env = { PIPE_PLUGINS: 'plugin.mjs' };
const setup = (ws: Workspace) => ws.write('pipeline.yaml', PIPELINE).write('plugin.mjs', PLUGIN).write('chunky-run.mjs', RUN);

describe('SIGKILL at random moments', () => {
  let reference: Map<string, string>;
  let referenceEvents = 0;
  const ref = new Workspace();
  beforeAll(async () => {
    setup(ref);
    const r = await ref.repro([], env);
    expect(r.code).toBe(0);
    referenceEvents = r.events.length;
    reference = snapshot(ref);
  });
  afterAll(() => ref.cleanup());

  it('never leaves a partial output recorded as fresh; the next run completes byte-identically', { timeout: 600_000 }, async () => {
    const random = rng(20261121);
    const trials = 24;
    const outcomes = { killedMidRun: 0, finishedBeforeKill: 0 };
    for (let trial = 0; trial < trials; trial++) {
      const ws = new Workspace('pipe-crash-');
      try {
        setup(ws);
        // Half the trials with the run-cache (kills then also land in cache stores and
        // restores), half without.
        const extra = trial % 2 === 0 ? [] : ['--no-run-cache'];
        // One to three kills in a row before the run that must complete.
        const kills = 1 + Math.floor(random() * 3);
        for (let k = 0; k < kills; k++) {
          // Kill relative to the run's own progress (after a random event, plus a random few
          // milliseconds), so the kills land inside the run, not in process start-up.
          const child = spawn(process.execPath, [PIPE, 'repro', '--json', ...extra], { cwd: ws.dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
          const afterEvent = Math.floor(random() * referenceEvents);
          const extraMs = random() * 40;
          let seen = 0;
          let timer: NodeJS.Timeout | undefined;
          child.stdout.setEncoding('utf8').on('data', (c: string) => {
            seen += c.split('\n').length - 1;
            if (seen > afterEvent && !timer) timer = setTimeout(() => child.kill('SIGKILL'), extraMs);
          });
          const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
          if (timer) clearTimeout(timer);
          if (code === null) outcomes.killedMidRun++;
          else outcomes.finishedBeforeKill++;
        }
        const final = await ws.repro(extra, env);
        expect(final.code, `trial ${trial}: ${final.stderr}`).toBe(0);
        const after = snapshot(ws);
        for (const [path, content] of reference) {
          if (path === 'plugin.mjs' || path === 'chunky-run.mjs' || path === 'pipeline.yaml') continue;
          expect(after.get(path), `trial ${trial}: ${path}`).toBe(content);
        }
        expect([...after.keys()].sort(), `trial ${trial}`).toEqual([...reference.keys()].sort());
        expect((await ws.pipe(['status'], { env })).code).toBe(0);
        // Nothing half-written may be left in staging or the cache.
        const leftovers = (dir: string): string[] => {
          try {
            return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? leftovers(join(dir, e.name)) : [join(dir, e.name)]));
          } catch {
            return [];
          }
        };
        expect(leftovers(ws.path('.pipe/staging')).join(','), `trial ${trial}`).toBe('');
        // Objects cut short by a kill are temporaries that never got an object's name; gc
        // removes those whose writer is dead.
        expect((await ws.pipe(['gc'], { env })).code).toBe(0);
        expect(leftovers(ws.path('.pipe/cache')).filter((f) => f.endsWith('.tmp')).join(','), `trial ${trial}`).toBe('');
      } finally {
        ws.cleanup();
      }
    }
    // The sampling must really have interrupted runs, or the test proves nothing.
    expect(outcomes.killedMidRun).toBeGreaterThan(trials);
  });
});
