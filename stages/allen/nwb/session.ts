// The entry points of the NWB session reader.
//
//   const session = await readNwbSession(file);            // every table, file closed again
//   await withNwbSession(file, (s) => {                     // tables + spike trains, any order
//     const units = s.units();
//     for (const row of order) bin(s.spikeTimes(row));
//   });
//
// Reads are synchronous once the file is open (HDF5 reads through NODERAWFS are blocking POSIX
// reads); only opening is async, because it loads h5wasm lazily and checks the superblock.

import { H5File } from './h5file.js';
import { readStrings } from './h5read.js';
import { readElectrodesTable } from './electrodes.js';
import { readEyeTracking } from './eye-tracking.js';
import { readInvalidTimes, readPresentationTables } from './intervals.js';
import { readGaze, readRunningSpeed } from './timeseries.js';
import { readUnitsTable, SpikeTimesReader } from './units.js';
import type { ElectrodesTable, EyeTracking, Gaze, IntervalsTable, InvalidTimes, NwbSession, RunningSpeed, UnitsTable } from './types.js';

export interface ReadSessionOptions {
  /** Also read the eye-tracking ellipse fits and rig geometry (default false). */
  readonly eyeTracking?: boolean;
}

/** An open session file. Call close() (or use withNwbSession) when done. */
export class NwbSessionFile {
  private unitsTable: UnitsTable | undefined;
  private spikes: SpikeTimesReader | undefined;

  private constructor(private readonly h5: H5File) {}

  /** Opens the file; StageError if it is missing, not HDF5 or truncated. */
  static async open(file: string): Promise<NwbSessionFile> {
    return new NwbSessionFile(await H5File.open(file));
  }

  get file(): string {
    return this.h5.file;
  }

  /** `/identifier`: in Allen files the session id as text ("715093703"). */
  identifier(): string {
    return this.singleString('/identifier', true) as string;
  }

  /** `/general/stimulus`: the session type ("brain_observatory_1.1", "functional_connectivity"). */
  sessionType(): string | undefined {
    return this.singleString('/general/stimulus', false);
  }

  /** Read on first use and kept: spikeTimes() relies on its validated index. */
  units(): UnitsTable {
    this.unitsTable ??= readUnitsTable(this.h5);
    return this.unitsTable;
  }

  /** Spike times (s) of the unit in table row `row` (0-based, file order). */
  spikeTimes(row: number): Float64Array {
    return this.spikeReader().times(row);
  }

  /** Number of spikes of the unit in table row `row`, without reading them. */
  spikeCount(row: number): number {
    return this.spikeReader().count(row);
  }

  electrodes(): ElectrodesTable | undefined {
    return readElectrodesTable(this.h5);
  }

  presentations(): IntervalsTable[] {
    return readPresentationTables(this.h5);
  }

  invalidTimes(): InvalidTimes | undefined {
    return readInvalidTimes(this.h5);
  }

  runningSpeed(): RunningSpeed | undefined {
    return readRunningSpeed(this.h5);
  }

  gaze(): Gaze {
    return readGaze(this.h5);
  }

  eyeTracking(): EyeTracking {
    return readEyeTracking(this.h5);
  }

  /** Everything but the spike times. */
  readSession(options: ReadSessionOptions = {}): NwbSession {
    return {
      file: this.file,
      identifier: this.identifier(),
      sessionType: this.sessionType(),
      units: this.units(),
      electrodes: this.electrodes(),
      presentations: this.presentations(),
      invalidTimes: this.invalidTimes(),
      runningSpeed: this.runningSpeed(),
      gaze: this.gaze(),
      eyeTracking: options.eyeTracking === true ? this.eyeTracking() : undefined,
    };
  }

  /** Idempotent. */
  close(): void {
    this.h5.close();
  }

  private spikeReader(): SpikeTimesReader {
    this.spikes ??= new SpikeTimesReader(this.h5, this.units().spikeTimesEnd);
    return this.spikes;
  }

  /** A text dataset holding one string, stored as a scalar or as a 1-element array. */
  private singleString(path: string, required: boolean): string | undefined {
    if (!this.h5.hasDataset(path)) {
      return required ? this.h5.fail(path, 'is missing; every NWB file has one') : undefined;
    }
    const values = readStrings(this.h5, path);
    if (values.length !== 1) this.h5.fail(path, `holds ${values.length} strings; expected one`);
    return values[0];
  }
}

export function openNwbSession(file: string): Promise<NwbSessionFile> {
  return NwbSessionFile.open(file);
}

/** Opens the file, runs `use`, and always closes the file, also when `use` throws. */
export async function withNwbSession<T>(file: string, use: (session: NwbSessionFile) => T | Promise<T>): Promise<T> {
  const session = await NwbSessionFile.open(file);
  try {
    return await use(session);
  } finally {
    session.close();
  }
}

/** Every table of the session (not the spike times); the file is closed before this resolves. */
export function readNwbSession(file: string, options: ReadSessionOptions = {}): Promise<NwbSession> {
  return withNwbSession(file, (s) => s.readSession(options));
}
