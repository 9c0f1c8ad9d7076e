// Registry entries of `write_h5`, `subset_natural_visual` and `statistics` (stages/README.md).
import { describeBuiltin } from '../../../engine/builtin/describe.js';

export const writeH5Descriptor = describeBuiltin({
  name: 'write_h5',
  // 2: the gzip level is an argument and is recorded in the provenance.
  version: '2',
  description: 'One netCDF-4/HDF5 file per stimulus type: spike_data, speed, presentations, gaze per session and structure (§8)',
  schemaFile: 'schemas/stages/write_h5.schema.json',
  module: new URL('./run.js', import.meta.url).href,
  // gzip compression of hundreds of MB is CPU-bound: one worker per stimulus type.
  threaded: true,
});

/** The same builder, restricted to visual-cortex structures (acronyms starting with VIS). */
export const subsetNaturalVisualDescriptor = describeBuiltin({
  name: 'subset_natural_visual',
  version: '2',
  description: 'The same files restricted to visual-cortex structures (acronyms starting with VIS), sessions without any dropped (§8)',
  schemaFile: 'schemas/stages/write_h5.schema.json',
  module: new URL('./run.js', import.meta.url).href,
  threaded: true,
});

export const statisticsDescriptor = describeBuiltin({
  name: 'statistics',
  version: '1',
  description: 'combined_statistics.csv: presentations and units per stimulus type, session and structure (§8)',
  schemaFile: 'schemas/stages/statistics.schema.json',
  module: new URL('./statistics.js', import.meta.url).href,
});
