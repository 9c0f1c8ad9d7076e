// interpolate_behavior: what the engine needs without loading the implementation.

import type { BuiltinDescriptor, BuiltinImplementation } from '../../../engine/builtin/types.js';
import { readPackageJson } from '../../../engine/util/package.js';

export const interpolateBehavior: BuiltinDescriptor = {
  name: 'interpolate_behavior',
  // Bump whenever the output for the same inputs could change.
  version: '1',
  description: "Interpolates one session's running speed and gaze at every bin centre of every binned presentation",
  schema: readPackageJson('schemas/stages/interpolate_behavior.schema.json') as object,
  module: new URL('./run.js', import.meta.url).href,
  threaded: true,
  async load() {
    return (await import('./run.js')).default as unknown as BuiltinImplementation;
  },
};
