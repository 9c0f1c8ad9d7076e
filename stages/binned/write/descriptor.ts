// Registry entries of `write_h5`, `subset_natural_visual` and `statistics` (stages/README.md).
import type { BuiltinDescriptor, BuiltinImplementation } from '../../../engine/builtin/types.js';
import { readPackageJson } from '../../../engine/util/package.js';

const writeSchema = readPackageJson('schemas/stages/write_h5.schema.json') as object;

export const writeH5Descriptor: BuiltinDescriptor = {
  name: 'write_h5',
  version: '1',
  description: 'One netCDF-4/HDF5 file per stimulus type: spike_data, speed, presentations, gaze per session and structure (§8)',
  schema: writeSchema,
  load: async () => (await import('./run.js')).default as unknown as BuiltinImplementation,
  module: new URL('./run.js', import.meta.url).href,
  // gzip compression of hundreds of MB is CPU-bound: one worker per stimulus type.
  threaded: true,
};

export const subsetNaturalVisualDescriptor: BuiltinDescriptor = {
  ...writeH5Descriptor,
  name: 'subset_natural_visual',
  description: 'The same files restricted to visual-cortex structures (acronyms starting with VIS), sessions without any dropped (§8)',
};

export const statisticsDescriptor: BuiltinDescriptor = {
  name: 'statistics',
  version: '1',
  description: 'combined_statistics.csv: presentations and units per stimulus type, session and structure (§8)',
  schema: readPackageJson('schemas/stages/statistics.schema.json') as object,
  load: async () => (await import('./statistics.js')).default as unknown as BuiltinImplementation,
};
