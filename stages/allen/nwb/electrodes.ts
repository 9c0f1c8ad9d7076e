// `/general/extracellular_ephys/electrodes` (allen-nwb-layout §4.1): one row per channel, 384 per
// probe, invalid channels included. Optional: files from other writers may have no electrodes.

import type { H5File } from './h5file.js';
import { column, pickNumeric, pickStrings, readColumnSet, readTableLayout } from './dynamic-table.js';
import { typeClass } from './h5read.js';
import type { ColumnSet, ElectrodesTable } from './types.js';

export const ELECTRODES_PATH = '/general/extracellular_ephys/electrodes';

export function readElectrodesTable(h5: H5File): ElectrodesTable | undefined {
  if (h5.optionalGroup(ELECTRODES_PATH) === undefined) return undefined;
  const layout = readTableLayout(h5, ELECTRODES_PATH);
  const columns = readColumnSet(h5, layout);
  return {
    path: ELECTRODES_PATH,
    rows: layout.rows,
    id: layout.id,
    location: pickStrings(h5, ELECTRODES_PATH, columns, 'location'),
    validData: validData(h5, columns, column(layout, 'valid_data')?.path),
    groupName: pickStrings(h5, ELECTRODES_PATH, columns, 'group_name'),
    probeVerticalPosition: pickNumeric(h5, ELECTRODES_PATH, columns, 'probe_vertical_position'),
    probeHorizontalPosition: pickNumeric(h5, ELECTRODES_PATH, columns, 'probe_horizontal_position'),
    columns,
  };
}

/**
 * `valid_data` is a Python bool, which h5py stores as an HDF5 enum over int8 {FALSE: 0, TRUE: 1}
 * (h5py "Special types", booleans; allen-nwb-layout §0.6). Other writers may store a plain integer
 * column, accepted the same way: non-zero is true. Floats and text are refused.
 */
function validData(h5: H5File, columns: ColumnSet, path: string | undefined): boolean[] | undefined {
  if (path === undefined) return undefined;
  const values = pickNumeric(h5, ELECTRODES_PATH, columns, 'valid_data');
  const m = h5.metadata(path);
  const cls = typeClass(h5, m);
  if (values === undefined || (cls !== 'enum' && cls !== 'integer')) {
    return h5.fail(path, 'is not a boolean column (an HDF5 enum FALSE/TRUE or integers)');
  }
  if (cls === 'enum') {
    const members = m.enum_type?.members ?? {};
    if (members['FALSE'] !== 0 || members['TRUE'] !== 1) {
      h5.fail(path, `is an enum of ${Object.keys(members).join('/')}; expected FALSE=0/TRUE=1`);
    }
  }
  return Array.from(values, (v) => v !== 0);
}
