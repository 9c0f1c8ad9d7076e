// The columns of `data/extract/session_<id>/units.arrow` (stages/README.md): one row per NWB
// unit in NWB row order, with the peak channel's fields joined in and the §1 outcome
// (passes_filter, order) precomputed, so that bin_spikes needs neither the electrodes table nor
// the filter rules, and a reader of the file can see why a unit was left out.

import { hasStructure } from '../../binned/core/unit-filter.js';
import type { SessionUnits } from '../../binned/core/unit-order.js';
import type { ElectrodesInput, UnitsInput } from '../../binned/core/types.js';
import { notNaN, type Column } from '../../tables/columns.js';

/** Electrodes row of each unit's peak channel, -1 when the channel id is not in the table. */
function peakChannelRows(units: UnitsInput, electrodes: ElectrodesInput): Int32Array {
  // The first row with an id wins, as in the core's filter (unit-filter.ts), so both agree.
  const rowOf = new Map<number, number>();
  for (let r = 0; r < electrodes.id.length; r++) if (!rowOf.has(electrodes.id[r]!)) rowOf.set(electrodes.id[r]!, r);
  return Int32Array.from({ length: units.id.length }, (_, u) => rowOf.get(units.peak_channel_id[u]!) ?? -1);
}

function float64(name: string, values: Float64Array): Column {
  return { name, type: 'float64', values, valid: notNaN(values) };
}

export function unitsColumns(options: {
  readonly units: UnitsInput;
  readonly electrodes: ElectrodesInput;
  /** Spikes per NWB row (from spike_times_index; the times themselves are not read). */
  readonly spikeCounts: ArrayLike<number>;
  /** The §1 result: kept units in session order. */
  readonly kept: SessionUnits;
}): Column[] {
  const { units, electrodes, kept } = options;
  const n = units.id.length;
  const channel = peakChannelRows(units, electrodes);
  const at = <T>(values: ArrayLike<T>, u: number): T | undefined => (channel[u]! < 0 ? undefined : values[channel[u]!]);

  const order = new Int32Array(n);
  const isKept = new Uint8Array(n);
  kept.rows.forEach((row, position) => {
    order[row] = position;
    isKept[row] = 1;
  });
  const structure = Array.from({ length: n }, (_, u) => {
    const location = at(electrodes.location, u);
    return location !== undefined && hasStructure(location) ? location : null;
  });
  const position = (values: ArrayLike<number>) => Float64Array.from({ length: n }, (_, u) => at(values, u) ?? NaN);

  return [
    { name: 'unit_id', type: 'int64', values: units.id },
    { name: 'nwb_row', type: 'int32', values: Int32Array.from({ length: n }, (_, u) => u) },
    { name: 'peak_channel_id', type: 'int64', values: units.peak_channel_id },
    { name: 'structure', type: 'utf8', values: structure },
    { name: 'probe', type: 'utf8', values: Array.from({ length: n }, (_, u) => at(electrodes.group_name, u) ?? null) },
    float64('probe_vertical_position', position(electrodes.probe_vertical_position)),
    float64('probe_horizontal_position', position(electrodes.probe_horizontal_position)),
    { name: 'quality', type: 'utf8', values: units.quality },
    float64('amplitude_cutoff', units.amplitude_cutoff),
    float64('presence_ratio', units.presence_ratio),
    float64('isi_violations', units.isi_violations),
    { name: 'spike_count', type: 'int64', values: options.spikeCounts },
    { name: 'passes_filter', type: 'bool', values: isKept },
    { name: 'order', type: 'int32', values: order, valid: isKept },
  ];
}
