// The kept units of a session, in session order (binned-dataset.md §1), from extract's
// units.arrow (stages/README.md: `order` is the position among kept units, null if not kept).

import { StageError } from '../../../engine/builtin/types.js';
import { readTableFile } from '../../tables/index.js';

export interface KeptUnit {
  readonly unitId: number;
  /** Row of the unit in the NWB `/units` table: where its spikes are. */
  readonly nwbRow: number;
  readonly structure: string | null;
}

/** Kept units sorted by `order`; a StageError if `order` is not 0…K−1 exactly once each. */
export async function readKeptUnits(file: string): Promise<KeptUnit[]> {
  const t = await readTableFile(file);
  const order = t.numbers('order');
  const unitId = t.numbers('unit_id');
  const nwbRow = t.numbers('nwb_row');
  const structure = t.strings('structure');
  const count = order.reduce((n, o) => (Number.isNaN(o) ? n : n + 1), 0);
  const kept = new Array<KeptUnit | undefined>(count);
  for (let r = 0; r < t.rows; r++) {
    const o = order[r]!;
    if (Number.isNaN(o)) continue;
    if (!Number.isInteger(o) || o < 0 || o >= count || kept[o] !== undefined) {
      throw new StageError(`${file}: 'order' of row ${r} is ${o}; kept units must be numbered 0…${count - 1} once each`, 're-run extract for this session');
    }
    if (Number.isNaN(unitId[r]!) || Number.isNaN(nwbRow[r]!)) {
      throw new StageError(`${file}: kept unit in row ${r} has no unit_id or nwb_row`, 're-run extract for this session');
    }
    kept[o] = { unitId: unitId[r]!, nwbRow: nwbRow[r]!, structure: structure[r] ?? null };
  }
  return kept as KeptUnit[];
}
