// Small per-stimulus files with known values, written through the real writer, and the values
// every reader is expected to see in them.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GAZE_VARIABLES,
  openStimulusFile,
  type Compression,
  type GazeArrays,
  type SpikeDtype,
  type StructureGroupSpec,
} from '../../stages/binned/output/index.js';

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pipe-binned-output-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface FixtureGroup {
  readonly sessionId: number;
  readonly structure: string;
  readonly P: number;
  readonly T: number;
  readonly unitIds: readonly number[];
  readonly gaze: boolean;
}

/**
 * Session 7 sorts before session 100 numerically but not as text, and CA1 before VISp; session 7
 * has no gaze. Presentation ids are not contiguous, as after the filters of the spec.
 */
export const FIXTURE_GROUPS: readonly FixtureGroup[] = [
  { sessionId: 7, structure: 'VISp', P: 5, T: 3, unitIds: [950000001], gaze: false },
  { sessionId: 100, structure: 'CA1', P: 4, T: 14, unitIds: [42, 7, 9000000000001], gaze: true },
  { sessionId: 100, structure: 'VISp', P: 4, T: 14, unitIds: [5, 6], gaze: true },
];

export const PROVENANCE = {
  toolVersion: 'pipe 0.1.0 (test)',
  parameters: { binWidth: 0.02, binarize: true, tolerances: { movie: 0.01, other: 0.001 } },
  sourceHashes: { 'session_100.nwb': 'xxh128:00ff', 'session_7.nwb': 'xxh128:abcd' },
};

export function presentationIds(g: FixtureGroup): number[] {
  return Array.from({ length: g.P }, (_, p) => 3 * p + g.sessionId);
}

export function timeCentres(g: FixtureGroup): Float64Array {
  return Float64Array.from({ length: g.T }, (_, j) => j * 0.02 + 0.01);
}

/**
 * spike_data (p, t, u): a hashed 0/1 for int8, so that any misplaced block or transposition shows;
 * for uint8, counts that cover 128…255 too (255 is netCDF's default ubyte fill value).
 */
export function spikeValue(dtype: SpikeDtype, p: number, t: number, u: number): number {
  if (dtype === 'uint8') return (p * 61 + t * 17 + u * 101 + 128) % 256;
  return ((Math.imul(p + 1, 73856093) ^ Math.imul(t + 1, 19349663) ^ Math.imul(u + 1, 83492791)) >>> 9) & 1;
}

export function spikeTensor(g: FixtureGroup, dtype: SpikeDtype): Int8Array | Uint8Array {
  const U = g.unitIds.length;
  const out = dtype === 'int8' ? new Int8Array(g.P * g.T * U) : new Uint8Array(g.P * g.T * U);
  for (let p = 0; p < g.P; p++) {
    for (let t = 0; t < g.T; t++) {
      for (let u = 0; u < U; u++) out[(p * g.T + t) * U + u] = spikeValue(dtype, p, t, u);
    }
  }
  return out;
}

/** Columns in the order the writer is given them; start_time needs float64 to round-trip. */
export function presentationColumns(g: FixtureGroup): Record<string, Float64Array> {
  const start = Float64Array.from({ length: g.P }, (_, p) => 5123.456789012345 + p * 0.25 + g.sessionId);
  return {
    orientation: Float64Array.from({ length: g.P }, (_, p) => (p === 1 ? Number.NaN : p * 45)),
    stimulus_block: Float64Array.from({ length: g.P }, () => 2),
    start_time: start,
    stop_time: start.map((s) => s + 0.2502),
    duration: Float64Array.from({ length: g.P }, () => 0.2502),
  };
}

/** speed (time, presentation_id). */
export function speedValues(g: FixtureGroup): Float32Array {
  return Float32Array.from({ length: g.T * g.P }, (_, i) => Math.floor(i / g.P) * 0.5 + (i % g.P) - 1.25);
}

export function gazeValues(g: FixtureGroup): GazeArrays {
  const one = (k: number) => Float32Array.from({ length: g.T * g.P }, (_, i) => (i === 2 ? Number.NaN : k * 100 + i * 0.25));
  return Object.fromEntries(GAZE_VARIABLES.map((name, k) => [name, one(k)])) as unknown as GazeArrays;
}

export function groupSpec(g: FixtureGroup): StructureGroupSpec {
  return {
    sessionId: g.sessionId,
    structure: g.structure,
    presentationIds: presentationIds(g),
    timeCentres: timeCentres(g),
    unitIds: g.unitIds,
    presentations: presentationColumns(g),
    speed: speedValues(g),
    gaze: g.gaze ? gazeValues(g) : null,
  };
}

export type WriteMode = 'presentations' | 'units';

/**
 * Writes the fixture file: spike_data one presentation (or one unit) per call, the finest
 * streaming a binner could do.
 */
export async function writeFixtureFile(options: {
  readonly path: string;
  readonly compression?: Compression;
  readonly spikeDtype?: SpikeDtype;
  readonly mode?: WriteMode;
  readonly groups?: readonly FixtureGroup[];
}): Promise<void> {
  const dtype = options.spikeDtype ?? 'int8';
  const file = await openStimulusFile({
    path: options.path,
    provenance: PROVENANCE,
    ...(options.compression ? { compression: options.compression } : {}),
    spikeDtype: dtype,
  });
  try {
    for (const g of options.groups ?? FIXTURE_GROUPS) {
      const spikes = file.addGroup(groupSpec(g));
      const tensor = spikeTensor(g, dtype);
      const U = g.unitIds.length;
      if ((options.mode ?? 'presentations') === 'presentations') {
        for (let p = 0; p < g.P; p++) spikes.writePresentations(p, tensor.subarray(p * g.T * U, (p + 1) * g.T * U));
      } else {
        for (let u = 0; u < U; u++) {
          const column = dtype === 'int8' ? new Int8Array(g.P * g.T) : new Uint8Array(g.P * g.T);
          for (let i = 0; i < g.P * g.T; i++) column[i] = tensor[i * U + u]!;
          spikes.writeUnits(u, column);
        }
      }
    }
  } catch (e) {
    file.discard();
    throw e;
  }
  file.close();
}
