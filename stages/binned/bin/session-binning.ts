// One session's spike binning: every kept unit's spikes are read once, in session order, and
// binned into every output type's (presentation_id, time, unit_id) uint8 tensor.
//
// Memory. A real session's tensors take Σ_types P × T × U bytes: ~380 k (presentation, bin)
// pairs × ~900 units ≈ 350 MB, the largest type ~75 MB. Holding them all ("resident") is the fast
// path: each tensor is written to its file in one piece at the end. Sessions run in parallel
// worker threads, each with its own tensors, so a budget bounds each: above `memoryBudget`
// (default 512 MiB, which every real session fits) the units are split into slabs that fit. A
// slab's columns of every tensor are binned, then written row by row — the (P, T, U) layout makes
// a slab of units a strided set of short runs in the file — and the buffers are cleared for the
// next slab. Spikes are never re-read: each unit belongs to one slab. Besides the tensors, only
// one block of units' spike trains (64 units, a few MB) is held at a time.
//
// Measured on a real-size synthetic session (964 kept units, 38 M of their spikes, 350 M cells):
// the whole stage takes ~5 s, of which reading spikes ~1 s and binning ~2.5 s, and adds ~370 MB
// to the process. Forcing slabs (128 MiB budget: 3 slabs) costs ~1.5× through the row writes.
//
// Within a slab, units are binned a block at a time, presentation-major (see sparse-binning.ts
// for why).

import type { NpyWriter } from '../../arrays/npy-writer.js';
import type { TypePlan } from './plan.js';
import { binBlockSparse } from './sparse-binning.js';

export const DEFAULT_MEMORY_BUDGET = 512 * 1024 * 1024;
/** A cache line of units: a block's cells of one bin share one or two lines. */
export const DEFAULT_UNITS_PER_BLOCK = 64;

export interface SessionBinningOptions {
  readonly plans: readonly TypePlan[];
  readonly nUnits: number;
  /** Spike times of unit `u` (session order), ascending; called once per unit, in order. */
  readonly spikesOf: (unit: number) => Float64Array;
  /** One writer per plan, created with shape [P, nBins, nUnits] and dtype |u1. */
  readonly writers: readonly NpyWriter<'|u1'>[];
  /** Bytes of tensor buffers to hold at most (default 512 MiB). */
  readonly memoryBudget?: number;
  readonly unitsPerBlock?: number;
  /** Checked before each unit is read; an abort stops the binning with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called after each block with the number of units binned so far. */
  readonly onProgress?: (unitsDone: number) => void;
}

export interface SessionBinningResult {
  /** Units per slab: nUnits when every tensor was held whole. */
  readonly slabUnits: number;
  readonly slabs: number;
}

/** How many units' columns of all tensors fit in the budget. */
export function slabWidth(options: { readonly cellsPerUnit: number; readonly nUnits: number; readonly memoryBudget: number; readonly unitsPerBlock: number }): number {
  const { cellsPerUnit, nUnits, memoryBudget, unitsPerBlock } = options;
  if (nUnits === 0 || cellsPerUnit === 0 || cellsPerUnit * nUnits <= memoryBudget) return Math.max(1, nUnits);
  const fit = Math.max(1, Math.floor(memoryBudget / cellsPerUnit));
  // Whole blocks keep each block's cells within whole cache lines of the slab.
  return fit >= unitsPerBlock ? fit - (fit % unitsPerBlock) : fit;
}

export function binSession(options: SessionBinningOptions): SessionBinningResult {
  const { plans, nUnits, writers } = options;
  if (writers.length !== plans.length) throw new RangeError(`${plans.length} plans but ${writers.length} writers`);
  const unitsPerBlock = options.unitsPerBlock ?? DEFAULT_UNITS_PER_BLOCK;
  const cellsPerUnit = plans.reduce((sum, p) => sum + p.selected.id.length * p.nBins, 0);
  const width = slabWidth({ cellsPerUnit, nUnits, memoryBudget: options.memoryBudget ?? DEFAULT_MEMORY_BUDGET, unitsPerBlock });
  const buffers = plans.map((p) => new Uint8Array(p.selected.id.length * p.nBins * width));
  let slabs = 0;
  for (let s0 = 0; s0 < nUnits; s0 += width) {
    const s1 = Math.min(nUnits, s0 + width);
    if (slabs > 0) for (const b of buffers) b.fill(0);
    for (let b0 = s0; b0 < s1; b0 += unitsPerBlock) {
      const b1 = Math.min(s1, b0 + unitsPerBlock);
      const spikes: Float64Array[] = [];
      for (let u = b0; u < b1; u++) {
        options.signal?.throwIfAborted();
        spikes.push(options.spikesOf(u));
      }
      plans.forEach((plan, i) => {
        const { startTime, stopTime, clipToStop } = plan.selected;
        binBlockSparse({
          spikes,
          startTime,
          stopTime,
          edges: plan.edges,
          clipToStop,
          values: { kind: 'counts', out: buffers[i]! },
          layout: { offset: b0 - s0, unitStride: 1, presentationStride: plan.nBins * width, timeStride: width },
        });
      });
      options.onProgress?.(b1);
    }
    plans.forEach((plan, i) => flushSlab({ buffer: buffers[i]!, writer: writers[i]!, rows: plan.selected.id.length * plan.nBins, width, nUnits, s0, s1 }));
    slabs++;
  }
  return { slabUnits: width, slabs };
}

/** Writes units [s0, s1) of a slab buffer laid out (rows, width) into the (rows, nUnits) file. */
function flushSlab(o: {
  readonly buffer: Uint8Array;
  readonly writer: NpyWriter<'|u1'>;
  readonly rows: number;
  readonly width: number;
  readonly nUnits: number;
  readonly s0: number;
  readonly s1: number;
}): void {
  const { buffer, writer, rows, width, nUnits, s0, s1 } = o;
  if (width === nUnits) {
    writer.write(buffer, 0);
    return;
  }
  const w = s1 - s0;
  for (let r = 0; r < rows; r++) writer.write(buffer.subarray(r * width, r * width + w), r * nUnits + s0);
}
