// The `with:` arguments of `extract` (schemas/stages/extract.schema.json). The engine validates
// them against the schema before anything runs, but it does not fill in defaults, so they are
// applied here.

import { DEFAULT_UNIT_THRESHOLDS, type UnitThresholds } from '../../binned/core/unit-filter.js';

export interface UnitFilterArgs {
  readonly amplitude_cutoff_max?: number | null;
  readonly presence_ratio_min?: number | null;
  readonly isi_violations_max?: number | null;
}

export interface ExtractArgs {
  /** The session NWB, workspace-relative. */
  readonly nwb: string;
  readonly session_id: number;
  /** `data/extract/session_<id>`. */
  readonly out_dir: string;
  /** `data/presentations_raw/session_<id>.arrow`. */
  readonly presentations_out: string;
  readonly unit_filter?: UnitFilterArgs;
}

/** §1 thresholds: an absent key takes the published value; `null` disables that test. */
export function unitThresholds(args: UnitFilterArgs | undefined): UnitThresholds {
  const d = DEFAULT_UNIT_THRESHOLDS;
  return {
    maxAmplitudeCutoff: args?.amplitude_cutoff_max === undefined ? d.maxAmplitudeCutoff : args.amplitude_cutoff_max,
    minPresenceRatio: args?.presence_ratio_min === undefined ? d.minPresenceRatio : args.presence_ratio_min,
    maxIsiViolations: args?.isi_violations_max === undefined ? d.maxIsiViolations : args.isi_violations_max,
  };
}
