// Registry entry of the `binarize` built-in (stages/README.md): only what analysis needs; the
// implementation in run.ts (and h5wasm, Arrow) loads when the stage runs.
import { describeBuiltin } from '../../../engine/builtin/describe.js';

export const binarize = describeBuiltin({
  name: 'binarize',
  // Bump whenever the output for the same inputs could change.
  version: '1',
  description: "Turns one session's binned spike counts into int8 0/1 spike_data (or keeps the uint8 counts)",
  schemaFile: 'schemas/stages/binarize.schema.json',
  module: new URL('./run.js', import.meta.url).href,
  threaded: true,
});
