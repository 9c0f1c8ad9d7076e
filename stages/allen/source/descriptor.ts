// Registry entry of the `download` built-in: one session file from the source chosen by
// `params.source.kind` (stages/README.md). Imports nothing heavy.
import type { BuiltinDescriptor, BuiltinImplementation } from '../../../engine/builtin/types.js';
import { readPackageJson } from '../../../engine/util/package.js';

export const downloadDescriptor: BuiltinDescriptor = {
  name: 'download',
  version: '1',
  description: 'Fetches session_<id>.nwb from the Allen bucket or a local cache, or generates a synthetic one',
  schema: readPackageJson('schemas/stages/download.schema.json') as object,
  load: async () => (await import('./run.js')).default as unknown as BuiltinImplementation,
  module: new URL('./run.js', import.meta.url).href,
  // Generating a synthetic session is CPU-bound (and blocks its thread while the clock is pinned).
  threaded: true,
};
