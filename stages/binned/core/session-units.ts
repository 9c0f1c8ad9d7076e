// The units of one session, from raw tables to the ordered, structure-labelled list (§1).

import { checkLengths } from './lengths.js';
import { filterUnits, type UnitThresholds } from './unit-filter.js';
import { orderUnits, type SessionUnits } from './unit-order.js';
import { ok, type CoreInputError, type ElectrodesInput, type Result, type UnitsInput } from './types.js';

/** Filters, labels and orders the units of one session. An empty result means "no groups". */
export function selectSessionUnits(options: {
  readonly units: UnitsInput;
  readonly electrodes: ElectrodesInput;
  readonly thresholds?: UnitThresholds;
}): Result<SessionUnits, CoreInputError> {
  const { units, electrodes } = options;
  const problem =
    checkLengths('units', units.id.length, {
      quality: units.quality,
      amplitude_cutoff: units.amplitude_cutoff,
      presence_ratio: units.presence_ratio,
      isi_violations: units.isi_violations,
      peak_channel_id: units.peak_channel_id,
    }) ??
    checkLengths('electrodes', electrodes.id.length, {
      location: electrodes.location,
      valid_data: electrodes.valid_data,
      group_name: electrodes.group_name,
      probe_vertical_position: electrodes.probe_vertical_position,
      probe_horizontal_position: electrodes.probe_horizontal_position,
    });
  if (problem) return { ok: false, error: problem };

  const ordered = orderUnits(filterUnits(options), electrodes);
  return ok({
    rows: Int32Array.from(ordered, (u) => u.row),
    ids: Float64Array.from(ordered, (u) => u.id),
    structures: ordered.map((u) => u.structure),
  });
}
