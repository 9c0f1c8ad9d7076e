// The contract between the engine and a built-in (TypeScript) stage.
//
// The engine knows nothing about what a built-in does. It knows its name, its version (part of
// the fingerprint, so bumping it makes every item of that built-in stale), the JSON Schema of its
// `with:` arguments (validated during analysis, before anything runs) and how to load its code.
// Loading is lazy: `pipe status` and `pipe dag` read the schema but never import the module, so
// they do not pay for h5wasm or Arrow.

/** Progress of a long-running built-in, reported as counts so the engine can compute an ETA. */
export interface Progress {
  /** Units of work completed so far (e.g. units binned, bytes downloaded). */
  readonly done: number;
  /** Total units of work, when known. */
  readonly total?: number;
  /** What is being counted, for display: "units", "bytes", "sessions". */
  readonly unit?: string;
  /** A short free-text note (current file, current step). */
  readonly message?: string;
}

export interface BuiltinContext<A = Record<string, unknown>> {
  /** Stage item name as the user sees it, e.g. `extract@715093703`. */
  readonly stage: string;
  /** The `with:` arguments after `${...}` substitution, validated against the built-in's schema. */
  readonly args: A;
  /** Absolute path of the workspace root (the directory holding pipeline.yaml). */
  readonly workspace: string;
  /** Declared dependencies, as absolute paths, in declaration order. */
  readonly deps: readonly string[];
  /**
   * Content hash (XXH3-128, hex) of every input file, keyed by workspace-relative path: each
   * dependency file, and each file inside a dependency directory. The engine computed these to
   * decide the stage was stale, so provenance never needs to read a multi-GB input again.
   */
  readonly inputHashes: Readonly<Record<string, string>>;
  /**
   * Where to write each declared output: maps the output path as declared (workspace-relative,
   * after substitution) to the absolute path the built-in must write. The engine may point these
   * at a staging location and move them into place only after `run` resolves, so a built-in must
   * always write through this map and never to the declared path directly.
   */
  readonly outs: Readonly<Record<string, string>>;
  /** Resolves a declared output (workspace-relative) to its write location; throws if undeclared. */
  output(declared: string): string;
  /** Reports progress; cheap to call often (the engine rate-limits what it shows). */
  progress(p: Progress): void;
  /** A line of human-readable output, shown with the stage name as prefix. */
  log(line: string): void;
  /** Aborted when the run is interrupted (Ctrl-C, SIGTERM) or another stage failed. */
  readonly signal: AbortSignal;
}

/**
 * A failure the user can act on (bad input file, unreachable server, ...). The engine shows its
 * message without a stack trace. Any other exception thrown by a built-in is reported as an
 * internal error of that built-in.
 */
export class StageError extends Error {
  override readonly name = 'StageError';
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/**
 * Whether `e` is a StageError. By name, not `instanceof`: a built-in's module may carry its own
 * copy of this class (the CLI is bundled; plugins may bring their own pipe), and a plain Error
 * named 'StageError' is treated the same.
 */
export function isStageError(e: unknown): e is StageError {
  return e instanceof Error && e.name === 'StageError';
}

/** What a built-in module exports (as `default`). */
export interface BuiltinImplementation<A = Record<string, unknown>> {
  run(ctx: BuiltinContext<A>): Promise<void>;
}

/** What the registry knows about a built-in without importing it. */
export interface BuiltinDescriptor {
  readonly name: string;
  /** Bump whenever the output for the same inputs could change. */
  readonly version: string;
  readonly description: string;
  /** JSON Schema (draft 2020-12 subset that ajv supports) for the `with:` arguments. */
  readonly schema: object;
  /** Imports the implementation; called only when the stage actually runs. */
  load(): Promise<BuiltinImplementation>;
  /**
   * URL of the module whose default export is the implementation (`new URL('./run.js',
   * import.meta.url).href`). With `threaded`, the engine imports it in a worker thread instead of
   * calling `load()`, so CPU-heavy items of different sessions really use different cores. A
   * worker runs one item at a time but may run several in turn, with the module already loaded:
   * keep per-item state out of module scope (caches of loaded libraries are fine).
   */
  readonly module?: string;
  readonly threaded?: boolean;
}
