// Declaring a built-in whose implementation is the default export of a module: the module is
// imported only when the stage runs (in process via `load`, or in a worker thread by URL), and
// the argument schema is read from the package's schemas/ folder.
import type { BuiltinDescriptor, BuiltinImplementation } from './types.js';
import { readPackageJson } from '../util/package.js';

export interface DescribeOptions {
  readonly name: string;
  /** Bump whenever the output for the same inputs could change. */
  readonly version: string;
  readonly description: string;
  /** Path of the JSON Schema of the `with:` arguments, relative to the package root. */
  readonly schemaFile: string;
  /** URL of the implementation module: `new URL('./run.js', import.meta.url).href`. */
  readonly module: string;
  /** CPU-heavy: run each item in a worker thread. */
  readonly threaded?: boolean;
}

export function describeBuiltin(o: DescribeOptions): BuiltinDescriptor {
  return {
    name: o.name,
    version: o.version,
    description: o.description,
    schema: readPackageJson(o.schemaFile) as object,
    load: async () => ((await import(o.module)) as { default: BuiltinImplementation }).default,
    module: o.module,
    threaded: o.threaded === true,
  };
}
