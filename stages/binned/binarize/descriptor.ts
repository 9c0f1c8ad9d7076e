// binarize: what the engine needs without loading the implementation.

import type { BuiltinDescriptor, BuiltinImplementation } from '../../../engine/builtin/types.js';
import { readPackageJson } from '../../../engine/util/package.js';

export const binarize: BuiltinDescriptor = {
  name: 'binarize',
  // Bump whenever the output for the same inputs could change.
  version: '1',
  description: "Turns one session's binned spike counts into int8 0/1 spike_data (or keeps the uint8 counts)",
  schema: readPackageJson('schemas/stages/binarize.schema.json') as object,
  module: new URL('./run.js', import.meta.url).href,
  threaded: true,
  async load() {
    return (await import('./run.js')).default as unknown as BuiltinImplementation;
  },
};
