// Registry entry of the `extract` built-in (stages/README.md). Imports nothing heavy: `pipe
// status` loads every descriptor, while h5wasm and Arrow are loaded by run.ts only.

import type { BuiltinDescriptor, BuiltinImplementation } from '../../../engine/builtin/types.js';
import { readPackageJson } from '../../../engine/util/package.js';

export const extractDescriptor: BuiltinDescriptor = {
  name: 'extract',
  // Bump whenever the files written for the same NWB and arguments could change.
  version: '1',
  description: 'Reads one session NWB: units with the §1 filter outcome, raw presentations (§2), running speed and gaze (§7)',
  schema: readPackageJson('schemas/stages/extract.schema.json') as object,
  // The engine validated the arguments against `schema`, which is what the typed run expects.
  load: async () => (await import('./run.js')).default as unknown as BuiltinImplementation,
  module: new URL('./run.js', import.meta.url).href,
  // Reading a session's tables is CPU-bound (HDF5 decoding in wasm): one worker per session.
  threaded: true,
};
