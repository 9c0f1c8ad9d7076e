// Registry entry of the `extract` built-in (stages/README.md): only what analysis needs; the
// implementation in run.ts (and h5wasm, Arrow) loads when the stage runs.
import { describeBuiltin } from '../../../engine/builtin/describe.js';

export const extractDescriptor = describeBuiltin({
  name: 'extract',
  // Bump whenever the output for the same inputs could change.
  version: '1',
  description: 'Reads one session NWB: units with the §1 filter outcome, raw presentations (§2), running speed and gaze (§7)',
  schemaFile: 'schemas/stages/extract.schema.json',
  module: new URL('./run.js', import.meta.url).href,
  // Reading a session's tables is CPU-bound (HDF5 decoding in wasm): one worker per session.
  threaded: true,
});
