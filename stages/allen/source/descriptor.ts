// Registry entry of the `download` built-in (stages/README.md): only what analysis needs; the
// implementation in run.ts (and h5wasm, Arrow) loads when the stage runs.
import { describeBuiltin } from '../../../engine/builtin/describe.js';

export const downloadDescriptor = describeBuiltin({
  name: 'download',
  // Bump whenever the output for the same inputs could change.
  version: '1',
  description: 'Fetches session_<id>.nwb from the Allen bucket or a local cache, or generates a synthetic one',
  schemaFile: 'schemas/stages/download.schema.json',
  module: new URL('./run.js', import.meta.url).href,
  // Generating a synthetic session is CPU-bound (and blocks its thread while the clock is pinned).
  threaded: true,
});
