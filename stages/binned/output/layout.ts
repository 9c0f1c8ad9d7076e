// Names and types of the per-stimulus HDF5 file (binned-dataset.md §8), shared by the writer,
// the reader and the access/statistics tools so that the three can never disagree.
//
//   /session_<id>/<structure>/spike_data     spike_data (presentation_id, time, unit_id)
//                            /speed          speed (time, presentation_id)
//                            /presentations  one float64 variable per kept column (presentation_id)
//                            /gaze_data      six float32 variables (time, presentation_id), optional
//
// Every leaf group is a self-contained netCDF-4 group: it carries its own coordinate variables.

export const SPIKE_DATA = 'spike_data';
export const SPEED = 'speed';
export const PRESENTATIONS = 'presentations';
export const GAZE_DATA = 'gaze_data';

/** Coordinate (dimension) names. */
export const PRESENTATION_ID = 'presentation_id';
export const TIME = 'time';
export const UNIT_ID = 'unit_id';

/** The six `gaze_data` variables (§7), written in this order. */
export { GAZE_VARIABLES, type GazeVariable } from '../core/behaviour.js';
/** Each array is (time, presentation_id) in C order. */
export type { GazeData as GazeArrays } from '../core/behaviour.js';

/** spike_data holds 0/1 as int8 (binarize, the default) or saturating counts as uint8 (§10). */
export type SpikeDtype = 'int8' | 'uint8';
export type SpikeArray = Int8Array | Uint8Array;

/** h5wasm dtype strings (numpy-like: `<` little-endian, b/B int8/uint8, f/d float32/64, q int64). */
export type H5Dtype = '<b' | '<B' | '<f' | '<d' | '<q';

export const SPIKE_H5_DTYPE: Readonly<Record<SpikeDtype, H5Dtype>> = { int8: '<b', uint8: '<B' };

export function sessionGroupName(sessionId: number): string {
  return `session_${sessionId}`;
}

/** The session id of a `session_<id>` group name, or undefined for any other name. */
export function parseSessionGroupName(name: string): number | undefined {
  const m = /^session_(\d+)$/.exec(name);
  if (!m) return undefined;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) ? id : undefined;
}

/** Absolute HDF5 path of a structure group. */
export function structurePath(sessionId: number, structure: string): string {
  return `/${sessionGroupName(sessionId)}/${structure}`;
}

/**
 * Order of groups in a file and of rows in listings: ascending session id, then ascending
 * acronym by UTF-16 code unit (locale-independent, so the same everywhere; for the ASCII
 * acronyms of the Allen CCF it is also Python's `sorted` order).
 */
export function compareGroups(
  a: { readonly sessionId: number; readonly structure: string },
  b: { readonly sessionId: number; readonly structure: string },
): number {
  if (a.sessionId !== b.sessionId) return a.sessionId - b.sessionId;
  return compareCodeUnits(a.structure, b.structure);
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A name usable as an HDF5 link and a netCDF name: HDF5 splits paths on `/` and gives `.`
 * meaning; netCDF-C additionally refuses control characters in names.
 */
export function isValidObjectName(name: string): boolean {
  return name.length > 0 && name !== '.' && name !== '..' && !/[/\u0000-\u001f\u007f]/.test(name);
}
