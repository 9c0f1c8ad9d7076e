// Registry entry of the `bin_spikes` built-in (stages/README.md): only what analysis needs; the
// implementation in run.ts (and h5wasm, Arrow) loads when the stage runs.
import { describeBuiltin } from '../../../engine/builtin/describe.js';

export const binSpikes = describeBuiltin({
  name: 'bin_spikes',
  // Bump whenever the output for the same inputs could change.
  version: '1',
  description: "Bins one session's spikes per stimulus type into uint8 (presentation_id, time, unit_id) counts",
  schemaFile: 'schemas/stages/bin_spikes.schema.json',
  module: new URL('./run.js', import.meta.url).href,
  threaded: true,
});
