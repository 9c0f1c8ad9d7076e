// Every problem with an input file becomes a StageError that names the file and, when the problem
// is inside the file, the HDF5 path, so that the user can look at it with h5ls/h5py; the hint
// says what to do about it.

import { StageError } from '../../../engine/builtin/types.js';

export interface NwbProblem {
  /** The file as given to the reader. */
  readonly file: string;
  /** The HDF5 object concerned, absent for problems with the file as a whole. */
  readonly path?: string;
  readonly problem: string;
  readonly fix: string;
}

export function nwbError(p: NwbProblem): StageError {
  const where = p.path === undefined ? p.file : `${p.file}: ${p.path}`;
  return new StageError(`${where}: ${p.problem}`, p.fix);
}

/** The hint for a file that is readable HDF5 but not laid out as an NWB session. */
export const FIX_NOT_A_SESSION =
  'check that this is an Allen Visual Coding – Neuropixels session file (session_<id>.nwb), or a ' +
  'valid NWB file; if it was downloaded, delete it and download it again';

/** The hint for a file whose bytes are damaged. */
export const FIX_DAMAGED = 'the file is damaged; delete it and download it again';
