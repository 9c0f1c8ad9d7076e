// Registry entry of the `interpolate_behavior` built-in (stages/README.md): only what analysis needs; the
// implementation in run.ts (and h5wasm, Arrow) loads when the stage runs.
import { describeBuiltin } from '../../../engine/builtin/describe.js';

export const interpolateBehavior = describeBuiltin({
  name: 'interpolate_behavior',
  // Bump whenever the output for the same inputs could change.
  version: '1',
  description: "Interpolates one session's running speed and gaze at every bin centre of every binned presentation",
  schemaFile: 'schemas/stages/interpolate_behavior.schema.json',
  module: new URL('./run.js', import.meta.url).href,
  threaded: true,
});
