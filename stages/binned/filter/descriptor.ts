// Registry entry of the `filter_presentations` built-in (stages/README.md): only what analysis needs; the
// implementation in run.ts (and h5wasm, Arrow) loads when the stage runs.
import { describeBuiltin } from '../../../engine/builtin/describe.js';

export const filterPresentationsDescriptor = describeBuiltin({
  name: 'filter_presentations',
  // Bump whenever the output for the same inputs could change.
  version: '1',
  description: 'Drops excluded stimuli, collapses whole movies and applies the median-duration filter pooled over all sessions (§2.5, §3, §4)',
  schemaFile: 'schemas/stages/filter_presentations.schema.json',
  module: new URL('./run.js', import.meta.url).href,
});
