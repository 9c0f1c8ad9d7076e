// Running speed and gaze at the bin centres of each presentation (binned-dataset.md §7).

import { createInterpolator } from './interp.js';
import { firstUnordered } from './sorted-search.js';
import {
  ok,
  type BehaviourSeries,
  type TwoColumnSeries,
  type CoreInputError,
  type RawGazeMappingInput,
  type Result,
} from './types.js';

/** Where behaviour is sampled: t = start_p + c_j for every presentation p and bin centre c_j. */
export interface BinTimes {
  /** Presentation start times, in output (presentation_id) order. */
  readonly startTime: Float64Array;
  /** From `binCentres`. */
  readonly centres: Float64Array;
}

/** Sample times must be non-decreasing; NumPy would silently return nonsense otherwise. */
function checkSampleTimes(series: string, timestamps: Float64Array): CoreInputError | null {
  if (timestamps.length === 0) return { kind: 'empty-series', series };
  const i = firstUnordered(timestamps);
  if (i < 0) return null;
  return {
    kind: 'unordered-timestamps',
    series,
    index: i,
    previous: i > 0 ? timestamps[i - 1]! : NaN,
    value: timestamps[i]!,
  };
}

/**
 * Interpolates one series at every (bin, presentation) and rounds to float32. The layout is
 * (time, presentation_id), C order: value of bin j, presentation p at `j * P + p`.
 */
function alignOne(xp: Float64Array, fp: Float64Array, at: BinTimes): Float32Array {
  const nP = at.startTime.length;
  const nT = at.centres.length;
  const out = new Float32Array(nT * nP);
  const f = createInterpolator(xp, fp);
  // Presentation-major loop: times then rise monotonically, which the interpolator's guess likes.
  for (let p = 0; p < nP; p++) {
    const s = at.startTime[p]!;
    for (let j = 0; j < nT; j++) out[j * nP + p] = f(s + at.centres[j]!);
  }
  return out;
}

/** `speed`: running velocity (`/processing/running/running_speed`) at every bin, float32. */
export function alignRunningSpeed(options: {
  readonly runningSpeed: BehaviourSeries;
  readonly at: BinTimes;
}): Result<Float32Array, CoreInputError> {
  const { timestamps, data } = options.runningSpeed;
  const series = 'processing/running/running_speed';
  const problem =
    checkSampleTimes(series, timestamps) ??
    (data.length !== timestamps.length
      ? { kind: 'length-mismatch' as const, table: series, column: 'data', expected: timestamps.length, actual: data.length }
      : null);
  if (problem) return { ok: false, error: problem };
  return ok(alignOne(timestamps, data, options.at));
}

/** The six `gaze_data` variables in §7's order: the order of every file that holds them. */
export const GAZE_VARIABLES = [
  'raw_eye_area',
  'raw_pupil_area',
  'raw_screen_coordinates_x_cm',
  'raw_screen_coordinates_y_cm',
  'raw_screen_coordinates_spherical_x_deg',
  'raw_screen_coordinates_spherical_y_deg',
] as const;
export type GazeVariable = (typeof GAZE_VARIABLES)[number];

/** The six `gaze_data` variables, each (time, presentation_id) float32. */
export type GazeData = { readonly [K in GazeVariable]: Float32Array };

function column(series: TwoColumnSeries, c: 0 | 1): Float64Array {
  const n = series.data.length >> 1;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = series.data[2 * k + c]!;
  return out;
}

/**
 * `gaze_data`, or null when the session lacks raw or filtered gaze mapping (AllenSDK returns no
 * gaze data unless both exist). All six series are interpolated over the timestamps of
 * `raw_gaze_mapping/eye_area`, as AllenSDK's `get_screen_gaze_data` indexes them.
 */
export function alignGaze(options: {
  readonly rawGazeMapping: RawGazeMappingInput | null;
  readonly hasFilteredGazeMapping: boolean;
  readonly at: BinTimes;
}): Result<GazeData | null, CoreInputError> {
  const raw = options.rawGazeMapping;
  if (!raw || !options.hasFilteredGazeMapping) return ok(null);
  const xp = raw.eye_area.timestamps;
  const module = 'processing/raw_gaze_mapping';
  const problem = checkSampleTimes(`${module}/eye_area`, xp);
  if (problem) return { ok: false, error: problem };
  const lengths: [string, number, number][] = [
    ['eye_area', raw.eye_area.data.length, xp.length],
    ['pupil_area', raw.pupil_area.data.length, xp.length],
    ['screen_coordinates', raw.screen_coordinates.data.length, 2 * xp.length],
    ['screen_coordinates_spherical', raw.screen_coordinates_spherical.data.length, 2 * xp.length],
  ];
  for (const [name, actual, expected] of lengths) {
    if (actual !== expected) {
      return { ok: false, error: { kind: 'length-mismatch', table: `${module}/${name}`, column: 'data', expected, actual } };
    }
  }
  const at = options.at;
  // screen_coordinates columns are [y, x] (allen-nwb-layout.md §7.1).
  return ok({
    raw_eye_area: alignOne(xp, raw.eye_area.data, at),
    raw_pupil_area: alignOne(xp, raw.pupil_area.data, at),
    raw_screen_coordinates_x_cm: alignOne(xp, column(raw.screen_coordinates, 1), at),
    raw_screen_coordinates_y_cm: alignOne(xp, column(raw.screen_coordinates, 0), at),
    raw_screen_coordinates_spherical_x_deg: alignOne(xp, column(raw.screen_coordinates_spherical, 1), at),
    raw_screen_coordinates_spherical_y_deg: alignOne(xp, column(raw.screen_coordinates_spherical, 0), at),
  });
}
