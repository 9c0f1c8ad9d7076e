// The built-in stages shipped with pipe. Each entry carries what analysis needs (name, version,
// argument schema) and a `load()` that imports the implementation only when the stage runs, so
// `pipe status` and `pipe dag` never load h5wasm or Arrow.
import type { BuiltinDescriptor } from '../engine/builtin/types.js';

export const builtins: readonly BuiltinDescriptor[] = [];
