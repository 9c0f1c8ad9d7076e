// The presentations table of one session, binned-dataset.md §2 end to end.

import { concatenatePresentations } from './concatenate.js';
import { maskInvalidPresentations } from './invalid-mask.js';
import { filterRows, type PresentationTable } from './presentation-table.js';
import type { CoreInputError, IntervalsTable, InvalidTimesInput, Result } from './types.js';

/**
 * §2.5: spontaneous intervals, the shuffled movie and masked presentations are never binned.
 * `invalid` also catches the `invalid_presentation` name given by masking.
 */
export function isExcludedStimulus(name: string): boolean {
  return name.includes('spontaneous') || name.includes('shuffled') || name.includes('invalid');
}

/** Concatenate, parse, sort, number, mask invalid presentations, drop excluded stimuli. */
export function buildPresentations(options: {
  readonly tables: readonly IntervalsTable[];
  /** `/intervals/invalid_times`; optional in the NWB (the FC example session has none). */
  readonly invalidTimes?: InvalidTimesInput;
}): Result<PresentationTable, CoreInputError> {
  const all = concatenatePresentations(options.tables);
  if (!all.ok) return all;
  const masked = maskInvalidPresentations(all.value, options.invalidTimes);
  if (!masked.ok) return masked;
  const table = masked.value;
  return { ok: true, value: filterRows(table, (r) => !isExcludedStimulus(table.stimulusName[r]!)) };
}
