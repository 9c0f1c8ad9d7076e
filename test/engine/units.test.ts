// Plain unit tests of the pure engine modules.
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interpolate, shellQuote } from '../../engine/config/interpolate.js';
import { applyOverrides } from '../../engine/config/params.js';
import { ancestors, normalizeOut, OutputIndex } from '../../engine/graph/paths.js';
import { parseLock, serializeLock, type LockEntries } from '../../engine/lock/lockfile.js';
import { StatCache } from '../../engine/hash/stat-cache.js';
import { PathHasher } from '../../engine/hash/tree.js';
import { hashBytes, hashFile } from '../../engine/hash/xxh.js';

describe('interpolate', () => {
  const scope = { params: { a: { b: 2 }, s: 'x y', list: [1, 'two'], bw: 0.02 }, item: { value: { id: 7 }, key: 'k' } };
  it('keeps the type of a whole-string reference in value mode', () => {
    expect(interpolate('${params.list}', scope, 'value')).toMatchObject({ ok: true, value: [1, 'two'] });
    expect(interpolate('${params.bw}', scope, 'value')).toMatchObject({ ok: true, value: 0.02 });
    expect(interpolate('w=${params.bw}', scope, 'value')).toMatchObject({ ok: true, value: 'w=0.02' });
  });
  it('records exactly the parameter keys used', () => {
    const r = interpolate('${params.a.b} ${item.id} ${key} ${params.s}', scope, 'text');
    expect(r.ok && [...r.params]).toEqual([
      ['a.b', 2],
      ['s', 'x y'],
    ]);
    expect(r.ok && r.value).toBe('2 7 k x y');
  });
  it('shell-quotes only what needs it, lists element by element', () => {
    expect(interpolate('echo ${params.s} ${params.list} ${params.a.b}', scope, 'shell')).toMatchObject({ value: "echo 'x y' 1 two 2" });
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a/b-c_d.e:f=g,h@i%j+k')).toBe('a/b-c_d.e:f=g,h@i%j+k');
  });
  it('$${ is a literal ${', () => {
    expect(interpolate('echo $${HOME} ${params.a.b}', scope, 'shell')).toMatchObject({ value: 'echo ${HOME} 2' });
  });
  it('refuses lists in paths and unknown references, with the available keys', () => {
    expect(interpolate('d/${params.list}', scope, 'text')).toMatchObject({ ok: false, error: '${params.list} is a list and cannot be used in a path' });
    expect(interpolate('${params.a.c}', scope, 'text')).toEqual({
      ok: false,
      error: "unknown reference ${params.a.c}: params.a has no key 'c'",
      hint: 'available under params.a: b',
    });
    expect(interpolate('${env.HOME}', scope, 'text')).toMatchObject({ ok: false, error: 'unknown reference ${env.HOME}' });
  });
});

describe('-S overrides', () => {
  it('parse values as YAML and replace existing keys only', () => {
    const r = applyOverrides({ a: { b: 1 }, l: [1] }, ['params.a.b=0.5', 'l=[x, y]']);
    expect(r).toEqual({ ok: true, value: { a: { b: 0.5 }, l: ['x', 'y'] } });
    const bad = applyOverrides({ a: { b: 1 } }, ['a.c=1']);
    expect(bad.ok).toBe(false);
  });
});

describe('paths', () => {
  it('normalises and rejects outputs outside the workspace', () => {
    expect(normalizeOut('./a//b/')).toEqual({ ok: true, path: 'a/b' });
    expect(normalizeOut('a/../../b').ok).toBe(false);
    expect(normalizeOut('/etc/x').ok).toBe(false);
    expect(normalizeOut('.').ok).toBe(false);
    expect(ancestors('a/b/c')).toEqual(['a/b', 'a']);
  });
  it('finds producers: same path, enclosing output directory, outputs inside a dep directory', () => {
    const idx = new OutputIndex();
    expect(idx.add('data/x', 's1')).toBeUndefined();
    expect(idx.add('data/y/z.txt', 's2')).toBeUndefined();
    expect(idx.producersOf('data/x')).toEqual([{ out: 'data/x', stage: 's1' }]);
    expect(idx.producersOf('data/x/inner.csv')).toEqual([{ out: 'data/x', stage: 's1' }]);
    expect(idx.producersOf('data')).toEqual([
      { out: 'data/x', stage: 's1' },
      { out: 'data/y/z.txt', stage: 's2' },
    ]);
    expect(idx.producersOf('other')).toEqual([]);
    expect(idx.add('data/x/deeper', 's3')).toEqual({ out: 'data/x', stage: 's1' });
    expect(idx.add('data/y', 's4')).toEqual({ out: 'data/y/z.txt', stage: 's2' });
    expect(idx.add('data/x', 's5')).toEqual({ out: 'data/x', stage: 's1' });
  });
});

describe('data.lock', () => {
  const entries: LockEntries = new Map([
    ['b', { cmd: 'echo b', params: { z: 1, a: [1, 2] }, deps: [{ path: 'y', hash: 'f'.repeat(32), size: 2 }, { path: 'x', hash: 'e'.repeat(32), size: 1, nfiles: 3 }], outs: [] }],
    ['a', { uses: 'thing', version: '3', with: { q: 1, b: { d: 2, c: 1 } }, deps: [], outs: [{ path: 'o', hash: '0'.repeat(32), size: 0 }] }],
  ]);
  it('serialises deterministically: sorted names, fixed key order, sorted lists and maps', () => {
    const text = serializeLock(entries);
    expect(text).toBe(
      '# Written by pipe: what each stage observed when it last succeeded. Do not edit.\n' +
        "schema: '1.0'\nhash: xxh3-128\nstages:\n" +
        "  a:\n    uses: thing\n    version: '3'\n    with:\n      b:\n        c: 1\n        d: 2\n      q: 1\n    deps: []\n    outs:\n" +
        `      - path: o\n        hash: '${'0'.repeat(32)}'\n        size: 0\n` +
        '  b:\n    cmd: echo b\n    params:\n      a:\n        - 1\n        - 2\n      z: 1\n    deps:\n' +
        `      - path: x\n        hash: ${'e'.repeat(32)}\n        size: 1\n        nfiles: 3\n` +
        `      - path: 'y'\n        hash: ${'f'.repeat(32)}\n        size: 2\n    outs: []\n`,
    );
    const back = parseLock(text, 'data.lock');
    expect(back.ok).toBe(true);
    if (back.ok) expect(serializeLock(back.value)).toBe(text);
  });
  it('an empty file is an empty lock; garbage is an error, not an exception', () => {
    expect(parseLock('', 'data.lock')).toEqual({ ok: true, value: new Map() });
    expect(parseLock('[1, 2', 'data.lock').ok).toBe(false);
    expect(parseLock('schema: "1.0"\nstages:\n  a: {deps: [], outs: [], extra: 1}\n', 'data.lock').ok).toBe(false);
  });
});

describe('hashing and the stat cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pipe-hash-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hashes a file as its bytes, whatever its size relative to the read chunks, also several at once', async () => {
    const MiB = 1 << 20;
    // Around the small-file limit (4 MiB) and the 16 MiB reads that large files get, 4 in flight.
    const sizes = [0, 1, 4 * MiB, 4 * MiB + 1, 16 * MiB, 64 * MiB, 64 * MiB + 17, 80 * MiB - 3];
    let seed = 1;
    const files = sizes.map((n, i) => {
      const b = Buffer.allocUnsafe(n);
      for (let j = 0; j < n; j += 4096) b[j] = (seed = (seed * 1103515245 + 12345) >>> 0) & 0xff;
      const path = join(dir, `f${i}`);
      writeFileSync(path, b);
      return { path, b };
    });
    const hashed = await Promise.all(files.map((f) => hashFile(f.path)));
    for (const [i, f] of files.entries()) {
      expect(hashed[i], `size ${sizes[i]}`).toEqual({ hash: await hashBytes(f.b), size: sizes[i] });
    }
    // A size hint (what the caller stat-ed) only picks the read pattern: a wrong one, as when the
    // file changed since, still gives the hash of the bytes there are.
    const big = files[6]!;
    expect(await hashFile(big.path, undefined, 10)).toEqual({ hash: await hashBytes(big.b), size: big.b.length });
    expect(await hashFile(files[1]!.path, undefined, 80 * MiB)).toEqual({ hash: await hashBytes(files[1]!.b), size: 1 });
  });

  it('hashes a directory through a sorted manifest: contents and names matter, listing order and mtimes do not', async () => {
    mkdirSync(join(dir, 'd/sub'), { recursive: true });
    writeFileSync(join(dir, 'd/b.txt'), 'B');
    writeFileSync(join(dir, 'd/sub/a.txt'), 'A');
    const h = () => new PathHasher({ workspace: dir, cache: new StatCache(undefined) }).hash('d');
    const first = await h();
    expect(first).toMatchObject({ size: 2, nfiles: 2 });
    expect(first!.hash).toBe(await hashBytes(`b.txt\0${await hashBytes('B')}\x001\nsub/a.txt\0${await hashBytes('A')}\x001\n`));
    utimesSync(join(dir, 'd/b.txt'), new Date(2000, 1, 1), new Date(2000, 1, 1));
    expect((await h())!.hash).toBe(first!.hash);
    writeFileSync(join(dir, 'd/sub/a.txt'), 'a');
    expect((await h())!.hash).not.toBe(first!.hash);
    expect(await new PathHasher({ workspace: dir, cache: new StatCache(undefined) }).hash('missing')).toBeUndefined();
  });

  it('a directory hashed after its subdirectories reuses their manifests within a run, and forgets them when told', async () => {
    mkdirSync(join(dir, 'd/s1/deep'), { recursive: true });
    mkdirSync(join(dir, 'd/s2'), { recursive: true });
    for (const [p, c] of [['d/top.txt', 'T'], ['d/s1/a.txt', 'A'], ['d/s1/deep/z.txt', 'Z'], ['d/s2/b.txt', 'B'], ['d/s1.txt', 'sorts between s1/ and s2/']]) {
      writeFileSync(join(dir, p!), c!);
    }
    const fresh = () => new PathHasher({ workspace: dir, cache: new StatCache(undefined) });
    const reads: string[] = [];
    const hasher = new PathHasher({ workspace: dir, cache: new StatCache(undefined), onRead: (p) => reads.push(p) });
    await hasher.hash('d/s1');
    await hasher.hash('d/s2');
    const whole = await hasher.hash('d');
    expect(whole).toEqual(await fresh().hash('d'));
    // Each file was read once: the walk of d took s1 and s2 from the run's memo.
    expect(reads.sort()).toEqual(['d/s1.txt', 'd/s1/a.txt', 'd/s1/deep/z.txt', 'd/s2/b.txt', 'd/top.txt']);
    writeFileSync(join(dir, 'd/s1/deep/z.txt'), 'z, rewritten by a stage');
    hasher.forget('d/s1/deep/z.txt');
    const after = await hasher.hash('d');
    expect(after).toEqual(await fresh().hash('d'));
    expect(after!.hash).not.toBe(whole!.hash);
  });

  it('reuses a stored hash for an unchanged file without reading it, and rehashes a changed one', async () => {
    const file = join(dir, 'big.bin');
    writeFileSync(file, 'x'.repeat(1000));
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const cacheFile = join(dir, 'cache.json');
    const reads: string[] = [];
    const hasher = (cache: StatCache) => new PathHasher({ workspace: dir, cache, onRead: (p) => reads.push(p) });
    const c1 = new StatCache(cacheFile);
    const h1 = await hasher(c1).hash('big.bin');
    await c1.save();
    expect(reads).toEqual(['big.bin']);
    const h2 = await hasher(new StatCache(cacheFile)).hash('big.bin');
    expect(h2).toEqual(h1);
    expect(reads).toEqual(['big.bin']); // not read again
    writeFileSync(file, 'y'.repeat(1000)); // same size, new content
    const h3 = await hasher(new StatCache(cacheFile)).hash('big.bin');
    expect(reads).toEqual(['big.bin', 'big.bin']);
    expect(h3!.hash).not.toBe(h1!.hash);
  });

  it('does not trust an entry taken while the file was racily new', async () => {
    const file = join(dir, 'new.txt');
    writeFileSync(file, 'one');
    const st = statSync(file, { bigint: true });
    const cache = new StatCache(undefined);
    cache.store('new.txt', st, 'a'.repeat(32), st.mtimeNs + 1_000_000n); // hashed 1 ms after the write
    expect(cache.lookup('new.txt', st)).toBeUndefined();
    cache.store('new.txt', st, 'a'.repeat(32), st.mtimeNs + 5_000_000_000n);
    expect(cache.lookup('new.txt', st)).toBe('a'.repeat(32));
  });
});

describe('precompiled validators', () => {
  it('cover every shipped schema, so no run pays for compiling one', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { createRequire } = await import('node:module');
    const { schemaKey } = await import('../../engine/config/validator-cache.js');
    const compiled = createRequire(import.meta.url)('../../dist/schemas/validators.cjs') as Record<string, unknown>;
    const files = ['schemas/pipeline.schema.json', 'schemas/lock.schema.json', ...readdirSync('schemas/stages').map((f) => `schemas/stages/${f}`)];
    for (const f of files) {
      const key = schemaKey(JSON.parse(readFileSync(f, 'utf8')) as object);
      expect(typeof compiled[key], f).toBe('function');
    }
  });
});
