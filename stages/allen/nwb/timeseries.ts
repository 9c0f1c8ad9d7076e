// NWB TimeSeries groups: running speed (allen-nwb-layout §6) and the gaze-mapping modules (§7.1).
//
// A TimeSeries stores its times either as a `timestamps` dataset — in the Allen files often a
// soft link to another series' timestamps, which HDF5 follows transparently — or, in other
// writers, as `starting_time` (with a `rate` attribute) for regularly sampled data (NWB core
// schema, TimeSeries). Both are accepted; a series with neither is an error naming `timestamps`.

import { FIX_DAMAGED } from './errors.js';
import type { H5File } from './h5file.js';
import { readNumeric } from './h5read.js';
import type { Gaze, GazeMapping, RunningSpeed, TimeSeries } from './types.js';

export const RUNNING_SPEED_PATH = '/processing/running/running_speed';
export const RAW_GAZE_PATH = '/processing/raw_gaze_mapping';
export const FILTERED_GAZE_PATH = '/processing/filtered_gaze_mapping';

export function readRunningSpeed(h5: H5File): RunningSpeed | undefined {
  return readOptionalTimeSeries(h5, RUNNING_SPEED_PATH);
}

/** Both modules are reported as found; whether gaze is used (both needed) is the consumer's rule. */
export function readGaze(h5: H5File): Gaze {
  return { raw: readGazeMapping(h5, RAW_GAZE_PATH), filtered: readGazeMapping(h5, FILTERED_GAZE_PATH) };
}

function readGazeMapping(h5: H5File, path: string): GazeMapping | undefined {
  if (h5.optionalGroup(path) === undefined) return undefined;
  return {
    path,
    pupilArea: readOptionalTimeSeries(h5, `${path}/pupil_area`),
    eyeArea: readOptionalTimeSeries(h5, `${path}/eye_area`),
    screenCoordinates: readOptionalTimeSeries(h5, `${path}/screen_coordinates`),
    screenCoordinatesSpherical: readOptionalTimeSeries(h5, `${path}/screen_coordinates_spherical`),
  };
}

export function readOptionalTimeSeries(h5: H5File, path: string): TimeSeries | undefined {
  return h5.optionalGroup(path) === undefined ? undefined : readTimeSeries(h5, path);
}

export function readTimeSeries(h5: H5File, path: string): TimeSeries {
  h5.requireGroup(path);
  const dataPath = `${path}/data`;
  h5.requireDataset(dataPath, FIX_DAMAGED);
  const { values, shape } = readNumeric(h5, dataPath);
  const rows = shape.length === 0 ? 1 : (shape[0] ?? 0);
  const width = shape.slice(1).reduce((a, b) => a * b, 1);
  return {
    path,
    data: values,
    rows,
    width,
    timestamps: readTimes(h5, path, rows),
    unit: h5.attrString(dataPath, 'unit'),
    conversion: h5.attrNumber(dataPath, 'conversion') ?? 1,
    offset: h5.attrNumber(dataPath, 'offset') ?? 0,
  };
}

function readTimes(h5: H5File, path: string, rows: number): Float64Array {
  const timestampsPath = `${path}/timestamps`;
  if (h5.hasDataset(timestampsPath)) {
    const { values, shape } = readNumeric(h5, timestampsPath);
    if (shape.length !== 1 || values.length !== rows) {
      h5.fail(timestampsPath, `has shape [${shape.join(', ')}] but ${path}/data has ${rows} rows`, FIX_DAMAGED);
    }
    return values;
  }
  const startingTimePath = `${path}/starting_time`;
  if (h5.hasDataset(startingTimePath)) {
    const start = readNumeric(h5, startingTimePath).values[0];
    const rate = h5.attrNumber(startingTimePath, 'rate');
    if (start === undefined || rate === undefined || !(rate > 0)) {
      h5.fail(startingTimePath, 'has no positive `rate` attribute, so the sample times are unknown', FIX_DAMAGED);
    }
    return Float64Array.from({ length: rows }, (_, i) => start + i / rate);
  }
  return h5.fail(timestampsPath, `is missing (and there is no starting_time), so the times of ${path}/data are unknown`, FIX_DAMAGED);
}
