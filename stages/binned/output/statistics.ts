// `data/combined_statistics.csv` (binned-dataset.md §8): one row per (file in 02_stimulus_types,
// session, structure), sorted by those three, with the group's sizes and whether it has gaze.
//
//   stimulus_type,session_id,brain_structure,n_presentations,n_units,has_gaze_data
//
// `has_gaze_data` is `True`/`False`, as pandas writes Python booleans.

import { basename } from 'node:path';
import { compareCodeUnits, compareGroups } from './layout.js';
import { openStimulusFileReader } from './stimulus-file-reader.js';

export interface GroupSummary {
  readonly sessionId: number;
  readonly structure: string;
  readonly nPresentations: number;
  readonly nUnits: number;
  readonly hasGaze: boolean;
}

/** What one per-stimulus file holds. */
export interface StimulusFileSummary {
  /** The file name without `.h5`, e.g. `natural_movie_one`. */
  readonly stimulusType: string;
  readonly groups: readonly GroupSummary[];
}

export const STATISTICS_HEADER = 'stimulus_type,session_id,brain_structure,n_presentations,n_units,has_gaze_data';

/** The CSV text, rows sorted by stimulus type, session id (numerically) and structure. */
export function combinedStatisticsCsv(files: readonly StimulusFileSummary[]): string {
  const rows = files
    .flatMap((file) => file.groups.map((group) => ({ stimulusType: file.stimulusType, ...group })))
    .sort((a, b) => compareCodeUnits(a.stimulusType, b.stimulusType) || compareGroups(a, b));
  const lines = rows.map((r) =>
    [
      csvField(r.stimulusType),
      String(r.sessionId),
      csvField(r.structure),
      String(r.nPresentations),
      String(r.nUnits),
      r.hasGaze ? 'True' : 'False',
    ].join(','),
  );
  return [STATISTICS_HEADER, ...lines].join('\n') + '\n';
}

/** RFC 4180 quoting, needed only if a name ever contains a comma, quote or line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Reads the group sizes of one of our per-stimulus files (metadata only, no data). */
export async function summarizeStimulusFile(path: string): Promise<StimulusFileSummary> {
  const reader = await openStimulusFileReader(path);
  try {
    return {
      stimulusType: basename(path).replace(/\.h5$/, ''),
      groups: reader.groups().map((g) => ({
        sessionId: g.sessionId,
        structure: g.structure,
        nPresentations: g.nPresentations,
        nUnits: g.nUnits,
        hasGaze: g.hasGaze,
      })),
    };
  } finally {
    reader.close();
  }
}
