// The `with:` arguments of `filter_presentations` (schemas/stages/filter_presentations.schema.json).
// The engine validates them but does not fill in defaults, so they are applied here.

import { StageError } from '../../../engine/builtin/types.js';
import { DEFAULT_DURATION_TOLERANCES, type DurationTolerances } from '../core/median-filter.js';

export interface FilterArgs {
  /** Every session taking part in the pooled medians (§4). */
  readonly sessions: readonly number[];
  /** `data/presentations_raw`: holds `session_<id>.arrow` per session. */
  readonly raw_dir: string;
  /** `data/presentations`. */
  readonly out_dir: string;
  readonly tolerance?: number;
  readonly movie_tolerance?: number;
}

export function durationTolerances(args: FilterArgs): DurationTolerances {
  return {
    tolerance: args.tolerance ?? DEFAULT_DURATION_TOLERANCES.tolerance,
    movieTolerance: args.movie_tolerance ?? DEFAULT_DURATION_TOLERANCES.movieTolerance,
  };
}

/**
 * The session ids in ascending order. A repeated id would count that session's durations twice
 * in the pooled medians, so it is an error, not something to quietly drop (the schema's
 * uniqueItems says the same during analysis).
 */
export function sessionIds(args: FilterArgs): number[] {
  const sorted = [...args.sessions].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new StageError(`filter_presentations: session ${sorted[i]} is listed twice in 'sessions'`, 'list each session once');
    }
  }
  return sorted;
}
