// The I/O floor, measured in a process of its own (so that its peak RSS and CPU are its own):
// what any program turning this session into these outputs must at least do, with the libraries
// the pipeline uses (the project's NWB reader over h5wasm, and h5wasm for writing).
//
//   read:  open the NWB, read the units table (it holds the spike index), every unit's spike
//          times one hyperslab per unit (as bin_spikes reads them), and the presentation tables;
//   write: as many bytes as the pipeline's final outputs occupy on disk, into one contiguous,
//          uncompressed HDF5 dataset, in 16 MiB slices (as the writers stream), no fsync (the
//          pipeline does not fsync its outputs either).
//
// Usage: node dist/bench/floor-child.js --nwb F --bytes N --intermediate-bytes M --out DIR --kept FILE
// Prints one JSON object on stdout.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openNwbSession } from '../stages/allen/nwb/index.js';
import { createUninitialisedContiguous, loadH5 } from '../stages/binned/output/h5-runtime.js';

const SLICE = 16 * 1024 * 1024;

export interface FloorChildOutput {
  readonly readS: number;
  readonly spikesRead: number;
  readonly bytesRead: number;
  readonly presentationRows: number;
  readonly writeS: number;
  readonly writeIntermediateS: number;
  readonly spikesKept: number;
  readonly units: number;
}

async function writeBytes(file: string, bytes: number): Promise<number> {
  const t0 = performance.now();
  const rt = await loadH5();
  const f = new rt.lib.File(file, 'w');
  try {
    if (bytes > 0) {
      const ds = createUninitialisedContiguous(rt, f, { name: 'bytes', dtype: '<B', shape: [bytes] });
      // Not all zeros, so that nothing along the way can treat the block as sparse.
      const block = new Uint8Array(Math.min(SLICE, bytes));
      for (let i = 0; i < block.length; i++) block[i] = (i * 131) & 0xff;
      for (let at = 0; at < bytes; at += SLICE) {
        const n = Math.min(SLICE, bytes - at);
        ds.write_slice([[at, at + n]], n === block.length ? block : block.subarray(0, n));
      }
    }
  } finally {
    f.close();
  }
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nwb: { type: 'string' },
      bytes: { type: 'string' },
      'intermediate-bytes': { type: 'string' },
      out: { type: 'string' },
      kept: { type: 'string' },
    },
  });
  const nwb = values.nwb!;
  const out = values.out!;
  mkdirSync(out, { recursive: true });

  const t0 = performance.now();
  const session = await openNwbSession(nwb);
  let spikesRead = 0;
  let presentationRows = 0;
  let units = 0;
  const counts: number[] = [];
  try {
    const table = session.units();
    units = table.rows;
    for (let row = 0; row < table.rows; row++) {
      const n = session.spikeTimes(row).length;
      counts.push(n);
      spikesRead += n;
    }
    for (const t of session.presentations()) presentationRows += t.rows;
  } finally {
    session.close();
  }
  const readS = (performance.now() - t0) / 1000;

  const writeS = await writeBytes(join(out, 'final.h5'), Number(values.bytes));
  const writeIntermediateS = await writeBytes(join(out, 'intermediate.h5'), Number(values['intermediate-bytes']));
  rmSync(out, { recursive: true, force: true });

  // Outside the timed part: the spikes bin_spikes reads (kept units only), for throughput.
  const kept = new Set((JSON.parse(readFileSync(values.kept!, 'utf8')) as number[]).map(Number));
  let spikesKept = 0;
  const check = await openNwbSession(nwb);
  try {
    const ids = check.units().id;
    ids.forEach((id, row) => {
      if (kept.has(Number(id))) spikesKept += counts[row]!;
    });
  } finally {
    check.close();
  }

  const result: FloorChildOutput = { readS, spikesRead, bytesRead: spikesRead * 8, presentationRows, writeS, writeIntermediateS, spikesKept, units };
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main();
