// `pipe access`: plain NumPy arrays for one stimulus and one brain structure
// (binned-dataset.md §8, last bullet; the seed's access_stimulus_structure). One `.npy` per
// session that has the structure, named `session_<id>-<stimulus>-<structure>-<data>.npy`:
// - spike_data transposed to (unit_id, presentation_id, time), int8 (or uint8 counts);
// - speed as (presentation_id, time), float32.
//
// spike_data is transposed in blocks of units, so memory stays bounded by one block however
// large the group. Each .npy is written under a temporary name and renamed when complete, so an
// interrupted run never leaves a truncated array under the final name.

import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StageError } from '../../../engine/builtin/types.js';
import { compareCodeUnits, SPEED, SPIKE_DATA, sessionGroupName, type SpikeDtype } from './layout.js';
import { rmSync } from 'node:fs';
import { NpyWriter, writeNpy } from '../../arrays/npy-writer.js';
import type { NpyDtype } from '../../arrays/npy-format.js';
import { openStimulusFileReader, type GroupInfo, type StimulusFileReader } from './stimulus-file-reader.js';

export const ACCESS_DATA = [SPIKE_DATA, SPEED] as const;
export type AccessData = (typeof ACCESS_DATA)[number];

export interface AccessOptions {
  /** Directory of per-stimulus files `<stimulus>.h5`, e.g. `data/02_stimulus_types`. */
  readonly dataDir: string;
  readonly stimulus: string;
  readonly structure: string;
  /** Created if missing. */
  readonly outDir: string;
  /** Default `spike_data`. */
  readonly data?: AccessData;
  /** Bound on the spike_data block held in memory while transposing; default 16 MiB. */
  readonly blockBytes?: number;
}

export interface AccessedArray {
  readonly sessionId: number;
  readonly path: string;
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
}

const DEFAULT_BLOCK_BYTES = 16 * 1024 * 1024;

const NPY_SPIKE_DTYPE: Readonly<Record<SpikeDtype, NpyDtype>> = { int8: '|i1', uint8: '|u1' };

/** Writes the arrays and returns them in ascending session order. */
export async function accessStimulusStructure(options: AccessOptions): Promise<readonly AccessedArray[]> {
  const data: string = options.data ?? SPIKE_DATA;
  if (!(ACCESS_DATA as readonly string[]).includes(data)) {
    throw new StageError(`unknown data "${data}"; available: ${ACCESS_DATA.join(', ')}`);
  }
  const stimuli = await listStimuli(options.dataDir);
  if (!stimuli.includes(options.stimulus)) {
    throw new StageError(
      `no stimulus "${options.stimulus}" in ${options.dataDir}; available: ${stimuli.join(', ') || '(none)'}`,
    );
  }
  const reader = await openStimulusFileReader(join(options.dataDir, `${options.stimulus}.h5`));
  try {
    const groups = reader.groups();
    const structures = [...new Set(groups.map((g) => g.structure))].sort(compareCodeUnits);
    if (!structures.includes(options.structure)) {
      throw new StageError(
        `no structure "${options.structure}" in stimulus ${options.stimulus}; available: ${structures.join(', ') || '(none)'}`,
      );
    }
    await mkdir(options.outDir, { recursive: true });
    const blockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
    const out: AccessedArray[] = [];
    for (const group of groups.filter((g) => g.structure === options.structure)) {
      const path = join(
        options.outDir,
        `${sessionGroupName(group.sessionId)}-${options.stimulus}-${options.structure}-${data}.npy`,
      );
      const write = (tmp: string) =>
        data === SPEED ? writeSpeed(reader, group, tmp) : writeSpikes(reader, group, tmp, blockBytes);
      out.push({ ...(await writeAtomically(path, write)), path });
    }
    return out;
  } finally {
    reader.close();
  }
}

/** Stimulus names of the `<stimulus>.h5` files in `dataDir`, sorted. */
export async function listStimuli(dataDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StageError(`cannot list ${dataDir}: ${code === 'ENOENT' ? 'no such directory' : (code ?? String(e))}`);
  }
  return names
    .filter((n) => n.endsWith('.h5') && n.length > 3)
    .map((n) => n.slice(0, -3))
    .sort(compareCodeUnits);
}

async function writeAtomically(
  path: string,
  write: (tmp: string) => Promise<Omit<AccessedArray, 'path'>>,
): Promise<Omit<AccessedArray, 'path'>> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const written = await write(tmp);
    await rename(tmp, path);
    return written;
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** (unit_id, presentation_id, time) from the stored (presentation_id, time, unit_id). */
async function writeSpikes(
  reader: StimulusFileReader,
  group: GroupInfo,
  path: string,
  blockBytes: number,
): Promise<Omit<AccessedArray, 'path'>> {
  const { nPresentations: P, nTimes: T, nUnits: U } = group;
  const dtype = NPY_SPIKE_DTYPE[group.spikeDtype];
  const shape = [U, P, T];
  const block = unitBlock(blockBytes, P * T, reader.spikeChunkShape(group)?.[2]);
  const writer = NpyWriter.create({ path, dtype, shape });
  try {
    for (let u0 = 0; u0 < U; u0 += block) {
      const k = Math.min(block, U - u0);
      const slab = reader.readSpikeUnits(group, u0, u0 + k); // (P, T, k)
      const out = group.spikeDtype === 'int8' ? new Int8Array(k * P * T) : new Uint8Array(k * P * T);
      for (let p = 0; p < P; p++) {
        for (let t = 0; t < T; t++) {
          const from = (p * T + t) * k;
          for (let u = 0; u < k; u++) out[(u * P + p) * T + t] = slab[from + u]!;
        }
      }
      writer.write(out, u0 * P * T);
    }
  } catch (e) {
    writer.close();
    rmSync(path, { force: true });
    throw e;
  }
  writer.close();
  return { sessionId: group.sessionId, dtype, shape };
}

/**
 * Units per block: as many as fit in `blockBytes`, in whole chunk columns when spike_data is
 * chunked, so that each chunk is inflated once (a block cutting through a chunk column would
 * inflate those chunks again for the next block).
 */
function unitBlock(blockBytes: number, bytesPerUnit: number, chunkUnits: number | undefined): number {
  const fit = Math.max(1, Math.floor(blockBytes / Math.max(1, bytesPerUnit)));
  if (!chunkUnits) return fit;
  return Math.max(chunkUnits, Math.floor(fit / chunkUnits) * chunkUnits);
}

/** (presentation_id, time) from the stored (time, presentation_id). */
async function writeSpeed(reader: StimulusFileReader, group: GroupInfo, path: string): Promise<Omit<AccessedArray, 'path'>> {
  const speed = reader.readSpeed(group);
  const [T, P] = speed.shape;
  const out = new Float32Array(P * T);
  for (let t = 0; t < T; t++) {
    for (let p = 0; p < P; p++) out[p * T + t] = speed.data[t * P + p]!;
  }
  const dtype: NpyDtype = '<f4';
  writeNpy({ path, shape: [P, T], data: out });
  return { sessionId: group.sessionId, dtype, shape: [P, T] };
}
