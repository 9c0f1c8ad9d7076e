// Step 4 of binned-dataset.md §2: AllenSDK's `_mask_invalid_stimulus_presentations`.
//
// Only invalid_times rows tagged "stimulus" mask presentations; probe rows
// (["EcephysProbe", id, "probeA"]) only trigger spike warnings in AllenSDK. The overlap test is
// inclusive (`max(starts) <= min(stops)`), so a presentation that merely touches an invalid
// interval is masked too.

import { checkLengths } from './lengths.js';
import type { ParamColumn, PresentationTable } from './presentation-table.js';
import { ok, type CoreInputError, type InvalidTimesInput, type Result } from './types.js';

export const INVALID_PRESENTATION = 'invalid_presentation';

/** Rows of `table` overlapping a stimulus-tagged invalid interval (1 = masked). */
export function invalidPresentationMask(table: PresentationTable, invalid: InvalidTimesInput): Uint8Array {
  const mask = new Uint8Array(table.length);
  // A session has a handful of invalid intervals, so one pass per interval is cheap.
  for (let i = 0; i < invalid.start.length; i++) {
    if (!invalid.tags[i]!.includes('stimulus')) continue;
    const a = invalid.start[i]!;
    const b = invalid.stop[i]!;
    for (let p = 0; p < table.length; p++) {
      if (Math.max(table.startTime[p]!, a) <= Math.min(table.stopTime[p]!, b)) mask[p] = 1;
    }
  }
  return mask;
}

/**
 * Masked rows become `invalid_presentation` with every parameter (stimulus_block included) and
 * the duration null; id, start and stop stay.
 */
export function maskInvalidPresentations(
  table: PresentationTable,
  invalid: InvalidTimesInput | undefined,
): Result<PresentationTable, CoreInputError> {
  if (!invalid) return ok(table);
  const problem = checkLengths('intervals/invalid_times', invalid.start.length, {
    stop_time: invalid.stop,
    tags: invalid.tags,
  });
  if (problem) return { ok: false, error: problem };
  const mask = invalidPresentationMask(table, invalid);
  if (!mask.includes(1)) return ok(table);

  const stimulusName = [...table.stimulusName];
  const duration = table.duration.slice();
  const params = new Map<string, ParamColumn>();
  for (const [name, col] of table.params) {
    const values = col.values.slice();
    const text = col.text ? [...col.text] : undefined;
    for (let p = 0; p < table.length; p++) {
      if (!mask[p]) continue;
      values[p] = NaN;
      if (text) text[p] = undefined;
    }
    params.set(name, text ? { values, text } : { values });
  }
  for (let p = 0; p < table.length; p++) {
    if (!mask[p]) continue;
    stimulusName[p] = INVALID_PRESENTATION;
    duration[p] = NaN;
  }
  return ok({ ...table, stimulusName, duration, params });
}
