// The built-in stages shipped with pipe. Each entry carries what analysis needs (name, version,
// argument schema) and a `load()` that imports the implementation only when the stage runs, so
// `pipe status` and `pipe dag` never load h5wasm or Arrow. What each stage reads and writes is
// described in stages/README.md.
import type { BuiltinDescriptor } from '../engine/builtin/types.js';
import { downloadDescriptor } from './allen/source/descriptor.js';
import { extractDescriptor } from './allen/extract/descriptor.js';
import { filterPresentationsDescriptor } from './binned/filter/descriptor.js';
import { binSpikes } from './binned/bin/descriptor.js';
import { binarize } from './binned/binarize/descriptor.js';
import { interpolateBehavior } from './binned/behavior/descriptor.js';
import { statisticsDescriptor, subsetNaturalVisualDescriptor, writeH5Descriptor } from './binned/write/descriptor.js';

export const builtins: readonly BuiltinDescriptor[] = [
  downloadDescriptor,
  extractDescriptor,
  filterPresentationsDescriptor,
  binSpikes,
  binarize,
  interpolateBehavior,
  writeH5Descriptor,
  subsetNaturalVisualDescriptor,
  statisticsDescriptor,
];
