// The files of `data/behavior/session_<id>/` (stages/README.md), for this stage and its readers.

/** float32 (time, presentation_id). */
export function speedFile(stimulusType: string): string {
  return `${stimulusType}.speed.npy`;
}

/** float32 (6, time, presentation_id), variables in GAZE_VARIABLES order. */
export function gazeFile(stimulusType: string): string {
  return `${stimulusType}.gaze.npy`;
}

/** §7's order of the `gaze_data` variables: the first axis of `<type>.gaze.npy`. */
export const GAZE_VARIABLES = [
  'raw_eye_area',
  'raw_pupil_area',
  'raw_screen_coordinates_x_cm',
  'raw_screen_coordinates_y_cm',
  'raw_screen_coordinates_spherical_x_deg',
  'raw_screen_coordinates_spherical_y_deg',
] as const;
