// Which units enter the dataset, and in which brain structure (binned-dataset.md §1).
//
// This is AllenSDK's default unit filter (UNIT_FILTER_DEFAULTS): a valid peak channel with a
// structure, quality "good", and three quality-metric thresholds. A NaN metric fails its test
// because every comparison with NaN is false, exactly as in the pandas filter.

import type { ElectrodesInput, UnitsInput } from './types.js';

/** Quality-metric thresholds; `null` disables a test (AllenSDK's `None`), so NaN then passes. */
export interface UnitThresholds {
  /** Keep `amplitude_cutoff <= maxAmplitudeCutoff`. */
  readonly maxAmplitudeCutoff: number | null;
  /** Keep `presence_ratio >= minPresenceRatio` (the docs say 0.9, AllenSDK's code says 0.95). */
  readonly minPresenceRatio: number | null;
  /** Keep `isi_violations <= maxIsiViolations`. */
  readonly maxIsiViolations: number | null;
}

/** The published dataset's values (AllenSDK `UNIT_FILTER_DEFAULTS`). */
export const DEFAULT_UNIT_THRESHOLDS: UnitThresholds = {
  maxAmplitudeCutoff: 0.1,
  minPresenceRatio: 0.95,
  maxIsiViolations: 0.5,
};

/** A unit that passed the filter, with the peak-channel fields it is ordered and grouped by. */
export interface UnitCandidate {
  /** Row in `/units`. */
  readonly row: number;
  readonly id: number;
  /** Row of its peak channel in the electrodes table. */
  readonly channelRow: number;
  /** The peak channel's `location`: the unit's brain structure. */
  readonly structure: string;
}

/** Maps channel id → first electrodes row with that id. */
function indexChannels(electrodes: ElectrodesInput): Map<number, number> {
  const byId = new Map<number, number>();
  for (let r = 0; r < electrodes.id.length; r++) {
    const id = electrodes.id[r]!;
    if (!byId.has(id)) byId.set(id, r);
  }
  return byId;
}

/** True when the channel has a structure: AllenSDK maps both `""` and `"None"` to "no structure". */
export function hasStructure(location: string): boolean {
  return location !== '' && location !== 'None';
}

function atMost(value: number, limit: number | null): boolean {
  return limit === null || value <= limit;
}

function atLeast(value: number, limit: number | null): boolean {
  return limit === null || value >= limit;
}

/** Units that pass the §1 filter, in NWB row order. Column lengths must already be checked. */
export function filterUnits(options: {
  readonly units: UnitsInput;
  readonly electrodes: ElectrodesInput;
  readonly thresholds?: UnitThresholds;
}): UnitCandidate[] {
  const { units, electrodes } = options;
  const t = options.thresholds ?? DEFAULT_UNIT_THRESHOLDS;
  const channelRowOf = indexChannels(electrodes);
  const kept: UnitCandidate[] = [];
  for (let row = 0; row < units.id.length; row++) {
    const channelRow = channelRowOf.get(units.peak_channel_id[row]!);
    if (channelRow === undefined || !electrodes.valid_data[channelRow]) continue;
    const structure = electrodes.location[channelRow]!;
    if (!hasStructure(structure)) continue;
    if (units.quality[row] !== 'good') continue;
    if (!atMost(units.amplitude_cutoff[row]!, t.maxAmplitudeCutoff)) continue;
    if (!atLeast(units.presence_ratio[row]!, t.minPresenceRatio)) continue;
    if (!atMost(units.isi_violations[row]!, t.maxIsiViolations)) continue;
    kept.push({ row, id: units.id[row]!, channelRow, structure });
  }
  return kept;
}
