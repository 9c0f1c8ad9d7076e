// Every kind of bad input gets a clear message pointing at file:line:column, exit code 2, and
// nothing runs. Exact text: diagnostics rendering is part of the interface.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from '../rig.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.cleanup());

async function expectUsageError(pipeline: string, stderr: string, args: string[] = ['repro']) {
  ws.write('pipeline.yaml', pipeline);
  const r = await ws.pipe(args);
  expect(r.stderr).toBe(stderr);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(ws.exists('data.lock')).toBe(false);
}

describe('bad pipeline.yaml', () => {
  it('YAML syntax error', () =>
    expectUsageError(
      'stages:\n  a:\n    cmd: echo hi\n   deps: [x]\n',
      'pipeline.yaml:4:1: error: invalid YAML: All mapping items must start at the same column\n' +
        '  4 |    deps: [x]\n' +
        '    | ^\n' +
        '  hint: check the indentation and the ":" after each key\n',
    ));

  it('duplicate key', () =>
    expectUsageError(
      'stages:\n  a:\n    cmd: echo hi\n    cmd: echo ho\n',
      'pipeline.yaml:4:5: error: invalid YAML: Map keys must be unique\n' +
        '  4 |     cmd: echo ho\n' +
        '    |     ^\n' +
        '  hint: each key may appear once in a mapping; remove or rename one of them\n',
    ));

  it('schema violation: unknown key, with the allowed ones', () =>
    expectUsageError(
      'stages:\n  a:\n    cmd: echo hi\n    dep: [x]\n',
      "pipeline.yaml:4:5: error: unknown key 'dep' in stages.a\n" +
        '  4 |     dep: [x]\n' +
        '    |     ^\n' +
        '  hint: allowed keys: desc, cmd, uses, with, deps, outs, params, always_changed, foreach, matrix\n',
    ));

  it('schema violation: wrong type', () =>
    expectUsageError(
      'stages:\n  a:\n    cmd: 3\n    deps: x\n',
      'pipeline.yaml:3:10: error: stages.a.cmd must be a string or a list of strings\n' +
        '  3 |     cmd: 3\n' +
        '    |          ^\n' +
        'pipeline.yaml:4:11: error: stages.a.deps must be a list\n' +
        '  4 |     deps: x\n' +
        '    |           ^\n' +
        '2 errors; nothing was run.\n',
    ));

  it('missing stages', () =>
    expectUsageError(
      'params: {}\n',
      "pipeline.yaml:1:1: error: pipeline.yaml is missing the required key 'stages'\n" + '  1 | params: {}\n' + '    | ^\n',
    ));

  it('a stage with neither cmd nor uses', () =>
    expectUsageError(
      'stages:\n  a:\n    deps: []\n',
      "pipeline.yaml:2:3: error: stage 'a' has neither cmd nor uses\n" +
        '  2 |   a:\n' +
        '    |   ^\n' +
        '  hint: add `cmd: <shell command>` or `uses: <built-in>`\n',
    ));

  it('unknown ${...} reference, pointing at the reference', () =>
    expectUsageError(
      'params:\n  x: 1\n  nested: {a: 1}\nstages:\n  a:\n    cmd: echo ${params.nested.b} > o\n    outs: [o]\n',
      "pipeline.yaml:6:15: error: unknown reference ${params.nested.b}: params.nested has no key 'b'\n" +
        '  6 |     cmd: echo ${params.nested.b} > o\n' +
        '    |               ^\n' +
        '  hint: available under params.nested: a\n',
    ));

  it('${item} outside a fan-out', () =>
    expectUsageError(
      'stages:\n  a:\n    cmd: echo ${item} > o\n    outs: [o]\n',
      'pipeline.yaml:3:15: error: ${item} is only defined inside a stage with foreach or matrix\n' +
        '  3 |     cmd: echo ${item} > o\n' +
        '    |               ^\n',
    ));

  it('a cycle names every stage and edge in it', () =>
    expectUsageError(
      'stages:\n  a:\n    cmd: cp c.txt b.txt\n    deps: [c.txt]\n    outs: [b.txt]\n' +
        '  b:\n    cmd: cp b.txt x.txt\n    deps: [b.txt]\n    outs: [x.txt]\n' +
        '  c:\n    cmd: cp x.txt c.txt\n    deps: [x.txt]\n    outs: [c.txt]\n',
      'pipeline.yaml:2:3: error: dependency cycle: a → b → c → a\n' +
        '  2 |   a:\n' +
        '    |   ^\n' +
        "  note: 'b' depends on 'b.txt', an output of 'a'\n" +
        '    pipeline.yaml:6:3\n' +
        '      6 |   b:\n' +
        '        |   ^\n' +
        "  note: 'c' depends on 'x.txt', an output of 'b'\n" +
        '    pipeline.yaml:10:3\n' +
        '      10 |   c:\n' +
        '         |   ^\n' +
        "  note: 'a' depends on 'c.txt', an output of 'c'\n" +
        '    pipeline.yaml:2:3\n' +
        '      2 |   a:\n' +
        '        |   ^\n' +
        '  hint: a stage cannot depend, directly or through other stages, on its own outputs\n',
    ));

  it('two stages writing the same output point at both declarations', () =>
    expectUsageError(
      'stages:\n  a:\n    cmd: echo > o\n    outs: [o]\n  b:\n    cmd: echo > o\n    outs: [./o]\n',
      "pipeline.yaml:7:12: error: output 'o' is declared by both 'a' and 'b'\n" +
        '  7 |     outs: [./o]\n' +
        '    |            ^\n' +
        "  note: 'a' declares 'o' here\n" +
        '    pipeline.yaml:4:12\n' +
        '      4 |     outs: [o]\n' +
        '        |            ^\n' +
        '  hint: each file or directory must be written by exactly one stage\n',
    ));

  it('overlapping outputs (a file inside another stage\'s output directory)', () =>
    expectUsageError(
      'stages:\n  a:\n    cmd: mkdir -p d\n    outs: [d]\n  b:\n    cmd: echo > d/x\n    outs: [d/x]\n',
      "pipeline.yaml:7:12: error: output 'd/x' of 'b' overlaps output 'd' of 'a'\n" +
        '  7 |     outs: [d/x]\n' +
        '    |            ^\n' +
        "  note: 'a' declares 'd' here\n" +
        '    pipeline.yaml:4:12\n' +
        '      4 |     outs: [d]\n' +
        '        |            ^\n' +
        '  hint: each file or directory must be written by exactly one stage\n',
    ));

  it('a dependency that no stage produces and that does not exist', () =>
    expectUsageError(
      'stages:\n  a:\n    cmd: cat in.txt > o\n    deps: [in.txt]\n    outs: [o]\n',
      "pipeline.yaml:4:12: error: dependency 'in.txt' of stage 'a' does not exist and no stage produces it\n" +
        '  4 |     deps: [in.txt]\n' +
        '    |            ^\n' +
        "  hint: create 'in.txt', fix the path, or add a stage whose outs include it\n",
    ));

  it('outputs outside the workspace: ../x and absolute paths', () =>
    expectUsageError(
      'stages:\n  a:\n    cmd: echo > ../o\n    outs: [../o, /tmp/abs]\n',
      "pipeline.yaml:4:12: error: output '../o' is outside the workspace\n" +
        '  4 |     outs: [../o, /tmp/abs]\n' +
        '    |            ^\n' +
        '  hint: write outputs to a path relative to the directory of pipeline.yaml\n' +
        "pipeline.yaml:4:18: error: output '/tmp/abs' is an absolute path; outputs must be inside the workspace\n" +
        '  4 |     outs: [../o, /tmp/abs]\n' +
        '    |                  ^\n' +
        '  hint: write outputs to a path relative to the directory of pipeline.yaml\n' +
        '2 errors; nothing was run.\n',
    ));

  it('a stage depending on its own output', () =>
    expectUsageError(
      'stages:\n  a:\n    cmd: touch d/x\n    deps: [d/x]\n    outs: [d]\n',
      "pipeline.yaml:4:12: error: stage 'a' depends on its own output 'd'\n" + '  4 |     deps: [d/x]\n' + '    |            ^\n',
    ));

  it('duplicate fan-out items', () =>
    expectUsageError(
      'stages:\n  a:\n    foreach: [x, "x"]\n    cmd: echo ${item}\n',
      "pipeline.yaml:3:14: error: stage 'a' has two items named 'a@x'\n" +
        '  3 |     foreach: [x, "x"]\n' +
        '    |              ^\n' +
        '  hint: fan-out values must be distinct\n',
    ));
});

describe('bad command line', () => {
  const OK = 'params:\n  x: 1\nstages:\n  a:\n    cmd: echo ${params.x} > o\n    outs: [o]\n';

  it('unknown target lists the stages', () =>
    expectUsageError(OK, "error: unknown target 'nope'\n  hint: stages: a\n", ['repro', 'nope']));

  it('unknown item of a fan-out stage lists its items', () =>
    expectUsageError(
      'stages:\n  t:\n    foreach: [a, b]\n    cmd: echo ${item}\n',
      "error: unknown target 't@c'\n  hint: stage 't' has items: t@a, t@b\n",
      ['repro', 't@c'],
    ));

  it('-S of a parameter that does not exist', () =>
    expectUsageError(OK, 'error: -S params.y=2: pipeline.yaml has no parameter params.y\n  hint: parameters under params: x\n', ['repro', '-S', 'params.y=2']));

  it('-S without a value', () =>
    expectUsageError(OK, 'error: -S params.x: expected params.<path>=<value>\n  hint: for example: -S params.bin_width=0.01\n', ['status', '-S', 'params.x']));

  it('an unknown option', async () => {
    ws.write('pipeline.yaml', OK);
    const r = await ws.pipe(['repro', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Unknown option '--bogus'/);
    expect(r.stderr).toContain('hint: see pipe repro --help');
  });

  it('an unknown command', async () => {
    const r = await ws.pipe(['reproduce']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown command 'reproduce'\n  hint: commands are repro, status, dag, gc, access, synthetic; see pipe --help\n");
  });

  it('no pipeline.yaml', async () => {
    const r = await ws.pipe(['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: no pipeline.yaml in ${ws.dir} or any directory above it\n  hint: run pipe in a workspace, or create pipeline.yaml (see the README for the format)\n`);
  });
});

describe('corrupt data.lock', () => {
  const OK = 'stages:\n  a:\n    cmd: echo hi > o\n    outs: [o]\n';

  it('invalid YAML gives a clear error with the way out, and --force rebuilds it', async () => {
    ws.write('pipeline.yaml', OK);
    expect((await ws.pipe(['repro'])).code).toBe(0);
    const good = ws.read('data.lock');
    ws.write('data.lock', good.replace('stages:', 'stages: [\n'));
    for (const cmd of [['repro'], ['status']]) {
      const r = await ws.pipe(cmd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^data\.lock:\d+:\d+: error: data\.lock is corrupt: invalid YAML/);
      expect(r.stderr).toContain('hint: move the file aside and run `pipe repro --force` to rebuild it');
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    }
    const forced = await ws.pipe(['repro', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('--force rebuilds it');
    expect(ws.read('data.lock')).toBe(good);
  });

  it('hand-mangled entries are rejected by the schema', async () => {
    ws.write('pipeline.yaml', OK);
    await ws.pipe(['repro']);
    const good = ws.read('data.lock');
    ws.write('data.lock', good.replace(/hash: [0-9a-f]{32}/, 'hash: not-a-hash'));
    const r = await ws.pipe(['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: data.lock is not a valid lock file: stages.a.outs.0.hash must match pattern "^[0-9a-f]{32}$"\n' +
        '  hint: move the file aside and run `pipe repro --force` to rebuild it (it reruns every stage)\n',
    );
  });

  it('a lock file from a future version says so', async () => {
    ws.write('pipeline.yaml', OK).write('data.lock', "schema: '9.0'\nstages: {}\n");
    const r = await ws.pipe(['repro']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unsupported schema version "9.0" (this pipe writes 1.0)');
  });
});
