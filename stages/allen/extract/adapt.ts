// The NWB reader's tables (stages/allen/nwb/types.ts) as the input shapes of the binned-dataset
// core (stages/binned/core/types.ts). The reader returns what is on disk, including "column
// absent"; the core needs every column it filters or orders on, so an absent one is reported
// here, naming the file and the HDF5 path, instead of surfacing later as `undefined`.

import { FIX_NOT_A_SESSION, nwbError } from '../nwb/errors.js';
import type { ElectrodesTable, IntervalsTable as NwbIntervalsTable, InvalidTimes, UnitsTable } from '../nwb/types.js';
import type { ElectrodesInput, IntervalsTable, InvalidTimesInput, UnitsInput } from '../../binned/core/types.js';

const PRESENTATIONS_SUFFIX = '_presentations';

function required<T>(file: string, table: { readonly path: string }, column: string, value: T | undefined): T {
  if (value === undefined) {
    throw nwbError({ file, path: `${table.path}/${column}`, problem: 'is missing; the dataset needs this column (binned-dataset.md §1)', fix: FIX_NOT_A_SESSION });
  }
  return value;
}

export function unitsInput(file: string, units: UnitsTable): UnitsInput {
  return {
    id: units.id,
    quality: required(file, units, 'quality', units.quality),
    amplitude_cutoff: required(file, units, 'amplitude_cutoff', units.amplitudeCutoff),
    presence_ratio: required(file, units, 'presence_ratio', units.presenceRatio),
    isi_violations: required(file, units, 'isi_violations', units.isiViolations),
    peak_channel_id: required(file, units, 'peak_channel_id', units.peakChannelId),
  };
}

const ELECTRODES_PATH = '/general/extracellular_ephys/electrodes';

export function electrodesInput(file: string, electrodes: ElectrodesTable | undefined): ElectrodesInput {
  if (electrodes === undefined) {
    throw nwbError({ file, path: ELECTRODES_PATH, problem: 'is missing; units are mapped to brain structures through it (binned-dataset.md §1)', fix: FIX_NOT_A_SESSION });
  }
  return {
    id: electrodes.id,
    location: required(file, electrodes, 'location', electrodes.location),
    valid_data: required(file, electrodes, 'valid_data', electrodes.validData),
    group_name: required(file, electrodes, 'group_name', electrodes.groupName),
    probe_vertical_position: required(file, electrodes, 'probe_vertical_position', electrodes.probeVerticalPosition),
    probe_horizontal_position: required(file, electrodes, 'probe_horizontal_position', electrodes.probeHorizontalPosition),
  };
}

/** The reader names a table by its group (`gabors_presentations`), the core by the stimulus. */
export function intervalsInput(table: NwbIntervalsTable): IntervalsTable {
  const name = table.name.endsWith(PRESENTATIONS_SUFFIX) ? table.name.slice(0, -PRESENTATIONS_SUFFIX.length) : table.name;
  // fromEntries defines own properties, so even a column called `__proto__` stays a column.
  const columns: Record<string, Float64Array | readonly string[]> = Object.fromEntries([...table.columns].map(([column, c]) => [column, c.values]));
  return { name, startTime: table.startTime, stopTime: table.stopTime, columns };
}

export function invalidTimesInput(invalid: InvalidTimes | undefined): InvalidTimesInput | undefined {
  if (invalid === undefined) return undefined;
  return { start: invalid.startTime, stop: invalid.stopTime, tags: invalid.tags };
}
