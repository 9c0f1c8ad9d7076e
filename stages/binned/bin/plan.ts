// What bin_spikes produces for one session: per output type with data, the selected
// presentations (§5) and the bins (§6), all through the core's rules.

import { StageError } from '../../../engine/builtin/types.js';
import {
  binCentres,
  binEdges,
  maxDuration,
  selectPresentations,
  type PresentationTable,
  type SelectedPresentations,
  type StimulusType,
} from '../core/index.js';
import type { BinnedTypeMetadata } from './binned-files.js';
import type { KeptUnit } from './units-input.js';

export interface TypePlan {
  readonly name: string;
  readonly selected: SelectedPresentations;
  readonly edges: Float64Array;
  /** The `time` coordinate. */
  readonly centres: Float64Array;
  readonly nBins: number;
}

/** Plans of the types with data, in the order of `types` (ascending name). */
export function planTypes(options: {
  readonly table: PresentationTable;
  readonly types: readonly StimulusType[];
  readonly binWidth: number;
  /** For messages. */
  readonly file: string;
}): TypePlan[] {
  const plans: TypePlan[] = [];
  for (const stimulusType of options.types) {
    const selected = selectPresentations({ table: options.table, stimulusType });
    // §5: nothing left means no data for this type in this session, hence no files.
    if (selected === null) continue;
    const d = maxDuration(selected);
    if (!Number.isFinite(d) || d < 0) {
      throw new StageError(
        `${options.file}: ${stimulusType.name} has no usable duration (longest kept duration is ${d})`,
        're-run filter_presentations; every kept presentation should have a duration',
      );
    }
    const edges = binEdges({ maxDuration: d, binWidth: options.binWidth });
    plans.push({ name: stimulusType.name, selected, edges, centres: binCentres(edges), nBins: edges.length - 1 });
  }
  return plans;
}

/** The `<type>.json` contents of a plan. */
export function typeMetadata(options: {
  readonly plan: TypePlan;
  readonly sessionId: number;
  readonly binWidth: number;
  readonly units: readonly KeptUnit[];
}): BinnedTypeMetadata {
  const { plan, units } = options;
  return {
    stimulus_type: plan.name,
    session_id: options.sessionId,
    bin_width: options.binWidth,
    time: plan.centres,
    presentation_id: Float64Array.from(plan.selected.id),
    unit_id: Float64Array.from(units, (u) => u.unitId),
    structure: units.map((u) => u.structure),
    columns: new Map(plan.selected.columns.map((c) => [c.name, c.values])),
  };
}
