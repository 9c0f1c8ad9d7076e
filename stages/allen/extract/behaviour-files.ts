// The columns of `running_speed.arrow` and `gaze.arrow` (stages/README.md; binned-dataset.md §7).
//
// Values are the stored data, as AllenSDK reads them (`series.data[:]`, no conversion/offset;
// the Allen files store conversion 1.0 and no offset). NaN samples stay NaN rather than null:
// they are measurements that §7's interpolation propagates, not missing cells.

import { FIX_NOT_A_SESSION, nwbError } from '../nwb/errors.js';
import type { Gaze, GazeMapping, RunningSpeed, TimeSeries } from '../nwb/types.js';
import type { Column } from '../../tables/columns.js';

const RUNNING_SPEED_PATH = '/processing/running/running_speed';

function checkShape(file: string, series: TimeSeries, width: number, rows: number): void {
  if (series.width !== width || series.rows !== rows || series.timestamps.length !== series.rows) {
    throw nwbError({
      file,
      path: series.path,
      problem:
        `has ${series.rows}×${series.width} values over ${series.timestamps.length} timestamps; ` +
        `expected ${rows}×${width} values, one row per timestamp`,
      fix: FIX_NOT_A_SESSION,
    });
  }
}

export function runningSpeedColumns(file: string, running: RunningSpeed | undefined): Column[] {
  if (running === undefined) {
    throw nwbError({ file, path: RUNNING_SPEED_PATH, problem: 'is missing; every output has a running speed (binned-dataset.md §7)', fix: FIX_NOT_A_SESSION });
  }
  checkShape(file, running, 1, running.timestamps.length);
  return [
    { name: 'timestamps', type: 'float64', values: running.timestamps },
    { name: 'velocity', type: 'float64', values: running.data },
  ];
}

/** AllenSDK returns gaze data only when both gaze-mapping modules exist (§7). */
export function hasGaze(gaze: Gaze): boolean {
  return gaze.raw !== undefined && gaze.filtered !== undefined;
}

function column(series: TimeSeries, c: 0 | 1): Float64Array {
  return Float64Array.from({ length: series.rows }, (_, k) => series.data[2 * k + c]!);
}

function series(file: string, module: GazeMapping, name: string, value: TimeSeries | undefined): TimeSeries {
  if (value === undefined) {
    throw nwbError({ file, path: `${module.path}/${name}`, problem: 'is missing; gaze data needs all four raw series (binned-dataset.md §7)', fix: FIX_NOT_A_SESSION });
  }
  return value;
}

/**
 * The gaze table, or undefined for a session without gaze. Every series is put on the timestamps
 * of `raw_gaze_mapping/eye_area`, as AllenSDK's `get_screen_gaze_data` indexes them, so each
 * must have one sample per such timestamp. screen_coordinates columns are [y, x]
 * (allen-nwb-layout.md §7.1).
 */
export function gazeColumns(file: string, gaze: Gaze): Column[] | undefined {
  const raw = gaze.raw;
  if (raw === undefined || !hasGaze(gaze)) return undefined;
  const eye = series(file, raw, 'eye_area', raw.eyeArea);
  const pupil = series(file, raw, 'pupil_area', raw.pupilArea);
  const screen = series(file, raw, 'screen_coordinates', raw.screenCoordinates);
  const spherical = series(file, raw, 'screen_coordinates_spherical', raw.screenCoordinatesSpherical);
  const rows = eye.timestamps.length;
  checkShape(file, eye, 1, rows);
  checkShape(file, pupil, 1, rows);
  checkShape(file, screen, 2, rows);
  checkShape(file, spherical, 2, rows);
  return [
    { name: 'timestamps', type: 'float64', values: eye.timestamps },
    { name: 'raw_eye_area', type: 'float64', values: eye.data },
    { name: 'raw_pupil_area', type: 'float64', values: pupil.data },
    { name: 'raw_screen_coordinates_x_cm', type: 'float64', values: column(screen, 1) },
    { name: 'raw_screen_coordinates_y_cm', type: 'float64', values: column(screen, 0) },
    { name: 'raw_screen_coordinates_spherical_x_deg', type: 'float64', values: column(spherical, 1) },
    { name: 'raw_screen_coordinates_spherical_y_deg', type: 'float64', values: column(spherical, 0) },
  ];
}
