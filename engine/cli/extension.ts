// Commands contributed by the shipped stages (`pipe access`, `pipe synthetic`): the engine parses
// their options and maps their outcome to an exit code, but knows nothing of what they do.
import type { parseArgs } from 'node:util';
import type { CliIO } from './io.js';

type Options = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

export interface ExtensionCommand {
  readonly name: string;
  /** One line for `pipe --help`. */
  readonly summary: string;
  /** The full `pipe <name> --help` text. */
  readonly help: string;
  readonly options: Options;
  /** Positional arguments required (for the usage check). */
  readonly positionals: { readonly min: number; readonly max: number };
  run(io: CliIO, args: { readonly values: Record<string, string | boolean | string[] | undefined>; readonly positionals: readonly string[] }): Promise<number>;
}
