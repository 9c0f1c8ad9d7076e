// bin_spikes: what the engine needs without loading the implementation (no Arrow, no h5wasm).

import type { BuiltinDescriptor, BuiltinImplementation } from '../../../engine/builtin/types.js';
import { readPackageJson } from '../../../engine/util/package.js';

export const binSpikes: BuiltinDescriptor = {
  name: 'bin_spikes',
  // Bump whenever the output for the same inputs could change.
  version: '1',
  description: "Bins one session's spikes per stimulus type into uint8 (presentation_id, time, unit_id) counts",
  schema: readPackageJson('schemas/stages/bin_spikes.schema.json') as object,
  module: new URL('./run.js', import.meta.url).href,
  threaded: true,
  async load() {
    return (await import('./run.js')).default as unknown as BuiltinImplementation;
  },
};
