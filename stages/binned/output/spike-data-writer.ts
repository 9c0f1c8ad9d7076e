// Streaming writes into one pre-created spike_data variable (presentation_id, time, unit_id).
//
// The dataset is created at its final shape before any data exists (netcdf4.ts `createVariable`
// without values), and blocks are written into it with HDF5 hyperslab writes, so a file never
// has to be in memory. A writer streams along one axis, chosen by its first call:
// - writePresentations(start, block): presentations [start, start+k) × all bins × all units;
// - writeUnits(start, block): all presentations × all bins × units [start, start+k).
// Blocks may have any size and come in any order; each index is written exactly once.
//
// Why blocks are staged: with gzip, a write that covers part of a chunk makes HDF5 read, inflate,
// merge and re-deflate that chunk, at every such write (h5wasm opens and closes the dataset on
// each call, which empties HDF5's chunk cache in between). Writing a 2000 × 14 × 400 tensor one
// unit at a time into (250, 14, 50) chunks measured 1.4 MB/s, against 25–32 MB/s in chunk-aligned
// blocks; with the staging below, one unit at a time runs at 20–25 MB/s. So the axis is cut into
// slabs — one chunk row (presentations) or column (units) — and a block that does not cover
// whole slabs is copied into its slabs' staging buffers, each written with a single aligned write
// once all its indices have arrived. Contiguous storage (`compression: none`) needs no staging
// for presentations (a presentation is one contiguous run of bytes), but one unit is P·T single
// bytes U apart, so units are staged in slabs of up to 16 MiB there too (~30 MB/s one unit at a
// time, ~500 MB/s by presentation). Memory: one buffer per slab being filled (a chunk row or
// column is at most a few MiB for real groups); blocks in ascending order keep one in flight.
//
// Each index is recorded when it reaches the file, so that `close()` of the file can refuse a
// tensor with holes: an unwritten cell would otherwise read back silently as 0 (HDF5's fill
// value), indistinguishable from "no spike".

import type { Dataset } from 'h5wasm/node';
import type { SpikeArray, SpikeDtype } from './layout.js';

export type StreamAxis = 'presentations' | 'units';

export interface SpikeDataWriterOptions {
  readonly dataset: Dataset;
  /** [presentations, time bins, units]. */
  readonly shape: readonly [number, number, number];
  /** null when stored contiguously. */
  readonly chunkShape: readonly [number, number, number] | null;
  readonly dtype: SpikeDtype;
  /** Names the variable in messages, e.g. `session_1/VISp/spike_data`. */
  readonly label: string;
  /** Runs an h5wasm call on the open file (pinned clock, closed-file check). */
  readonly run: <T>(call: () => T) => T;
}

/** Staging bound for units of contiguous spike_data. */
const CONTIGUOUS_UNIT_SLAB_BYTES = 16 * 1024 * 1024;

interface Slab {
  readonly data: SpikeArray;
  received: number;
}

export class SpikeDataWriter {
  readonly shape: readonly [number, number, number];
  /** Chunk extents [presentations, bins, units], or null for contiguous storage. */
  readonly chunkShape: readonly [number, number, number] | null;
  readonly dtype: SpikeDtype;
  private axis: StreamAxis | undefined;
  private received: Uint8Array = new Uint8Array(0);
  private readonly slabs = new Map<number, Slab>();
  private indicesInFile = 0;

  constructor(private readonly options: SpikeDataWriterOptions) {
    this.shape = options.shape;
    this.chunkShape = options.chunkShape;
    this.dtype = options.dtype;
  }

  get label(): string {
    return this.options.label;
  }

  /** `block` is (k, time, unit_id) in C order, k = block.length / (T·U). */
  writePresentations(start: number, block: SpikeArray): void {
    this.write('presentations', start, block);
  }

  /** `block` is (presentation_id, time, k) in C order, k = block.length / (P·T). */
  writeUnits(start: number, block: SpikeArray): void {
    this.write('units', start, block);
  }

  /** What is not in the file yet ("3 of 40 units not written"), or null when complete. */
  missing(): string | null {
    if (!this.axis) return 'nothing written';
    const n = this.extent(this.axis);
    return this.indicesInFile === n ? null : `${n - this.indicesInFile} of ${n} ${this.axis} not written`;
  }

  private write(axis: StreamAxis, start: number, block: SpikeArray): void {
    if (this.axis !== undefined && this.axis !== axis) {
      throw new Error(`${this.label}: streamed by ${this.axis} so far; a spike_data is written along one axis`);
    }
    const n = this.extent(axis);
    const k = this.blockExtent(block, axis);
    if (!Number.isInteger(start) || start < 0 || start + k > n) {
      throw new RangeError(`${this.label}: ${axis} [${start}, ${start + k}) outside [0, ${n})`);
    }
    if (this.axis === undefined) {
      this.axis = axis;
      this.received = new Uint8Array(n);
    }
    for (let i = start; i < start + k; i++) {
      if (this.received[i]) throw new Error(`${this.label}: ${axis} index ${i} written twice`);
    }
    this.received.fill(1, start, start + k);

    const width = this.slabWidth(axis);
    if (start % width === 0 && (k % width === 0 || start + k === n)) {
      // Whole slabs (none of them staged, as none of their indices arrived before): straight in.
      this.flush(axis, start, start + k, block);
      return;
    }
    for (let slab = Math.floor(start / width); slab * width < start + k; slab++) {
      const s0 = slab * width;
      const s1 = Math.min(n, s0 + width);
      const from = Math.max(start, s0);
      const to = Math.min(start + k, s1);
      const staged = this.slabs.get(slab) ?? { data: this.allocate((s1 - s0) * this.cellsPerIndex(axis)), received: 0 };
      this.copyIntoSlab(axis, block, start, k, staged.data, s0, s1 - s0, from, to);
      staged.received += to - from;
      if (staged.received === s1 - s0) {
        this.slabs.delete(slab);
        this.flush(axis, s0, s1, staged.data);
      } else {
        this.slabs.set(slab, staged);
      }
    }
  }

  private extent(axis: StreamAxis): number {
    return axis === 'presentations' ? this.shape[0] : this.shape[2];
  }

  /** Values per index along `axis`: T·U for a presentation, P·T for a unit. */
  private cellsPerIndex(axis: StreamAxis): number {
    const [P, T, U] = this.shape;
    return axis === 'presentations' ? T * U : P * T;
  }

  private slabWidth(axis: StreamAxis): number {
    if (this.chunkShape) return axis === 'presentations' ? this.chunkShape[0] : this.chunkShape[2];
    if (axis === 'presentations') return 1;
    return Math.max(1, Math.floor(CONTIGUOUS_UNIT_SLAB_BYTES / this.cellsPerIndex('units')));
  }

  private blockExtent(block: SpikeArray, axis: StreamAxis): number {
    const expected = this.dtype === 'int8' ? Int8Array : Uint8Array;
    if (!(block instanceof expected)) {
      throw new TypeError(`${this.label}: spike_data is ${this.dtype}, so blocks must be ${expected.name}s`);
    }
    const per = this.cellsPerIndex(axis);
    if (block.length === 0 || block.length % per !== 0) {
      throw new RangeError(
        `${this.label}: a block of ${axis} must hold a positive multiple of ${per} values, got ${block.length}`,
      );
    }
    return block.length / per;
  }

  private allocate(length: number): SpikeArray {
    return this.dtype === 'int8' ? new Int8Array(length) : new Uint8Array(length);
  }

  /**
   * Copies indices [from, to) of a block that starts at index `start` and holds `k` indices into
   * a slab that starts at `s0` and holds `width` indices, both in the file's axis order.
   */
  private copyIntoSlab(
    axis: StreamAxis,
    block: SpikeArray,
    start: number,
    k: number,
    slab: SpikeArray,
    s0: number,
    width: number,
    from: number,
    to: number,
  ): void {
    if (axis === 'presentations') {
      // (k, T, U) into (width, T, U): whole presentations are contiguous runs.
      const per = this.cellsPerIndex(axis);
      slab.set(block.subarray((from - start) * per, (to - start) * per), (from - s0) * per);
      return;
    }
    // (P, T, k) into (P, T, width): one run of (to − from) units per (presentation, bin).
    const rows = this.cellsPerIndex(axis);
    const n = to - from;
    for (let r = 0; r < rows; r++) {
      const src = r * k + (from - start);
      const dst = r * width + (from - s0);
      for (let j = 0; j < n; j++) slab[dst + j] = block[src + j]!;
    }
  }

  private flush(axis: StreamAxis, from: number, to: number, data: SpikeArray): void {
    const range: [number, number] = [from, to];
    this.options.run(() => this.options.dataset.write_slice(axis === 'presentations' ? [range, [], []] : [[], [], range], data));
    this.indicesInFile += to - from;
  }
}
