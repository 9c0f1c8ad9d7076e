// Same options, same bytes: the file depends only on the seed (object ids included), not on the
// time of day (HDF5 modification times come from the pinned JavaScript clock).

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PinnedClock } from '../../stages/allen/synthetic/clock.js';
import { writeSyntheticSession, type SyntheticSessionOptions } from '../../stages/allen/synthetic/index.js';
import { makeTempDir, type TempDir } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('synthetic session determinism', () => {
  let tmp: TempDir;
  beforeAll(() => {
    tmp = makeTempDir();
  });
  afterAll(() => tmp.remove());

  const write = async (sub: string, over: Partial<SyntheticSessionOptions> = {}): Promise<Buffer> => {
    const summary = await writeSyntheticSession({
      dir: `${tmp.dir}/${sub}`,
      sessionId: 719161530,
      sessionType: 'functional_connectivity',
      seed: 7,
      scale: 0.001,
      ...over,
    });
    return readFileSync(summary.path);
  };

  it('writes identical bytes for the same seed, even seconds apart', async () => {
    const first = await write('a');
    // HDF5 stores modification times in whole seconds: cross at least one second boundary.
    await sleep(1100);
    const second = await write('b');
    expect(second.length).toBe(first.length);
    expect(second.equals(first)).toBe(true);
  });

  it('writes different bytes for a different seed', async () => {
    const a = await write('c');
    const b = await write('d', { seed: 8 });
    expect(b.equals(a)).toBe(false);
  });

  it('leaves the JavaScript clock as it found it', async () => {
    const RealDate = globalThis.Date;
    const realNow = Date.now;
    await write('e', { onProgress: () => expect(globalThis.Date).toBe(RealDate) });
    expect(globalThis.Date).toBe(RealDate);
    expect(Date.now).toBe(realNow);
  });

  it('rejects a scale outside (0, 2] before writing anything', async () => {
    await expect(write('f', { scale: 0 })).rejects.toThrow(RangeError);
  });
});

describe('PinnedClock', () => {
  it('fixes Date.now and new Date() inside run, and restores them', () => {
    const epoch = Date.UTC(2020, 4, 26, 12);
    const clock = new PinnedClock(epoch);
    const inside = clock.run(() => ({ now: Date.now(), date: new Date().getTime(), explicit: new Date(5).getTime(), isDate: new Date() instanceof Date }));
    expect(inside).toEqual({ now: epoch, date: epoch, explicit: 5, isDate: true });
    expect(Date.now()).toBeGreaterThan(epoch);
  });

  it('gives callbacks the real clock via outside()', () => {
    const epoch = 1_000_000;
    const clock = new PinnedClock(epoch);
    const seen = clock.run(() => [Date.now(), clock.outside(() => Date.now()), Date.now()]);
    expect(seen[0]).toBe(epoch);
    expect(seen[1]).toBeGreaterThan(epoch);
    expect(seen[2]).toBe(epoch);
  });

  it('is not re-entrant', () => {
    const clock = new PinnedClock(0);
    expect(() => clock.run(() => clock.run(() => 1))).toThrow(/re-entrant/);
    expect(Date.now()).toBeGreaterThan(0);
  });
});
