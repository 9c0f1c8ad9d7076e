// Measures how the reader reads spike trains from a session-sized file (131,242,535 float64
// spikes, 1.05 GB, contiguous — the size of /units/spike_times in session 715093703). Opt-in,
// because it writes 1 GB to the temp dir:
//
//   NWB_BENCH=1 npx vitest run test/nwb/spike-read-benchmark.test.ts
//
// It prints the numbers (recorded in test/nwb/README.md) and asserts only behaviour: every value
// read is the value written, and the process never holds the file in memory. No timing asserts.

import { execFileSync } from 'node:child_process';
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { H5File } from '../../stages/allen/nwb/h5file.js';
import { readNumeric } from '../../stages/allen/nwb/h5read.js';
import { withNwbSession } from '../../stages/allen/nwb/session.js';
import { makeTempDir, PYTHON_H5PY, runPythonCode, type TempDir } from './helpers.js';

const ENABLED = process.env['NWB_BENCH'] === '1';
if (!ENABLED) console.warn('[test/nwb] SKIPPED spike-read benchmark: set NWB_BENCH=1 to run it (writes 1 GB to the temp dir)');

const SPIKES = 131_242_535;
const UNITS = 2779;
const SLICE = 30_000;
const SLICES = 1000;

/** Written by a separate node process, so that its 2 GB of write buffers never inflate our RSS. */
const WRITER = `
import h5wasm from 'h5wasm/node';
await h5wasm.ready;
const [file, n, units] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const f = new h5wasm.File(file, 'w');
f.create_dataset({ name: 'identifier', data: 'bench' });
const u = f.create_group('units');
u.create_attribute('colnames', ['spike_times']);
u.create_dataset({ name: 'id', data: BigInt64Array.from({ length: units }, (_, i) => BigInt(950000000 + i)) });
// spike i has time i / 1000 (exact in float64), so any value read can be checked.
const times = new Float64Array(n);
for (let i = 0; i < n; i++) times[i] = i / 1000;
u.create_dataset({ name: 'spike_times', data: times });
u.create_dataset({ name: 'spike_times_index', data: BigInt64Array.from({ length: units }, (_, i) => BigInt(Math.round(((i + 1) * n) / units))) });
f.close();
`;

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** A deterministic pseudo-random generator in [0, 1), so runs are comparable. */
function lcg(seed = 12345): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

function randomStarts(count: number, max: number): number[] {
  const next = lcg();
  return Array.from({ length: count }, () => Math.floor(next() * max));
}

/** Fisher–Yates with the same generator. */
function shuffled(n: number): number[] {
  const next = lcg(777);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

describe.skipIf(!ENABLED)('spike-read benchmark (1 GB file)', () => {
  let tmp: TempDir;
  let file: string;
  const report: string[] = [];
  let peakRss = 0;
  const sampleRss = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };

  beforeAll(() => {
    tmp = makeTempDir('pipe-nwb-bench-');
    file = tmp.file('big_session.nwb');
    const t = performance.now();
    execFileSync(process.execPath, ['--input-type=module', '-e', WRITER, file, String(SPIKES), String(UNITS)], { cwd: process.cwd(), stdio: 'inherit' });
    report.push(`wrote ${mib(statSync(file).size)} in ${((performance.now() - t) / 1000).toFixed(1)} s (separate process)`);
  }, 300_000);

  afterAll(() => {
    tmp?.remove();
    console.log(['', 'spike-read benchmark', ...report.map((l) => `  ${l}`)].join('\n'));
  });

  it('opens without loading the file and reads 1000 random 30,000-spike slices', async () => {
    const before = process.memoryUsage().rss;
    let t = performance.now();
    const h5 = await H5File.open(file);
    report.push(`open (incl. loading h5wasm): ${(performance.now() - t).toFixed(0)} ms, RSS ${mib(before)} → ${mib(process.memoryUsage().rss)}`);
    try {
      const starts = randomStarts(SLICES, SPIKES - SLICE);
      for (const pass of [1, 2]) {
        t = performance.now();
        let wrong = 0;
        for (const [k, s] of starts.entries()) {
          const v = readNumeric(h5, '/units/spike_times', { start: s, end: s + SLICE }).values;
          if (v[0] !== s / 1000 || v[SLICE - 1] !== (s + SLICE - 1) / 1000 || v.length !== SLICE) wrong++;
          if (k % 50 === 0) sampleRss();
        }
        const ms = performance.now() - t;
        report.push(
          `reader, ${SLICES} random slices × ${SLICE} (pass ${pass}): ${ms.toFixed(0)} ms = ${(ms / SLICES).toFixed(3)} ms/slice, ` +
            `${mib((SLICES * SLICE * 8) / (ms / 1000))}/s, peak RSS ${mib(peakRss)}`,
        );
        expect(wrong).toBe(0);
      }
      const wasmHeap = h5.module.HEAPU8.length;
      report.push(`wasm heap after the slices: ${mib(wasmHeap)}`);
      expect(wasmHeap).toBeLessThan(statSync(file).size / 4);
    } finally {
      h5.close();
    }
    expect(peakRss).toBeLessThan(statSync(file).size / 2);
  });

  it('reads every unit’s spikes through the index, in file order and in shuffled order', async () => {
    await withNwbSession(file, (s) => {
      const rows = s.units().rows;
      for (const [label, order] of [
        ['file order', Array.from({ length: rows }, (_, i) => i)],
        ['shuffled', shuffled(rows)],
      ] as const) {
        const t = performance.now();
        let total = 0;
        for (const [k, row] of order.entries()) {
          const v = s.spikeTimes(row);
          const start = row === 0 ? 0 : (s.units().spikeTimesEnd[row - 1] as number);
          expect(v[0]).toBe(start / 1000);
          total += v.length;
          if (k % 100 === 0) sampleRss();
        }
        const ms = performance.now() - t;
        report.push(`reader, all ${rows} units (${label}): ${total} spikes in ${ms.toFixed(0)} ms, peak RSS ${mib(peakRss)}`);
        expect(total).toBe(SPIKES);
      }
    });
    expect(peakRss).toBeLessThan(statSync(file).size / 2);
  });

  // The alternative evaluated: pread of the contiguous bytes at the dataset's file offset. h5wasm
  // does not expose H5Dget_offset, so the offset comes from h5py here.
  it.skipIf(!PYTHON_H5PY)('compares with h5wasm Dataset.slice and with a raw pread at the data offset', async () => {
    const offset = Number(runPythonCode('import sys,h5py\nprint(h5py.File(sys.argv[1],"r")["units/spike_times"].id.get_offset())', [file]).trim());
    const starts = randomStarts(SLICES, SPIKES - SLICE);
    const h5 = await H5File.open(file);
    const fd = openSync(file, 'r');
    try {
      const ds = h5.entity('/units/spike_times');
      if (ds.kind !== 'dataset') throw new Error('no dataset');
      const readers: [string, (s: number) => Float64Array][] = [
        ['h5wasm Dataset.slice', (s) => ds.dataset.slice([[s, s + SLICE]]) as Float64Array],
        ['fs.readSync at the offset', (s) => {
          const out = new Float64Array(SLICE);
          readSync(fd, new Uint8Array(out.buffer), 0, SLICE * 8, offset + s * 8);
          return out;
        }],
      ];
      for (const [label, read] of readers) {
        const t = performance.now();
        for (const s of starts) expect(read(s)[SLICE - 1]).toBe((s + SLICE - 1) / 1000);
        const ms = performance.now() - t;
        report.push(`${label}, ${SLICES} random slices × ${SLICE}: ${ms.toFixed(0)} ms = ${(ms / SLICES).toFixed(3)} ms/slice`);
      }
    } finally {
      closeSync(fd);
      h5.close();
    }
  });
});
