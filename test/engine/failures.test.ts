// When a stage fails: exit 1, the failure with its exit status and stderr tail, its outputs not
// recorded, downstream not run; --keep-going continues with independent branches.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PIPE, Workspace } from '../rig.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.cleanup());

const BRANCHES = `params:
  fail: "no"
stages:
  bad:
    cmd: sh -c 'echo partial > bad.txt; echo "line one" >&2; echo "boom - it broke" >&2; test "$1" = no' _ \${params.fail}
    outs: [bad.txt]
  after_bad:
    cmd: cp bad.txt after.txt
    deps: [bad.txt]
    outs: [after.txt]
  good:
    cmd: echo good > good.txt
    outs: [good.txt]
`;

describe('a failing stage', () => {
  it('exits 1, reports the status and stderr tail, skips downstream, records nothing', async () => {
    ws.write('pipeline.yaml', BRANCHES.replace('fail: "no"', 'fail: "yes"'));
    const r = await ws.pipe(['repro', '-j', '1', 'after_bad']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAILED   bad: command exited with status 1');
    expect(r.stdout).toContain('         | boom - it broke');
    expect(r.stdout).toContain('[bad] line one');
    expect(r.stdout).toContain('skipped  after_bad (upstream bad failed)');
    expect(r.stdout).toMatch(/0 ran, 0 fresh, 1 failed, 1 skipped in /);
    expect(ws.exists('after.txt')).toBe(false);
    // The partial output exists on disk but is not recorded: the stage stays stale.
    expect(ws.exists('bad.txt')).toBe(true);
    const status = await ws.pipe(['status', '--json']);
    const stale = JSON.parse(status.stdout).stale as { stage: string; reasonText: string[] }[];
    expect(stale.find((s) => s.stage === 'bad')?.reasonText).toEqual(['never run (no entry in data.lock)']);
  });

  it("invalidates the stage's previous record before it runs", async () => {
    ws.write('pipeline.yaml', BRANCHES);
    expect((await ws.repro()).code).toBe(0);
    expect(ws.read('data.lock')).toContain('  bad:\n');
    const r = await ws.repro(['-S', 'params.fail=yes', 'bad']);
    expect(r.failed).toEqual(['bad']);
    const failed = r.events.find((e) => e.type === 'stage-failed');
    expect(failed).toMatchObject({ exitCode: 1, error: 'command exited with status 1' });
    expect(failed?.stderrTail).toEqual(['line one', 'boom - it broke']);
    expect(ws.read('data.lock')).not.toContain('  bad:\n');
    expect(ws.read('data.lock')).toContain('  good:\n');
  });

  it('a run killed while a stage runs leaves that stage stale without rewriting data.lock for it', async () => {
    ws.write('pipeline.yaml', BRANCHES.replace('cmd: echo good > good.txt', 'cmd: echo "$(cat src.txt)" > good.txt; while [ ! -e go ]; do sleep 0.05; done\n    deps: [src.txt]'));
    ws.write('src.txt', 'one');
    ws.write('go', '');
    expect((await ws.repro()).code).toBe(0);
    const recorded = ws.read('data.lock');
    expect(recorded).toContain('  good:\n');
    ws.remove('go');
    ws.write('src.txt', 'two');
    // good now waits for a file that never comes; kill the run once good.txt is rewritten.
    const child = spawn(process.execPath, [PIPE, 'repro'], { cwd: ws.dir, stdio: 'ignore' });
    try {
      await new Promise<void>((resolve, reject) => {
        const poll = setInterval(() => {
          if (ws.exists('good.txt') && ws.read('good.txt').trim() === 'two') {
            clearInterval(poll);
            resolve();
          }
        }, 20);
        child.on('exit', () => {
          clearInterval(poll);
          reject(new Error('pipe repro ended before it was killed'));
        });
      });
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.on('close', r));
    // The old record is still in the file (a full run no longer rewrites it before each stage)...
    expect(ws.read('data.lock')).toBe(recorded);
    // ...but the marker left under .pipe/running makes the stage stale, and says why.
    const status = await ws.pipe(['status', '--json']);
    const stale = JSON.parse(status.stdout).stale as { stage: string; reasonText: string[] }[];
    expect(stale.find((s) => s.stage === 'good')?.reasonText).toEqual(['a run started it and did not record it (interrupted, or still running)']);
    ws.write('go', '');
    const again = await ws.repro();
    expect(again.ran).toEqual(['good']);
    expect(ws.read('data.lock')).not.toBe(recorded);
    expect(readdirSync(ws.path('.pipe/running'))).toEqual([]);
    expect((await ws.pipe(['status'])).code).toBe(0);
  });

  it('without --keep-going, stops starting new stages; with it, runs independent branches', async () => {
    ws.write('pipeline.yaml', BRANCHES.replace('fail: "no"', 'fail: "yes"'));
    // -j 1 and names sorted: 'bad' runs first, so 'good' would start after the failure.
    const stop = await ws.repro(['-j', '1']);
    expect(stop.code).toBe(1);
    expect(stop.ran).toEqual([]);
    expect(stop.skipped).toEqual(['after_bad', 'good']);
    const skipGood = stop.events.find((e) => e.type === 'stage-skipped' && e.stage === 'good');
    expect(skipGood?.because).toBe('run stopped after bad failed (use --keep-going to run independent stages)');
    const going = await ws.repro(['-j', '1', '--keep-going']);
    expect(going.code).toBe(1);
    expect(going.ran).toEqual(['good']);
    expect(going.skipped).toEqual(['after_bad']);
  });

  it('a stage that does not create a declared output fails', async () => {
    ws.write('pipeline.yaml', 'stages:\n  a:\n    cmd: echo > one.txt\n    outs: [one.txt, two.txt]\n');
    const r = await ws.repro();
    expect(r.code).toBe(1);
    expect(r.events.find((e) => e.type === 'stage-failed')?.error).toBe('finished but did not create declared output two.txt');
    expect(ws.exists('data.lock') ? ws.read('data.lock') : '').not.toContain('  a:\n');
  });

  it('a list of commands stops at the first failure and says which', async () => {
    ws.write('pipeline.yaml', 'stages:\n  a:\n    cmd:\n      - echo one > o\n      - exit 3\n      - echo never > never\n    outs: [o]\n');
    const r = await ws.repro();
    expect(r.events.find((e) => e.type === 'stage-failed')?.error).toBe('command exited with status 3 (command 2 of 3)');
    expect(ws.exists('never')).toBe(false);
  });
});

describe('commands', () => {
  it('shell-quote substituted values: a parameter stays one argument', async () => {
    ws.write(
      'pipeline.yaml',
      `params:\n  evil: "a; touch pwned"\n  list: [x y, z]\nstages:\n  q:\n    cmd: printf '%s|' \${params.evil} \${params.list} > args.txt\n    outs: [args.txt]\n`,
    );
    expect((await ws.repro()).code).toBe(0);
    expect(ws.read('args.txt')).toBe('a; touch pwned|x y|z|');
    expect(ws.exists('pwned')).toBe(false);
  });

  it('run in the workspace root with PIPE_STAGE and PIPE_PARAMS set, even from a subdirectory', async () => {
    ws.write(
      'pipeline.yaml',
      'params:\n  a: {b: 2}\n  extra: hello\nstages:\n  e:\n    foreach: [one]\n    cmd: echo "$PIPE_STAGE $PIPE_PARAMS ${params.a.b} $(pwd)" > env.txt\n    params: [params.extra]\n    outs: [env.txt]\n',
    );
    ws.write('sub/dir/.keep', '');
    const r = await ws.pipe(['repro'], { cwd: ws.path('sub/dir') });
    expect(r.code).toBe(0);
    expect(ws.read('env.txt').trim()).toBe(`e@one {"a.b":2,"extra":"hello"} 2 ${ws.dir}`);
    // A listed parameter is part of the fingerprint.
    ws.write('pipeline.yaml', ws.read('pipeline.yaml').replace('extra: hello', 'extra: bye'));
    const s = await ws.pipe(['status']);
    expect(s.stdout).toContain('stale     e@one: param params.extra hello → bye');
  });

  it('stream output with the stage name as prefix and print one summary line', async () => {
    ws.write('pipeline.yaml', 'stages:\n  talk:\n    cmd: printf "hello\\nworld\\n"; echo err >&2; touch t\n    outs: [t]\n');
    const r = await ws.pipe(['repro']);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('running  talk: never run (no entry in data.lock)');
    expect(lines).toContain('[talk] hello');
    expect(lines).toContain('[talk] world');
    expect(lines).toContain('[talk] err');
    expect(lines.at(-2)).toMatch(/^done {5}talk \(\d+(\.\d+)?m?s\)$/);
    expect(lines.at(-1)).toMatch(/^1 ran, 0 fresh, 0 failed in \d/);
  });

  it('matrix items are named by their values and substitute ${item.<axis>}', async () => {
    ws.write(
      'pipeline.yaml',
      'stages:\n  m:\n    matrix:\n      os: [linux, mac]\n      v: [1, 2]\n    cmd: echo ${item.os}-${item.v} > out/${item.os}-${item.v}.txt\n    outs: [out/${item.os}-${item.v}.txt]\n',
    );
    const r = await ws.repro();
    expect(r.ran).toEqual(['m@linux-1', 'm@linux-2', 'm@mac-1', 'm@mac-2']);
    expect(ws.read('out/mac-2.txt')).toBe('mac-2\n');
  });

  it('foreach over a mapping gives ${key} and ${item.<field>}', async () => {
    ws.write(
      'pipeline.yaml',
      'params:\n  sets:\n    small: {n: 1}\n    big: {n: 3}\nstages:\n  f:\n    foreach: ${params.sets}\n    cmd: echo ${key} ${item.n} > ${key}.txt\n    outs: [${key}.txt]\n',
    );
    const r = await ws.repro();
    expect(r.ran).toEqual(['f@big', 'f@small']);
    expect(ws.read('big.txt')).toBe('big 3\n');
    // Adding an entry to the fan-out list adds an item and leaves the others fresh.
    ws.write('pipeline.yaml', ws.read('pipeline.yaml').replace('big: {n: 3}', 'big: {n: 3}\n    huge: {n: 9}'));
    const again = await ws.repro();
    expect(again.ran).toEqual(['f@huge']);
    expect(again.fresh).toEqual(['f@big', 'f@small']);
  });

  it('always_changed stages run every time', async () => {
    ws.write('pipeline.yaml', 'stages:\n  tick:\n    cmd: date +%N > tick.txt\n    outs: [tick.txt]\n    always_changed: true\n');
    await ws.repro();
    const r = await ws.repro();
    expect(r.ran).toEqual(['tick']);
    expect(r.events.find((e) => e.type === 'stage-start')?.reasonText).toEqual(['always_changed']);
  });

  it('a command edit is reported as such', async () => {
    ws.write('pipeline.yaml', 'stages:\n  a:\n    cmd: echo 1 > o\n    outs: [o]\n');
    await ws.repro();
    ws.write('pipeline.yaml', 'stages:\n  a:\n    cmd: echo 2 > o\n    outs: [o]\n');
    const s = await ws.pipe(['status']);
    expect(s.code).toBe(1);
    expect(s.stdout).toBe('stale     a: command changed\n1 stale, 0 fresh.\n');
  });
});

describe('dag', () => {
  const P = 'stages:\n  a:\n    cmd: echo > a.txt\n    outs: [a.txt]\n  b:\n    foreach: [x, y]\n    cmd: cat a.txt > b-${item}.txt\n    deps: [a.txt]\n    outs: [b-${item}.txt]\n  c:\n    cmd: cat b-x.txt b-y.txt > c.txt\n    deps: [b-x.txt, b-y.txt]\n    outs: [c.txt]\n';
  it('renders ascii, mermaid and dot from the analyzed graph', async () => {
    ws.write('pipeline.yaml', P);
    expect((await ws.pipe(['dag'])).stdout).toBe('[0]  a\n[1]  b@x  ← a\n     b@y  ← a\n[2]  c    ← b@x, b@y\n');
    expect((await ws.pipe(['dag', '--format', 'mermaid'])).stdout).toBe(
      'flowchart TD\n  s0["a"]\n  s1["b@x"]\n  s2["b@y"]\n  s3["c"]\n  s0 --> s1\n  s0 --> s2\n  s1 --> s3\n  s2 --> s3\n',
    );
    const dot = (await ws.pipe(['dag', '--format', 'dot', 'b@x'])).stdout;
    expect(dot).toBe('digraph pipeline {\n  rankdir=TB;\n  node [shape=box];\n  "a";\n  "b@x";\n  "a" -> "b@x";\n}\n');
  });
});
