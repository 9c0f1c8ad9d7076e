// The output side of the binned dataset: writing and reading the per-stimulus netCDF-4/HDF5
// files (binned-dataset.md §8, §10), `.npy` export for `pipe access`, and the statistics table.
// Importing this module does not load h5wasm; the functions that need it import it on first use.

export {
  openStimulusFile,
  type StimulusFileWriter,
  type StimulusFileOptions,
  type StructureGroupSpec,
} from './stimulus-file-writer.js';
export type { SpikeDataWriter } from './spike-data-writer.js';
export {
  openStimulusFileReader,
  type StimulusFileReader,
  type GroupInfo,
  type GroupRef,
  type SpikeData,
  type Speed,
} from './stimulus-file-reader.js';
export {
  accessStimulusStructure,
  listStimuli,
  ACCESS_DATA,
  type AccessData,
  type AccessOptions,
  type AccessedArray,
} from './access.js';
export {
  combinedStatisticsCsv,
  summarizeStimulusFile,
  STATISTICS_HEADER,
  type GroupSummary,
  type StimulusFileSummary,
} from './statistics.js';
export { DEFAULT_COMPRESSION, DEFAULT_GZIP_LEVEL, type Compression } from './storage.js';
export { canonicalJson, readProvenance, PROVENANCE_ATTRIBUTES, type Provenance } from './provenance.js';
export { GAZE_VARIABLES, type GazeArrays, type GazeVariable, type SpikeDtype } from './layout.js';
