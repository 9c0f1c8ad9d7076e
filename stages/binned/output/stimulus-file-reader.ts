// Reads our own per-stimulus files (layout.ts) through h5wasm, for `pipe access` and the
// statistics table. Not a general netCDF reader: it relies on the layout the writer produces.

import { open } from 'node:fs/promises';
import type { Dataset, File as H5File, Group } from 'h5wasm/node';
import { StageError } from '../../../engine/builtin/types.js';
import { loadH5, type H5Runtime } from './h5-runtime.js';
import {
  GAZE_DATA,
  PRESENTATION_ID,
  SPEED,
  SPIKE_DATA,
  TIME,
  UNIT_ID,
  compareGroups,
  parseSessionGroupName,
  sessionGroupName,
  type SpikeArray,
  type SpikeDtype,
} from './layout.js';

export interface GroupRef {
  readonly sessionId: number;
  readonly structure: string;
}

/** What a (session, structure) group holds, from metadata only. */
export interface GroupInfo extends GroupRef {
  readonly nPresentations: number;
  readonly nTimes: number;
  readonly nUnits: number;
  readonly spikeDtype: SpikeDtype;
  readonly hasGaze: boolean;
}

export interface SpikeData {
  /** (presentation_id, time, unit_id), C order. */
  readonly data: SpikeArray;
  readonly dtype: SpikeDtype;
  readonly shape: readonly [number, number, number];
  readonly presentationIds: readonly number[];
  readonly timeCentres: Float64Array;
  readonly unitIds: readonly number[];
}

export interface Speed {
  /** (time, presentation_id), C order. */
  readonly data: Float32Array;
  readonly shape: readonly [number, number];
  readonly timeCentres: Float64Array;
  readonly presentationIds: readonly number[];
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export async function openStimulusFileReader(path: string): Promise<StimulusFileReader> {
  await checkIsHdf5(path);
  const rt = await loadH5();
  const file = new rt.lib.File(path, 'r');
  // h5wasm reports a failed H5Fopen as a negative id, not as an exception.
  if (file.file_id < 0n) throw new StageError(`HDF5 could not open ${path} (the HDF5 error stack above says why)`);
  return new StimulusFileReader(rt, file, path);
}

/** Our files start with the HDF5 signature at byte 0 (no user block). */
async function checkIsHdf5(path: string): Promise<void> {
  let head: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      head = Buffer.alloc(HDF5_SIGNATURE.length);
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StageError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(e))}`);
  }
  if (!HDF5_SIGNATURE.every((b, i) => head[i] === b)) {
    throw new StageError(`${path} is not an HDF5 file`, 'expected a per-stimulus file written by pipe');
  }
}

export class StimulusFileReader {
  private closed = false;
  private cachedGroups: readonly GroupInfo[] | undefined;

  /** Use `openStimulusFileReader`. */
  constructor(
    private readonly rt: H5Runtime,
    private readonly file: H5File,
    readonly path: string,
  ) {}

  /** Every (session, structure) group, ascending by session id then acronym. */
  groups(): readonly GroupInfo[] {
    this.cachedGroups ??= this.scanGroups();
    return this.cachedGroups;
  }

  readSpikeData(ref: GroupRef): SpikeData {
    const group = this.leafGroup(ref, SPIKE_DATA);
    const dataset = this.dataset(group, SPIKE_DATA);
    const [P, T, U] = this.shape(dataset, 3);
    return {
      data: dataset.value as SpikeArray,
      dtype: spikeDtypeOf(dataset),
      shape: [P, T, U],
      presentationIds: this.ids(group, PRESENTATION_ID),
      timeCentres: this.dataset(group, TIME).value as Float64Array,
      unitIds: this.ids(group, UNIT_ID),
    };
  }

  /** Units [start, end) of spike_data: (presentation_id, time, end − start), C order. */
  readSpikeUnits(ref: GroupRef, start: number, end: number): SpikeArray {
    const dataset = this.dataset(this.leafGroup(ref, SPIKE_DATA), SPIKE_DATA);
    return dataset.slice([[], [], [start, end]]) as SpikeArray;
  }

  /** Chunk extents of spike_data, or null when stored contiguously. */
  spikeChunkShape(ref: GroupRef): readonly number[] | null {
    return this.dataset(this.leafGroup(ref, SPIKE_DATA), SPIKE_DATA).metadata.chunks;
  }

  readSpeed(ref: GroupRef): Speed {
    const group = this.leafGroup(ref, SPEED);
    const dataset = this.dataset(group, SPEED);
    const [T, P] = this.shape(dataset, 2);
    return {
      data: dataset.value as Float32Array,
      shape: [T, P],
      timeCentres: this.dataset(group, TIME).value as Float64Array,
      presentationIds: this.ids(group, PRESENTATION_ID),
    };
  }

  /** Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.file.close();
  }

  private scanGroups(): GroupInfo[] {
    const out: GroupInfo[] = [];
    for (const sessionName of this.open().keys()) {
      const sessionId = parseSessionGroupName(sessionName);
      const session = this.file.get(sessionName);
      if (sessionId === undefined || !(session instanceof this.rt.lib.Group)) continue;
      for (const structure of session.keys()) {
        const group = session.get(structure);
        if (!(group instanceof this.rt.lib.Group)) continue;
        const spikes = group.get(`${SPIKE_DATA}/${SPIKE_DATA}`);
        if (!(spikes instanceof this.rt.lib.Dataset)) continue;
        const [P, T, U] = this.shape(spikes, 3);
        out.push({
          sessionId,
          structure,
          nPresentations: P,
          nTimes: T,
          nUnits: U,
          spikeDtype: spikeDtypeOf(spikes),
          hasGaze: group.get(GAZE_DATA) instanceof this.rt.lib.Group,
        });
      }
    }
    return out.sort(compareGroups);
  }

  private open(): H5File {
    if (this.closed) throw new Error(`${this.path} was already closed`);
    return this.file;
  }

  private leafGroup(ref: GroupRef, leaf: string): Group {
    const path = `${sessionGroupName(ref.sessionId)}/${ref.structure}/${leaf}`;
    const group = this.open().get(path);
    if (!(group instanceof this.rt.lib.Group)) throw new StageError(`${this.path} has no group ${path}`);
    return group;
  }

  private dataset(group: Group, name: string): Dataset {
    const dataset = group.get(name);
    if (!(dataset instanceof this.rt.lib.Dataset)) throw new StageError(`${this.path} has no variable ${group.path}/${name}`);
    return dataset;
  }

  private shape(dataset: Dataset, rank: 2): [number, number];
  private shape(dataset: Dataset, rank: 3): [number, number, number];
  private shape(dataset: Dataset, rank: number): number[] {
    const shape = dataset.shape;
    if (!shape || shape.length !== rank) {
      throw new StageError(`${this.path}: ${dataset.path} has shape [${shape?.join(', ') ?? ''}], expected rank ${rank}`);
    }
    return shape;
  }

  private ids(group: Group, name: string): number[] {
    return Array.from(this.dataset(group, name).value as BigInt64Array, Number);
  }
}

function spikeDtypeOf(dataset: Dataset): SpikeDtype {
  const { type, size, signed } = dataset.metadata;
  // type 0 is H5T_INTEGER.
  if (type !== 0 || size !== 1) throw new StageError(`${dataset.path} is not an 8-bit integer variable`);
  return signed ? 'int8' : 'uint8';
}
