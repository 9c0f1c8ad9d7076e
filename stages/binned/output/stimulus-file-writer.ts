// Writes one per-stimulus file `<stimulus>.h5` (binned-dataset.md §8), group by group, with
// spike_data streamed in blocks:
//
//   const file = await openStimulusFile({ path, provenance, compression });
//   try {
//     const spikes = file.addGroup({ sessionId, structure, presentationIds, timeCentres, unitIds,
//                                    presentations, speed, gaze });
//     spikes.writeUnits(0, block);  // blocks of any size, in any order (or writePresentations)
//     ...
//     file.close();  // throws if some spike_data was left unwritten
//   } catch (e) {
//     file.discard();
//     throw e;
//   }
//
// Groups must be added in file order (ascending session id, then acronym): with creation order
// tracked, that is the order every reader lists them in, and a fixed order is part of writing
// the same bytes for the same inputs. Each group's speed, presentations and gaze are small and
// written whole by addGroup. The file is written at `path` directly; making that atomic
// (temp + rename) is the caller's job.
//
// Byte determinism: every h5wasm call runs under a pinned clock (pinned-clock.ts); nothing else
// in what HDF5 writes depends on time, randomness or memory contents (tested: byte-identical
// files written seconds apart in one process; the same holds across processes).

import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { File as H5File, Group } from 'h5wasm/node';
import { StageError } from '../../../engine/builtin/types.js';
import { loadH5, type H5Runtime } from './h5-runtime.js';
import {
  GAZE_DATA,
  GAZE_VARIABLES,
  PRESENTATION_ID,
  PRESENTATIONS,
  SPEED,
  SPIKE_DATA,
  SPIKE_H5_DTYPE,
  TIME,
  UNIT_ID,
  compareGroups,
  isValidObjectName,
  sessionGroupName,
  type GazeArrays,
  type SpikeDtype,
} from './layout.js';
import { DimensionIds, LIBVER_BOUNDS, createCoordinate, createGroup, createVariable, type Dimension } from './netcdf4.js';
import { withPinnedClock } from './pinned-clock.js';
import { writeProvenance, type Provenance } from './provenance.js';
import { SpikeDataWriter } from './spike-data-writer.js';
import { DEFAULT_COMPRESSION, dataStorage, validateCompression, type Compression } from './storage.js';

export interface StimulusFileOptions {
  /** Where to write; an existing file is replaced. */
  readonly path: string;
  readonly provenance: Provenance;
  /** Default: gzip level 4, chunked. `{ kind: 'none' }`: contiguous, as the published files. */
  readonly compression?: Compression;
  /** int8 0/1 (binarize, the default) or uint8 counts. */
  readonly spikeDtype?: SpikeDtype;
}

/** One (session, structure) group. Arrays are C order; ids are integers below 2^53. */
export interface StructureGroupSpec {
  readonly sessionId: number;
  /** Brain-structure acronym, e.g. `VISp`. */
  readonly structure: string;
  /** Global presentation ids, strictly ascending (length P). */
  readonly presentationIds: ArrayLike<number>;
  /** Bin centres in seconds from onset (length T). */
  readonly timeCentres: Float64Array;
  /** Unit ids in session unit order restricted to the structure (length U). */
  readonly unitIds: ArrayLike<number>;
  /** Kept presentation columns (each length P), written as float64 variables in key order. */
  readonly presentations: Readonly<Record<string, Float64Array>>;
  /** (time, presentation_id): T·P values. */
  readonly speed: Float32Array;
  /** Six (time, presentation_id) arrays, or absent/null when the session has no gaze data. */
  readonly gaze?: GazeArrays | null;
}

export async function openStimulusFile(options: StimulusFileOptions): Promise<StimulusFileWriter> {
  const compression = options.compression ?? DEFAULT_COMPRESSION;
  validateCompression(compression);
  const directory = dirname(options.path);
  try {
    await access(directory, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StageError(
      `cannot write ${options.path}: its directory ` +
        (code === 'ENOENT' ? 'does not exist' : `is not writable (${code ?? String(e)})`),
    );
  }
  const rt = await loadH5();
  const file = withPinnedClock(() => new rt.lib.File(options.path, 'w', { track_order: true, libver: LIBVER_BOUNDS }));
  // h5wasm reports a failed H5Fcreate as a negative id, not as an exception.
  if (file.file_id < 0n) {
    throw new StageError(`HDF5 could not create ${options.path} (the HDF5 error stack above says why)`);
  }
  try {
    withPinnedClock(() => writeProvenance(file, options.provenance));
  } catch (e) {
    withPinnedClock(() => file.close());
    throw e;
  }
  return new StimulusFileWriter(rt, file, options.path, compression, options.spikeDtype ?? 'int8');
}

export class StimulusFileWriter {
  private closed = false;
  private readonly dimids = new DimensionIds();
  private readonly spikeWriters: SpikeDataWriter[] = [];
  private last: { readonly sessionId: number; readonly structure: string } | undefined;
  private sessionGroup: Group | undefined;

  /** Use `openStimulusFile`. */
  constructor(
    private readonly rt: H5Runtime,
    private readonly file: H5File,
    readonly path: string,
    readonly compression: Compression,
    readonly spikeDtype: SpikeDtype,
  ) {}

  /** Runs an h5wasm call on this open file under the pinned clock. */
  private run<T>(call: () => T): T {
    if (this.closed) throw new Error(`${this.path} was already closed`);
    return withPinnedClock(call);
  }

  /**
   * Creates `/session_<id>/<structure>/{spike_data, speed, presentations[, gaze_data]}` and
   * returns the writer for its spike_data, which starts with no cell written.
   */
  addGroup(spec: StructureGroupSpec): SpikeDataWriter {
    const shape = checkSpec(spec);
    if (this.last && compareGroups(this.last, spec) >= 0) {
      throw new Error(
        `groups must be added in ascending (session, structure) order: ${sessionGroupName(spec.sessionId)}/${spec.structure} ` +
          `after ${sessionGroupName(this.last.sessionId)}/${this.last.structure}`,
      );
    }
    const writer = this.run(() => this.createGroups(spec, shape));
    this.last = { sessionId: spec.sessionId, structure: spec.structure };
    this.spikeWriters.push(writer);
    return writer;
  }

  /**
   * Closes the file. Throws, after closing, if some spike_data was not written completely (blocks
   * still staged count as not written): the file is then incomplete and must not be used.
   */
  close(): void {
    if (this.closed) return;
    this.discard();
    const incomplete = this.spikeWriters.flatMap((w) => {
      const missing = w.missing();
      return missing === null ? [] : [`${w.label} (${missing})`];
    });
    if (incomplete.length > 0) throw new Error(`${this.path} closed with incomplete spike_data: ${incomplete.join(', ')}`);
  }

  /**
   * Closes the file without the completeness check: after a failure, when the caller is going to
   * delete the file anyway. Idempotent.
   */
  discard(): void {
    if (this.closed) return;
    withPinnedClock(() => this.file.close());
    this.closed = true;
  }

  private createGroups(spec: StructureGroupSpec, shape: GroupShape): SpikeDataWriter {
    const { P, T, U } = shape;
    if (this.last?.sessionId !== spec.sessionId || !this.sessionGroup) {
      this.sessionGroup = createGroup(this.file, sessionGroupName(spec.sessionId));
    }
    const structure = createGroup(this.sessionGroup, spec.structure);
    const presentationIds = BigInt64Array.from(Array.from(spec.presentationIds, BigInt));
    const unitIds = BigInt64Array.from(Array.from(spec.unitIds, BigInt));
    const coordinate = (group: Group, name: string): Dimension => {
      const dimid = this.dimids.take();
      if (name === PRESENTATION_ID) return createCoordinate(group, { name, dtype: '<q', values: presentationIds, dimid });
      if (name === TIME) return createCoordinate(group, { name, dtype: '<d', values: spec.timeCentres, dimid });
      return createCoordinate(group, { name, dtype: '<q', values: unitIds, dimid });
    };

    // spike_data (presentation_id, time, unit_id), created empty for streaming.
    const spikeGroup = createGroup(structure, SPIKE_DATA);
    const spikeDims = [PRESENTATION_ID, TIME, UNIT_ID].map((name) => coordinate(spikeGroup, name));
    const spikeStorage = dataStorage({ compression: this.compression, shape: [P, T, U], itemSize: 1, wholeAxes: [1] });
    const spikes = createVariable(this.rt, spikeGroup, {
      name: SPIKE_DATA,
      dtype: SPIKE_H5_DTYPE[this.spikeDtype],
      dims: spikeDims,
      storage: spikeStorage,
    });

    // speed (time, presentation_id).
    const speedGroup = createGroup(structure, SPEED);
    const speedDims = [TIME, PRESENTATION_ID].map((name) => coordinate(speedGroup, name));
    const timeByPresentation = dataStorage({ compression: this.compression, shape: [T, P], itemSize: 4, wholeAxes: [0] });
    const speed = { name: SPEED, dtype: '<f', dims: speedDims, storage: timeByPresentation, values: spec.speed } as const;
    createVariable(this.rt, speedGroup, speed);

    // presentations: one float64 variable per kept column.
    const presentationsGroup = createGroup(structure, PRESENTATIONS);
    const presentationDim = [coordinate(presentationsGroup, PRESENTATION_ID)];
    const columnStorage = dataStorage({ compression: this.compression, shape: [P], itemSize: 8 });
    for (const [name, values] of Object.entries(spec.presentations)) {
      createVariable(this.rt, presentationsGroup, { name, dtype: '<d', dims: presentationDim, storage: columnStorage, values });
    }

    // gaze_data, only for sessions with gaze.
    if (spec.gaze) {
      const gazeGroup = createGroup(structure, GAZE_DATA);
      const gazeDims = [TIME, PRESENTATION_ID].map((name) => coordinate(gazeGroup, name));
      for (const name of GAZE_VARIABLES) {
        const values = spec.gaze[name];
        createVariable(this.rt, gazeGroup, { name, dtype: '<f', dims: gazeDims, storage: timeByPresentation, values });
      }
    }

    return new SpikeDataWriter({
      dataset: spikes,
      shape: [P, T, U],
      chunkShape: spikeStorage.layout === 'chunked' ? (spikeStorage.chunks as [number, number, number]) : null,
      dtype: this.spikeDtype,
      label: `${sessionGroupName(spec.sessionId)}/${spec.structure}/${SPIKE_DATA}`,
      run: (call) => this.run(call),
    });
  }
}

interface GroupShape {
  readonly P: number;
  readonly T: number;
  readonly U: number;
}

/** Programming errors in a spec are thrown before anything is written. */
function checkSpec(spec: StructureGroupSpec): GroupShape {
  const where = `${sessionGroupName(spec.sessionId)}/${spec.structure}`;
  const fail = (problem: string): never => {
    throw new RangeError(`${where}: ${problem}`);
  };
  if (!Number.isSafeInteger(spec.sessionId) || spec.sessionId < 0) fail('session id must be a non-negative integer');
  if (!isValidObjectName(spec.structure)) fail(`"${spec.structure}" cannot be a group name`);
  const P = spec.presentationIds.length;
  const T = spec.timeCentres.length;
  const U = spec.unitIds.length;
  if (P === 0 || T === 0 || U === 0) fail(`empty group: ${P} presentations, ${T} bins, ${U} units`);
  for (let i = 0; i < P; i++) {
    const id = spec.presentationIds[i]!;
    if (!Number.isSafeInteger(id)) fail(`presentation id ${id} is not an integer`);
    if (i > 0 && id <= spec.presentationIds[i - 1]!) fail('presentation ids must be strictly ascending');
  }
  for (let i = 0; i < U; i++) {
    if (!Number.isSafeInteger(spec.unitIds[i]!)) fail(`unit id ${spec.unitIds[i]} is not an integer`);
  }
  if (spec.speed.length !== T * P) fail(`speed has ${spec.speed.length} values, (time, presentation_id) needs ${T * P}`);
  for (const [name, values] of Object.entries(spec.presentations)) {
    if (!isValidObjectName(name) || name === PRESENTATION_ID) fail(`"${name}" cannot be a presentations variable`);
    if (values.length !== P) fail(`presentations.${name} has ${values.length} values for ${P} presentations`);
  }
  if (spec.gaze) {
    for (const name of GAZE_VARIABLES) {
      const values = spec.gaze[name];
      if (!(values instanceof Float32Array) || values.length !== T * P) {
        fail(`gaze ${name} must be a Float32Array of ${T * P} values`);
      }
    }
  }
  return { P, T, U };
}
