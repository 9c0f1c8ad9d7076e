// The engine runtime: run-cache, shared cache, parallel stages (threads too), one run at a time,
// interrupts, and watch mode. Concurrency is proven by rendezvous, never by timing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PIPE, Workspace } from '../rig.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.cleanup());

const stagesRun = (events: Record<string, unknown>[], type: string) =>
  events.filter((e) => e.type === type).map((e) => e.stage as string).sort();

const CHAIN = `params:
  width: 20
stages:
  make:
    cmd: sh -c 'mkdir -p out && seq 1 $1 > out/numbers.txt' _ \${params.width}
    deps: [seed.txt]
    outs: [out/numbers.txt]
  total:
    cmd: awk '{s+=$1} END {print s}' out/numbers.txt > total.txt
    deps: [out/numbers.txt]
    outs: [total.txt]
`;

describe('run-cache', () => {
  it('20 → 10 → 20: the last repro restores everything and runs nothing', async () => {
    ws.write('pipeline.yaml', CHAIN).write('seed.txt', 'x');
    expect((await ws.repro()).ran).toEqual(['make', 'total']);
    expect((await ws.repro(['-S', 'params.width=10'])).ran).toEqual(['make', 'total']);
    expect(ws.read('total.txt')).toBe('55\n');
    const back = await ws.repro();
    expect(back.code).toBe(0);
    expect(back.ran).toEqual([]);
    expect(stagesRun(back.events, 'stage-restored')).toEqual(['make', 'total']);
    expect(back.events.find((e) => e.type === 'run-done')).toMatchObject({ ran: 0, restored: 2, failed: 0 });
    expect(ws.read('total.txt')).toBe('210\n');
    expect((await ws.pipe(['status'])).code).toBe(0);
  });

  it('a fresh clone pointing PIPE_CACHE_DIR at a populated cache runs no stage', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'pipe-shared-cache-'));
    try {
      ws.write('pipeline.yaml', CHAIN).write('seed.txt', 'x');
      expect((await ws.repro([], { PIPE_CACHE_DIR: cache })).ran).toEqual(['make', 'total']);
      const clone = new Workspace();
      try {
        clone.write('pipeline.yaml', CHAIN).write('seed.txt', 'x').write('data.lock', ws.read('data.lock'));
        const r = await clone.repro([], { PIPE_CACHE_DIR: cache });
        expect(r.ran).toEqual([]);
        expect(stagesRun(r.events, 'stage-restored')).toEqual(['make', 'total']);
        expect(clone.read('total.txt')).toBe('210\n');
        expect(clone.read('data.lock')).toBe(ws.read('data.lock'));
      } finally {
        clone.cleanup();
      }
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('cached outputs are protected: the workspace copy of a linked output is read-only', async () => {
    ws.write('pipeline.yaml', CHAIN).write('seed.txt', 'x');
    await ws.repro();
    const { statSync } = await import('node:fs');
    const st = statSync(ws.path('total.txt'));
    // Hard-linked into the cache (ext4 has no reflinks) and made read-only; on a reflink file
    // system the workspace file is an independent copy instead.
    if (st.nlink > 1) expect(st.mode & 0o222).toBe(0);
  });

  it('an output edited in place through its hard link never comes back from the cache corrupted', async () => {
    ws.write('pipeline.yaml', CHAIN).write('seed.txt', 'x');
    await ws.repro();
    const { appendFileSync, statSync } = await import('node:fs');
    if (statSync(ws.path('total.txt')).nlink < 2) return; // a reflink or copy shares nothing
    try {
      appendFileSync(ws.path('total.txt'), 'tampered\n');
    } catch (e) {
      // Not root: the read-only protection refused the edit, which is the point.
      expect((e as NodeJS.ErrnoException).code).toBe('EACCES');
      return;
    }
    // Root wrote through the link, into the cached object as well. The next run must rebuild
    // the output, not restore the tampered object.
    const r = await ws.repro();
    expect(r.ran).toEqual(['total']);
    expect(ws.read('total.txt')).toBe('210\n');
    expect(r.events.some((e) => e.type === 'stage-output' && String(e.line).includes('edited in place'))).toBe(true);
    ws.remove('total.txt');
    const again = await ws.repro();
    expect(stagesRun(again.events, 'stage-restored')).toEqual(['total']);
    expect(ws.read('total.txt')).toBe('210\n');
  });

  it('gc removes what data.lock no longer references and reports it', async () => {
    ws.write('pipeline.yaml', CHAIN).write('seed.txt', 'x');
    await ws.repro();
    await ws.repro(['-S', 'params.width=10']);
    const dry = await ws.pipe(['gc', '--dry']);
    expect(dry.stdout).toMatch(/^would remove 2 objects and 2 run records; would free \d+ B; kept 2 objects referenced by data.lock\n$/);
    const gc = await ws.pipe(['gc']);
    expect(gc.stdout).toMatch(/^removed 2 objects and 2 run records; freed \d+ B; kept 2 objects/);
    // The width=20 runs are gone from the cache, so going back really runs.
    expect((await ws.repro()).ran).toEqual(['make', 'total']);
  });
});

describe('parallel execution', () => {
  // Each stage announces itself and then waits (bounded) for the other one: they can only both
  // succeed if they run at the same time.
  const RENDEZVOUS = (me: string, other: string) =>
    `sh -c 'touch ${me}.started; i=0; while [ ! -e ${other}.started ]; do i=$((i+1)); [ $i -gt 200 ] && exit 9; sleep 0.05; done; echo ok > ${me}.out'`;
  const TWO = `stages:\n  left:\n    cmd: ${RENDEZVOUS('left', 'right')}\n    outs: [left.out]\n  right:\n    cmd: ${RENDEZVOUS('right', 'left')}\n    outs: [right.out]\n`;

  it('--jobs 2 runs two independent stages at the same time', async () => {
    ws.write('pipeline.yaml', TWO);
    const r = await ws.repro(['--jobs', '2']);
    expect(r.code).toBe(0);
    expect(r.ran).toEqual(['left', 'right']);
  });

  it('--jobs 1 runs them one after the other (so the rendezvous fails)', async () => {
    ws.write('pipeline.yaml', TWO);
    const r = await ws.repro(['--jobs', '1', '--keep-going']);
    expect(r.code).toBe(1);
    expect(r.failed).toContain('left');
  });

  it('a free job slot takes the ready item with the longest expected path to the end (past durations)', async () => {
    // a, b and c are ready together; c heads a two-item chain. Without history they start in the
    // order they became ready; with it, longest expected path first: c (100 + 400), b (450), a (10).
    const PIPE = 'stages:\n  a:\n    cmd: echo > a\n    outs: [a]\n  b:\n    cmd: echo > b\n    outs: [b]\n' +
      '  c:\n    cmd: echo > c\n    outs: [c]\n  d:\n    cmd: cat c > d\n    deps: [c]\n    outs: [d]\n';
    ws.write('pipeline.yaml', PIPE);
    const starts = (r: Awaited<ReturnType<typeof ws.repro>>) => r.events.filter((e) => e.type === 'stage-start').map((e) => e.stage);
    expect(starts(await ws.repro(['--jobs', '1']))).toEqual(['a', 'b', 'c', 'd']);
    ws.write('.pipe/durations.json', JSON.stringify({ version: 1, items: { a: 10, b: 450, c: 100, d: 400 } }));
    expect(starts(await ws.repro(['--jobs', '1', '--force']))).toEqual(['c', 'b', 'd', 'a']);
  });

  it('threaded built-ins run in worker threads, truly in parallel', async () => {
    // A built-in that blocks its thread (Atomics.wait) until the other item has started: only
    // possible if each item has a thread of its own.
    ws.write(
      'plugin.mjs',
      `import { writeFileSync, existsSync } from 'node:fs';
       export const builtins = [{
         name: 'blocking', version: '1', description: 'test', schema: { type: 'object' },
         module: new URL('./blocking-run.mjs', import.meta.url).href, threaded: true,
         load: async () => (await import('./blocking-run.mjs')).default,
       }];`,
    );
    ws.write(
      'blocking-run.mjs',
      `import { writeFileSync, existsSync } from 'node:fs';
       import { isMainThread } from 'node:worker_threads';
       export default { async run(ctx) {
         const { me, other } = ctx.args;
         writeFileSync(ctx.workspace + '/' + me + '.started', '');
         const nap = new Int32Array(new SharedArrayBuffer(4));
         for (let i = 0; !existsSync(ctx.workspace + '/' + other + '.started'); i++) {
           if (i > 400) throw new Error('the other item never started');
           Atomics.wait(nap, 0, 0, 25); // blocks this thread, as CPU-bound work would
         }
         writeFileSync(ctx.output(ctx.args.out), isMainThread ? 'main' : 'worker');
       } };`,
    );
    ws.write(
      'pipeline.yaml',
      'stages:\n  b:\n    matrix:\n      pair: [[x, y], [y, x]]\n    uses: blocking\n    with: {me: "${item.pair.0}", other: "${item.pair.1}", out: "${item.pair.0}.out"}\n    outs: ["${item.pair.0}.out"]\n',
    );
    const r = await ws.repro(['--jobs', '2'], { PIPE_PLUGINS: 'plugin.mjs' });
    expect(r.code).toBe(0);
    expect(r.ran).toEqual(['b@0', 'b@1']);
    expect(ws.read('x.out')).toBe('worker');
    expect(ws.read('y.out')).toBe('worker');
  });

  it('a worker whose item finished runs a later threaded item; one whose item failed is not reused', async () => {
    // Each item records its worker thread and how many items that thread's module has run.
    ws.write(
      'plugin.mjs',
      `export const builtins = [{
         name: 'where', version: '1', description: 'test', schema: { type: 'object' },
         module: new URL('./where-run.mjs', import.meta.url).href, threaded: true,
         load: async () => (await import('./where-run.mjs')).default,
       }];`,
    );
    ws.write(
      'where-run.mjs',
      `import { writeFileSync } from 'node:fs';
       import { threadId } from 'node:worker_threads';
       let runs = 0;
       export default { async run(ctx) {
         runs++;
         if (ctx.args.fail) {
           const { StageError } = await import(${JSON.stringify(new URL('../../dist/engine/builtin/types.js', import.meta.url).href)});
           throw new StageError('failing on purpose');
         }
         writeFileSync(ctx.output(ctx.args.out), threadId + ' ' + runs);
       } };`,
    );
    ws.write(
      'pipeline.yaml',
      'stages:\n' +
        '  a:\n    uses: where\n    with: {out: a.txt}\n    outs: [a.txt]\n' +
        '  b:\n    uses: where\n    with: {out: b.txt}\n    deps: [a.txt]\n    outs: [b.txt]\n' +
        '  c:\n    uses: where\n    with: {out: c.txt, fail: true}\n    deps: [b.txt]\n    outs: [c.txt]\n' +
        '  d:\n    uses: where\n    with: {out: d.txt}\n    deps: [b.txt]\n    outs: [d.txt]\n',
    );
    // One job: a, b, then c and d (ready together, run in name order).
    const r = await ws.repro(['--jobs', '1', '--keep-going'], { PIPE_PLUGINS: 'plugin.mjs' });
    expect(r.failed).toEqual(['c']);
    expect(r.ran).toEqual(['a', 'b', 'd']);
    const [threadA, runsA] = ws.read('a.txt').split(' ');
    const [threadB, runsB] = ws.read('b.txt').split(' ');
    expect(threadB).toBe(threadA);
    expect([runsA, runsB]).toEqual(['1', '2']);
    // c failed in that worker, so d got a fresh one: its module state starts over.
    const [threadD, runsD] = ws.read('d.txt').split(' ');
    expect(threadD).not.toBe(threadA);
    expect(runsD).toBe('1');
  });
});

describe('one run at a time', () => {
  it('a second repro waits for the first, names it, and corrupts nothing', async () => {
    ws.write('pipeline.yaml', 'stages:\n  slow:\n    cmd: sleep 1.5; echo done > slow.txt\n    outs: [slow.txt]\n');
    const first = ws.repro();
    await new Promise((r) => setTimeout(r, 700));
    const second = await ws.pipe(['repro', '--json']);
    const a = await first;
    expect(a.ran).toEqual(['slow']);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^waiting for pipe \(pid \d+ on .*, started .*: pipe repro\) to finish \(--no-wait to fail instead\)\n$/);
    expect(second.events.filter((e) => e.type === 'stage-fresh').map((e) => e.stage)).toEqual(['slow']);
    expect(ws.read('slow.txt')).toBe('done\n');
  });

  it('--no-wait fails at once; a lock left by a killed process is taken over', async () => {
    ws.write('pipeline.yaml', 'stages:\n  slow:\n    cmd: sleep 1.5; echo done > slow.txt\n    outs: [slow.txt]\n');
    const first = ws.repro();
    await new Promise((r) => setTimeout(r, 700));
    const nowait = await ws.pipe(['repro', '--no-wait']);
    expect(nowait.code).toBe(1);
    expect(nowait.stderr).toMatch(/^error: pipe \(pid \d+ .* is already running in this workspace\n/);
    await first;
    // A lock whose owner no longer exists (pid far beyond pid_max).
    ws.write('.pipe/run.lock', JSON.stringify({ pid: 99999999, host: (await import('node:os')).hostname(), startedAt: 'then', command: 'pipe repro' }));
    const r = await ws.pipe(['repro', '--no-wait']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('note: pipe (pid 99999999');
    expect(r.stderr).toContain('is no longer running; taking over its lock');
  });
});

describe('interrupts', () => {
  it('Ctrl-C stops the running command and its children, records nothing for it, exits 130', async () => {
    ws.write(
      'pipeline.yaml',
      'stages:\n  quick:\n    cmd: echo q > quick.txt\n    outs: [quick.txt]\n  long:\n    cmd: sh -c \'sleep 30 & echo $! > child.pid; wait\'; echo never > long.txt\n    deps: [quick.txt]\n    outs: [long.txt]\n',
    );
    const child = spawn(process.execPath, [PIPE, 'repro'], { cwd: ws.dir, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    for (let i = 0; i < 400 && !(ws.exists('child.pid') && ws.read('child.pid').trim()); i++) await new Promise((r) => setTimeout(r, 25));
    const grandchild = Number(ws.read('child.pid'));
    expect(grandchild).toBeGreaterThan(1);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(err).toContain('SIGINT received; stopping running stages');
    expect(out).toContain('done     quick');
    expect(out).toContain('FAILED   long: interrupted');
    expect(out).toMatch(/1 ran, 0 fresh, 1 failed in .* \(interrupted\)/);
    let alive = true;
    for (let i = 0; i < 100 && alive; i++) {
      try {
        process.kill(grandchild, 0);
        await new Promise((r) => setTimeout(r, 50));
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
    const lock = ws.read('data.lock');
    expect(lock).toContain('  quick:');
    expect(lock).not.toContain('  long:');
  });
});

describe('watch mode', () => {
  it('reruns after an input changes and ignores the outputs it writes itself', async () => {
    ws.write('pipeline.yaml', 'stages:\n  copy:\n    cmd: mkdir -p out && cp in.txt out/copy.txt && date +%N > out/stamp\n    deps: [in.txt]\n    outs: [out]\n').write('in.txt', 'one\n');
    const child = spawn(process.execPath, [PIPE, 'repro', '--watch', '--json'], { cwd: ws.dir, env: { ...process.env, NO_COLOR: '1' } });
    const events: Record<string, unknown>[] = [];
    let buf = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      buf += c;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l.startsWith('{')) events.push(JSON.parse(l) as Record<string, unknown>);
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const runsDone = () => events.filter((e) => e.type === 'run-done').length;
    const waitFor = async (pred: () => boolean, what: string) => {
      // Bounded (30 s): generous, because CI machines are shared and busy.
      for (let i = 0; i < 1200; i++) {
        if (pred()) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`timed out waiting for ${what}; stderr: ${stderr}`);
    };
    try {
      await waitFor(() => runsDone() === 1 && stderr.includes('watching'), 'the first run');
      expect(stagesRun(events, 'stage-done')).toEqual(['copy']);
      writeFileSync(ws.path('in.txt'), 'two\n');
      await waitFor(() => runsDone() === 2, 'the rerun');
      expect(stderr).toContain('change detected: in.txt');
      expect(ws.read('out/copy.txt')).toBe('two\n');
      // The rerun rewrote out/: that must not trigger a third run.
      await new Promise((r) => setTimeout(r, 1500));
      expect(runsDone()).toBe(2);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.on('close', r));
    }
  });
});

