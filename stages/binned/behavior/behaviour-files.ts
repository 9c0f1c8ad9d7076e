// The files of `data/behavior/session_<id>/` (stages/README.md), for this stage and its readers.

/** float32 (time, presentation_id). */
export function speedFile(stimulusType: string): string {
  return `${stimulusType}.speed.npy`;
}

/** float32 (6, time, presentation_id), variables in GAZE_VARIABLES order. */
export function gazeFile(stimulusType: string): string {
  return `${stimulusType}.gaze.npy`;
}

/** §7's order of the `gaze_data` variables is also the first axis of `<type>.gaze.npy`. */
export { GAZE_VARIABLES } from '../core/behaviour.js';
