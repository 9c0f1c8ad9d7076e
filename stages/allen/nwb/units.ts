// `/units` (allen-nwb-layout §3) and per-unit spike times.
//
// `/units/spike_times` holds every spike of every unit (131 M float64, 1.05 GB in session
// 715093703), so it is never read whole: the index is read once, and each unit's spikes are one
// hyperslab read of spike_times[end[r-1] : end[r]] (the dataset is contiguous and uncompressed in
// the Allen files, §0.6). Units may be read in any order; each read costs about a millisecond per
// 30,000 spikes (measurements in test/nwb/README.md).

import { FIX_DAMAGED } from './errors.js';
import type { H5File } from './h5file.js';
import { column, pickNumeric, pickStrings, readColumnSet, readRaggedIndex, readTableLayout, type TableLayout } from './dynamic-table.js';
import { readNumeric, typeClass } from './h5read.js';
import type { UnitsTable } from './types.js';

export const UNITS_PATH = '/units';

const FIX_NO_UNITS =
  'this file has no spike-sorted units table; use the Allen session file (session_<id>.nwb), not a ' +
  'probe LFP file (probe_<id>_lfp.nwb), or re-download it if it is incomplete';

export function readUnitsTable(h5: H5File): UnitsTable {
  if (h5.optionalGroup(UNITS_PATH) === undefined) h5.fail(UNITS_PATH, 'is missing', FIX_NO_UNITS);
  const layout = readTableLayout(h5, UNITS_PATH);
  const spikes = spikeTimesColumn(h5, layout);
  const spikeTimesEnd = readRaggedIndex(h5, { indexPath: spikes.indexPath, dataPath: spikes.path, rows: layout.rows });
  const columns = readColumnSet(h5, layout);
  return {
    path: UNITS_PATH,
    rows: layout.rows,
    id: layout.id,
    quality: pickStrings(h5, UNITS_PATH, columns, 'quality'),
    peakChannelId: pickNumeric(h5, UNITS_PATH, columns, 'peak_channel_id'),
    amplitudeCutoff: pickNumeric(h5, UNITS_PATH, columns, 'amplitude_cutoff'),
    presenceRatio: pickNumeric(h5, UNITS_PATH, columns, 'presence_ratio'),
    isiViolations: pickNumeric(h5, UNITS_PATH, columns, 'isi_violations'),
    columns,
    spikeTimesEnd,
    totalSpikes: h5.rowCount(spikes.path),
  };
}

function spikeTimesColumn(h5: H5File, layout: TableLayout): { path: string; indexPath: string } {
  const path = `${UNITS_PATH}/spike_times`;
  const c = column(layout, 'spike_times');
  // Some writers omit a column from `colnames`; the datasets are what matter.
  if (c === undefined) h5.requireDataset(path, FIX_NO_UNITS);
  const indexPath = `${path}_index`;
  h5.requireDataset(indexPath, FIX_DAMAGED);
  const m = h5.metadata(path);
  if (typeClass(h5, m) !== 'float' || (m.shape ?? []).length !== 1) {
    h5.fail(path, 'is not a 1-D array of floating-point times', FIX_DAMAGED);
  }
  return { path, indexPath };
}

/**
 * Reads one unit's spike times at a time. Holds the validated index; the file must stay open
 * while it is used.
 */
export class SpikeTimesReader {
  private readonly path = `${UNITS_PATH}/spike_times`;

  constructor(
    private readonly h5: H5File,
    /** UnitsTable.spikeTimesEnd. */
    private readonly end: Float64Array,
  ) {}

  get rows(): number {
    return this.end.length;
  }

  /** Number of spikes of the unit in table row `row`, without reading them. */
  count(row: number): number {
    this.checkRow(row);
    return (this.end[row] as number) - this.start(row);
  }

  /** The spike times (s) of the unit in table row `row`, as stored (float32 data is widened). */
  times(row: number): Float64Array {
    this.checkRow(row);
    return readNumeric(this.h5, this.path, { start: this.start(row), end: this.end[row] as number }).values;
  }

  private start(row: number): number {
    return row === 0 ? 0 : (this.end[row - 1] as number);
  }

  private checkRow(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.end.length) {
      throw new RangeError(`unit row ${row} outside 0..${this.end.length - 1} of ${this.h5.file}`);
    }
  }
}
