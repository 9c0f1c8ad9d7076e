// Unit order inside a session and the split into brain structures (binned-dataset.md §1, §8).
//
// AllenSDK sorts the merged units table by (probe_description, probe_vertical_position,
// probe_horizontal_position); probe_description is the electrode group name ("probeA"...). Ties
// keep NWB row order, so the sort must be stable. Strings compare by code unit, as Python's `<`
// does for these ASCII names (not localeCompare, which depends on the locale).

import type { ElectrodesInput } from './types.js';
import type { UnitCandidate } from './unit-filter.js';

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ascending, NaN last (pandas `sort_values` default `na_position="last"`). */
function compareNumbers(a: number, b: number): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The candidates in session unit order (a new array; the input is not modified). */
export function orderUnits<U extends UnitCandidate>(candidates: readonly U[], electrodes: ElectrodesInput): U[] {
  const probe = (u: U) => electrodes.group_name[u.channelRow]!;
  const vertical = (u: U) => electrodes.probe_vertical_position[u.channelRow]!;
  const horizontal = (u: U) => electrodes.probe_horizontal_position[u.channelRow]!;
  return [...candidates].sort(
    (a, b) =>
      compareStrings(probe(a), probe(b)) ||
      compareNumbers(vertical(a), vertical(b)) ||
      compareNumbers(horizontal(a), horizontal(b)) ||
      // Array.prototype.sort is stable, but stating the tie-break keeps the rule visible.
      a.row - b.row,
  );
}

/** The kept units of one session, in session unit order. */
export interface SessionUnits {
  /** Row of each unit in `/units` (to find its spikes through `spike_times_index`). */
  readonly rows: Int32Array;
  readonly ids: Float64Array;
  readonly structures: readonly string[];
}

/** One structure's slice of the session units. */
export interface StructureUnits {
  readonly structure: string;
  /** Positions in `SessionUnits`, ascending, so unit order is the session order restricted. */
  readonly positions: Int32Array;
}

/** Structures in ascending acronym order (the output's group order), each with its units. */
export function groupByStructure(units: SessionUnits): StructureUnits[] {
  const positions = new Map<string, number[]>();
  units.structures.forEach((structure, i) => {
    const list = positions.get(structure);
    if (list) list.push(i);
    else positions.set(structure, [i]);
  });
  return [...positions.keys()]
    .sort(compareStrings)
    .map((structure) => ({ structure, positions: Int32Array.from(positions.get(structure)!) }));
}
