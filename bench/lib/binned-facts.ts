// Sizes of a session's spike tensors, from the metadata bin_spikes writes next to them
// (data/binned/session_<id>/<type>.json, stages/README.md): a tensor is
// presentations × bins × units cells, and every later stage carries the same cells along.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface TypeMetadata {
  readonly stimulus_type: string;
  readonly time: readonly number[];
  readonly presentation_id: readonly number[];
  readonly unit_id: readonly number[];
  readonly structure: readonly (string | null)[];
}

export interface BinnedFacts {
  /** Σ over stimulus types of presentations × bins × units. */
  readonly cells: number;
  /** The units kept by the §1 filter (the same in every type of the session). */
  readonly keptUnitIds: readonly number[];
  /** Cells of `types` restricted to units whose structure starts with `prefix`. */
  cellsWithStructure(types: readonly string[], prefix: string): number;
}

export function binnedFacts(binnedSessionDir: string): BinnedFacts {
  const index = JSON.parse(readFileSync(join(binnedSessionDir, 'index.json'), 'utf8')) as { stimulus_types: string[] };
  const meta = index.stimulus_types.map((t) => JSON.parse(readFileSync(join(binnedSessionDir, `${t}.json`), 'utf8')) as TypeMetadata);
  const keptUnitIds = [...new Set(meta.flatMap((m) => m.unit_id))];
  return {
    cells: meta.reduce((sum, m) => sum + m.presentation_id.length * m.time.length * m.unit_id.length, 0),
    keptUnitIds,
    cellsWithStructure(types, prefix) {
      return meta
        .filter((m) => types.includes(m.stimulus_type))
        .reduce((sum, m) => sum + m.presentation_id.length * m.time.length * m.structure.filter((s) => s?.startsWith(prefix)).length, 0);
    },
  };
}
