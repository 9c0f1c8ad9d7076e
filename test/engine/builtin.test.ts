// Built-in stages through the registry, exercised with a test-only built-in loaded as a plugin
// (PIPE_PLUGINS): argument validation against its JSON Schema at analysis time, typed arguments
// from parameters, the version in the fingerprint, progress events, and failures.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from '../rig.js';

const PLUGIN = `
import { writeFile, readFile } from 'node:fs/promises';
export const builtins = [{
  name: 'repeat-text',
  version: process.env.TEST_BUILTIN_VERSION ?? '1',
  description: 'writes text repeated n times (test only)',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['text', 'out'],
    properties: {
      text: { type: 'string' },
      times: { type: 'integer', minimum: 1 },
      out: { type: 'string' },
      fail: { enum: ['no', 'user', 'bug', 'undeclared'] },
    },
  },
  load: async () => ({
    async run(ctx) {
      const { StageError } = await import(${JSON.stringify(new URL('../../dist/engine/builtin/types.js', import.meta.url).href)});
      if (ctx.args.fail === 'user') throw new StageError('the input is bad', 'fix the input');
      if (ctx.args.fail === 'bug') throw new TypeError('oops');
      if (ctx.args.fail === 'undeclared') ctx.output('somewhere/else.txt');
      const n = ctx.args.times ?? 1;
      const input = ctx.deps.length ? await readFile(ctx.deps[0], 'utf8') : '';
      for (let i = 1; i <= n; i++) ctx.progress({ done: i, total: n, unit: 'copies' });
      ctx.log('writing ' + n + ' copies for ' + ctx.stage);
      await writeFile(ctx.output(ctx.args.out), input + ctx.args.text.repeat(n));
    },
  }),
}];
`;

let ws: Workspace;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ws = new Workspace();
  ws.write('plugin.mjs', PLUGIN).write('in.txt', 'header\n');
  env = { PIPE_PLUGINS: 'plugin.mjs' };
});
afterEach(() => ws.cleanup());

const pipeline = (withBlock: string) =>
  `params:\n  n: 3\nstages:\n  rep:\n    uses: repeat-text\n    with:\n${withBlock}\n    deps: [in.txt]\n    outs: [out.txt]\n`;

describe('built-in stages', () => {
  it('run with typed arguments from parameters, report progress, and write declared outputs', async () => {
    ws.write('pipeline.yaml', pipeline('      text: "ab"\n      times: ${params.n}\n      out: out.txt'));
    const r = await ws.repro([], env);
    expect(r.code).toBe(0);
    expect(ws.read('out.txt')).toBe('header\nababab');
    const progress = r.events.filter((e) => e.type === 'progress');
    expect(progress.map((e) => e.done)).toEqual([1, 2, 3]);
    expect(progress[0]).toMatchObject({ stage: 'rep', total: 3, unit: 'copies' });
    expect(r.events.find((e) => e.type === 'stage-output')).toMatchObject({ stage: 'rep', line: 'writing 3 copies for rep' });
    const lock = ws.read('data.lock');
    expect(lock).toContain('uses: repeat-text\n    version: \'1\'\n    with:\n      out: out.txt\n      text: ab\n      times: 3\n    params:\n      \'n\': 3\n');
    // A parameter change is reported as such, not as an argument change.
    const s = await ws.pipe(['status', '-S', 'params.n=4'], { env });
    expect(s.stdout).toBe('stale     rep: param params.n 3 → 4\n1 stale, 0 fresh.\n');
  });

  it('a whole mapping parameter is compared by value, not by key order', async () => {
    ws.write(
      'pipeline.yaml',
      'params:\n  opts: {zeta: 1, alpha: {y: 2, x: 1}}\nstages:\n  rep:\n    uses: repeat-text\n    with:\n      text: "x"\n      out: out.txt\n    params: [opts]\n    deps: [in.txt]\n    outs: [out.txt]\n',
    );
    expect((await ws.repro([], env)).ran).toEqual(['rep']);
    const s = await ws.pipe(['status'], { env });
    expect(s.stdout).toBe('Everything is up to date.\n');
    expect(s.code).toBe(0);
    const changed = await ws.pipe(['status', '-S', 'params.opts.alpha.y=3'], { env });
    expect(changed.stdout).toBe('stale     rep: param params.opts {"alpha":{"x":1,"y":2},"zeta":1} → {"alpha":{"x":1,"y":3},"zeta":1}\n1 stale, 0 fresh.\n');
  });

  it('changing the built-in version makes every item stale', async () => {
    ws.write('pipeline.yaml', pipeline('      text: "x"\n      out: out.txt'));
    await ws.repro([], env);
    expect((await ws.repro([], env)).ran).toEqual([]);
    const r = await ws.repro([], { ...env, TEST_BUILTIN_VERSION: '2' });
    expect(r.ran).toEqual(['rep']);
    expect(r.events.find((e) => e.type === 'stage-start')?.reasonText).toEqual(['built-in version 1 → 2']);
  });

  it('invalid arguments are reported at analysis, with locations, before anything runs', async () => {
    ws.write('pipeline.yaml', pipeline('      text: 5\n      times: 0\n      colour: red'));
    const r = await ws.pipe(['repro'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "pipeline.yaml:6:5: error: arguments of built-in 'repeat-text': stages.rep.with is missing the required key 'out'\n" +
        '  6 |     with:\n' +
        '    |     ^\n' +
        "pipeline.yaml:9:7: error: arguments of built-in 'repeat-text': unknown key 'colour' in stages.rep.with\n" +
        '  9 |       colour: red\n' +
        '    |       ^\n' +
        '  hint: allowed keys: text, times, out, fail\n' +
        "pipeline.yaml:7:13: error: arguments of built-in 'repeat-text': stages.rep.with.text must be a string\n" +
        '  7 |       text: 5\n' +
        '    |             ^\n' +
        "pipeline.yaml:8:14: error: arguments of built-in 'repeat-text': stages.rep.with.times must be >= 1\n" +
        '  8 |       times: 0\n' +
        '    |              ^\n' +
        '4 errors; nothing was run.\n',
    );
    expect(ws.exists('out.txt')).toBe(false);
  });

  it('an unknown built-in lists the available ones', async () => {
    ws.write('pipeline.yaml', 'stages:\n  x:\n    uses: nope\n    outs: [o]\n');
    const r = await ws.pipe(['status'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("pipeline.yaml:3:11: error: unknown built-in stage 'nope'");
    expect(r.stderr).toMatch(/hint: available built-ins: .*repeat-text/);
  });

  it('a StageError is shown as the user error it is; any other exception as an internal error', async () => {
    ws.write('pipeline.yaml', pipeline('      text: "x"\n      out: out.txt\n      fail: user'));
    const user = await ws.repro([], env);
    expect(user.code).toBe(1);
    expect(user.events.find((e) => e.type === 'stage-failed')?.error).toBe('the input is bad\n  hint: fix the input');
    ws.write('pipeline.yaml', pipeline('      text: "x"\n      out: out.txt\n      fail: bug'));
    const bug = await ws.repro([], env);
    expect(bug.code).toBe(1);
    expect(bug.events.find((e) => e.type === 'stage-failed')?.error).toMatch(/^internal error in built-in 'repeat-text' 1: TypeError: oops/);
    ws.write('pipeline.yaml', pipeline('      text: "x"\n      out: out.txt\n      fail: undeclared'));
    const undeclared = await ws.repro([], env);
    expect(undeclared.events.find((e) => e.type === 'stage-failed')?.error).toBe(
      "built-in repeat-text wrote to 'somewhere/else.txt', which is not a declared output of rep\n  hint: add it to the stage's outs",
    );
  });

  it('a broken plugin is a clear configuration error', async () => {
    ws.write('pipeline.yaml', 'stages:\n  a:\n    cmd: echo\n').write('bad.mjs', 'export const nothing = 1;\n');
    const r = await ws.pipe(['status'], { env: { PIPE_PLUGINS: 'bad.mjs' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: cannot load PIPE_PLUGINS: plugin bad.mjs does not export a 'builtins' array\n" +
        '  hint: PIPE_PLUGINS lists ES module files exporting `builtins`, separated by ":"\n',
    );
  });
});
