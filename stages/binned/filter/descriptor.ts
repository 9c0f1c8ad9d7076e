// Registry entry of the `filter_presentations` built-in (stages/README.md). Imports nothing
// heavy: Arrow is loaded by run.ts only when the stage runs.

import type { BuiltinDescriptor, BuiltinImplementation } from '../../../engine/builtin/types.js';
import { readPackageJson } from '../../../engine/util/package.js';

export const filterPresentationsDescriptor: BuiltinDescriptor = {
  name: 'filter_presentations',
  // Bump whenever the files written for the same raw tables and arguments could change.
  version: '1',
  description: 'Drops excluded stimuli, collapses whole movies and applies the median-duration filter pooled over all sessions (§2.5, §3, §4)',
  schema: readPackageJson('schemas/stages/filter_presentations.schema.json') as object,
  // The engine validated the arguments against `schema`, which is what the typed run expects.
  load: async () => (await import('./run.js')).default as unknown as BuiltinImplementation,
};
