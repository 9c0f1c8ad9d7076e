// The engine's promise, tried as a new user would: exactly the stale stages run, judged by
// content, with early cutoff, and --dry / status tell the same story.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from '../rig.js';

const PIPELINE = `params:
  threshold: 0.5
  scale: 2
  items: [a, b, c]
stages:
  generate:
    cmd: sh gen.sh \${params.scale} data/generated
    deps: [gen.sh]
    outs: [data/generated]
  transform:
    foreach: \${params.items}
    cmd: sh transform.sh \${item} \${params.threshold} data/generated raw/\${item}.csv data/t/\${item}.txt
    deps: [transform.sh, data/generated, raw/\${item}.csv]
    outs: [data/t/\${item}.txt]
  aggregate:
    cmd: cat data/t/a.txt data/t/b.txt data/t/c.txt > report.txt
    deps: [data/t]
    outs: [report.txt]
`;

// transform keeps only the FIRST line of its input, so editing a later line changes the
// item's input but not its output: the case that exercises early cutoff.
const TRANSFORM = `set -e
mkdir -p "$(dirname "$5")"
{ echo "item=$1 threshold=$2 stage=$PIPE_STAGE"; head -n 1 "$4"; cat "$3/scale.txt"; } > "$5"
`;
const GEN = `set -e
mkdir -p "$2"
echo "scale=$1" > "$2/scale.txt"
`;

describe('pipe repro on a generator → foreach transform → aggregate pipeline', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = new Workspace();
    ws.write('pipeline.yaml', PIPELINE).write('transform.sh', TRANSFORM).write('gen.sh', GEN);
    for (const i of ['a', 'b', 'c']) ws.write(`raw/${i}.csv`, `first ${i}\nsecond ${i}\n`);
  });
  afterEach(() => ws.cleanup());

  it('runs everything once, then nothing, leaving data.lock byte-identical', async () => {
    const first = await ws.repro();
    expect(first.code).toBe(0);
    expect(first.ran).toEqual(['aggregate', 'generate', 'transform@a', 'transform@b', 'transform@c']);
    expect(ws.read('report.txt')).toBe(
      'item=a threshold=0.5 stage=transform@a\nfirst a\nscale=2\n' +
        'item=b threshold=0.5 stage=transform@b\nfirst b\nscale=2\n' +
        'item=c threshold=0.5 stage=transform@c\nfirst c\nscale=2\n',
    );
    const lock = ws.read('data.lock');
    const second = await ws.repro();
    expect(second.code).toBe(0);
    expect(second.ran).toEqual([]);
    expect(second.fresh).toHaveLength(5);
    expect(ws.read('data.lock')).toBe(lock);
    const done = second.events.find((e) => e.type === 'run-done');
    expect(done).toMatchObject({ ok: true, ran: 0, fresh: 5, failed: 0 });
  });

  it('a parameter used only by the transform reruns the transform items and the aggregate', async () => {
    await ws.repro();
    ws.write('pipeline.yaml', PIPELINE.replace('threshold: 0.5', 'threshold: 0.7'));
    const r = await ws.repro();
    expect(r.ran).toEqual(['aggregate', 'transform@a', 'transform@b', 'transform@c']);
    expect(r.fresh).toEqual(['generate']);
    const start = r.events.find((e) => e.type === 'stage-start' && e.stage === 'transform@a');
    expect(start?.reasonText).toEqual(['param params.threshold 0.5 → 0.7']);
    expect(ws.read('data.lock')).toContain('threshold: 0.7');
  });

  it('a -S override behaves like an edit and is recorded in data.lock', async () => {
    await ws.repro();
    const r = await ws.repro(['-S', 'params.threshold=0.9']);
    expect(r.ran).toEqual(['aggregate', 'transform@a', 'transform@b', 'transform@c']);
    expect(ws.read('data.lock')).toContain('threshold: 0.9');
    // Without the override the file says 0.5 again: stale once more, and restored from the
    // run-cache, because these exact runs happened before.
    const back = await ws.repro();
    expect(back.ran).toEqual([]);
    expect(back.events.filter((e) => e.type === 'stage-restored').map((e) => e.stage).sort()).toEqual([
      'aggregate',
      'transform@a',
      'transform@b',
      'transform@c',
    ]);
    expect(ws.read('report.txt')).toContain('threshold=0.5');
  });

  it("editing one item's input reruns that item, and the aggregate only if the item's output changed", async () => {
    await ws.repro();
    // Only the second line changes: transform@b reruns, writes the same bytes, aggregate stays fresh.
    ws.write('raw/b.csv', 'first b\nSECOND b edited\n');
    const cutoff = await ws.repro();
    expect(cutoff.ran).toEqual(['transform@b']);
    expect(cutoff.fresh).toEqual(['aggregate', 'generate', 'transform@a', 'transform@c']);
    // Now the first line changes: the output changes too, so the aggregate reruns.
    ws.write('raw/b.csv', 'FIRST b edited\nSECOND b edited\n');
    const through = await ws.repro();
    expect(through.ran).toEqual(['aggregate', 'transform@b']);
    expect(ws.read('report.txt')).toContain('FIRST b edited');
  });

  it('`repro aggregate --dry` lists exactly what would run and why, and changes nothing', async () => {
    await ws.repro();
    const lock = ws.read('data.lock');
    ws.write('raw/c.csv', 'first c changed\n');
    ws.write('pipeline.yaml', PIPELINE.replace('scale: 2', 'scale: 3'));
    const dry = await ws.pipe(['repro', 'aggregate', '--dry']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      'would run generate: param params.scale 2 → 3\n' +
        'may run   transform@a: upstream generate will run (reruns only if its outputs change)\n' +
        'may run   transform@b: upstream generate will run (reruns only if its outputs change)\n' +
        'would run transform@c: dep raw/c.csv modified\n' +
        'may run   aggregate: upstream transform@a, transform@b, transform@c will run (reruns only if its outputs change)\n' +
        '2 stages would run, 3 more if upstream outputs change; nothing was changed.\n',
    );
    expect(ws.read('data.lock')).toBe(lock);
    expect(ws.read('data/generated/scale.txt')).toBe('scale=2\n');
  });

  it('deleting an output reruns only its stage (or restores it from the run-cache)', async () => {
    await ws.repro();
    ws.remove('data/t/a.txt');
    const status = await ws.pipe(['status']);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('transform@a: out data/t/a.txt missing');
    const r = await ws.repro(['--no-run-cache']);
    expect(r.ran).toEqual(['transform@a']); // same bytes again, so the aggregate stays fresh
    expect(r.fresh).toEqual(['aggregate', 'generate', 'transform@b', 'transform@c']);
    expect(ws.exists('data/t/a.txt')).toBe(true);
    ws.remove('data/t/a.txt');
    const restored = await ws.repro();
    expect(restored.ran).toEqual([]);
    expect(restored.events.filter((e) => e.type === 'stage-restored').map((e) => e.stage)).toEqual(['transform@a']);
    expect(ws.read('data/t/a.txt')).toBe('item=a threshold=0.5 stage=transform@a\nfirst a\nscale=2\n');
  });

  it('an output edited by hand is detected and rebuilt', async () => {
    await ws.repro();
    ws.write('report.txt', 'tampered\n');
    const r = await ws.repro();
    expect(r.ran).toEqual(['aggregate']);
    const start = r.events.find((e) => e.type === 'stage-start');
    expect(start?.reasonText).toEqual(['out report.txt modified']);
  });

  it('`status --json` tells the same story as `repro --dry --json`', async () => {
    await ws.repro();
    ws.write('pipeline.yaml', PIPELINE.replace('threshold: 0.5', 'threshold: 0.6'));
    ws.write('gen.sh', GEN + '# comment\n');
    const status = await ws.pipe(['status', '--json']);
    const dry = await ws.pipe(['repro', '--dry', '--json']);
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toEqual(JSON.parse(dry.stdout));
    const parsed = JSON.parse(status.stdout) as { stale: { stage: string; verdict: string; reasonText: string[] }[] };
    expect(parsed.stale.map((s) => [s.stage, s.verdict])).toEqual([
      ['generate', 'stale'],
      ['transform@a', 'stale'],
      ['transform@b', 'stale'],
      ['transform@c', 'stale'],
      ['aggregate', 'upstream'],
    ]);
    expect(parsed.stale[0]!.reasonText).toEqual(['dep gen.sh modified']);
    expect(parsed.stale[1]!.reasonText).toEqual(['param params.threshold 0.5 → 0.6']);
  });

  it('status exits 0 when everything is fresh', async () => {
    await ws.repro();
    const s = await ws.pipe(['status']);
    expect(s.code).toBe(0);
    expect(s.stdout).toBe('Everything is up to date.\n');
  });

  it('targets: one item, a fan-out group, --stage, and --downstream', async () => {
    const one = await ws.repro(['transform@b']);
    expect(one.ran).toEqual(['generate', 'transform@b']);
    const group = await ws.repro(['--stage', 'transform']);
    expect(group.ran).toEqual(['transform@a', 'transform@c']);
    expect(group.fresh).toEqual(['generate', 'transform@b']);
    ws.write('raw/a.csv', 'new first a\n');
    const noDown = await ws.repro(['transform@a']);
    expect(noDown.ran).toEqual(['transform@a']);
    ws.write('raw/a.csv', 'newer first a\n');
    const down = await ws.repro(['transform@a', '--downstream']);
    expect(down.ran).toEqual(['aggregate', 'transform@a']);
  });

  it('--force reruns fresh stages', async () => {
    await ws.repro();
    const r = await ws.repro(['--force', 'generate']);
    expect(r.ran).toEqual(['generate']);
    expect(r.fresh).toEqual([]);
  });

  it('does not depend on declaration order: reordered stages give the same data.lock', async () => {
    await ws.repro();
    const lock = ws.read('data.lock');
    const other = new Workspace();
    try {
      const reordered = PIPELINE.replace(/( {2}generate:[\s\S]*?)( {2}transform:[\s\S]*?)( {2}aggregate:[\s\S]*)$/, '$3$2$1');
      expect(reordered).not.toBe(PIPELINE);
      other.write('pipeline.yaml', reordered).write('transform.sh', TRANSFORM).write('gen.sh', GEN);
      for (const i of ['a', 'b', 'c']) other.write(`raw/${i}.csv`, `first ${i}\nsecond ${i}\n`);
      expect((await other.repro()).code).toBe(0);
      expect(other.read('data.lock')).toBe(lock);
    } finally {
      other.cleanup();
    }
  });
});
