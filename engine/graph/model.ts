// The analyzed pipeline: what every later phase (plan, execute, dag, status) works on. Nothing
// past analysis ever looks at raw YAML again, and nothing here can be invalid: analysis either
// produced this or a list of diagnostics.
import type { DirectedGraph } from 'graphology';
import type { SourceLocation } from '../diagnostics.js';
import type { BuiltinDescriptor } from '../builtin/types.js';
import type { Scope } from '../config/interpolate.js';

/** What a stage item does: a closed union, switched on exhaustively. */
export type Action =
  | {
      readonly kind: 'cmd';
      readonly commands: readonly string[];
      /** The commands as written, before `${...}` substitution. */
      readonly templates: readonly string[];
    }
  | {
      readonly kind: 'builtin';
      readonly uses: string;
      readonly version: string;
      readonly args: Readonly<Record<string, unknown>>;
      /** The `with:` arguments as written, before substitution. */
      readonly template: unknown;
      readonly descriptor: BuiltinDescriptor;
    };

export interface StageItem {
  /** `name` or `name@item`; unique; what data.lock and targets use. */
  readonly name: string;
  /** The stage name in pipeline.yaml (the fan-out group for items). */
  readonly group: string;
  /** The item key for fan-out stages. */
  readonly item?: string;
  readonly desc?: string;
  readonly action: Action;
  /** Workspace-relative, normalised, in declaration order. */
  readonly deps: readonly string[];
  readonly outs: readonly string[];
  /** Parameter key (without the `params.` prefix) → value, for every parameter this item uses. */
  readonly params: ReadonlyMap<string, unknown>;
  readonly alwaysChanged: boolean;
  /** What `${...}` resolved against (parameters with overrides, the fan-out item). */
  readonly scope: Scope;
  /** Where the stage is declared (for diagnostics). */
  readonly location: () => SourceLocation;
}

export interface EdgeAttributes {
  /** The dependency path that creates this edge and the output it matches. */
  readonly via: readonly { readonly dep: string; readonly out: string }[];
}

export interface StageGraph {
  readonly workspace: string;
  readonly pipelineFile: string;
  /** Items by name. */
  readonly items: ReadonlyMap<string, StageItem>;
  /** Stage name in pipeline.yaml → its items in expansion order (one item for plain stages). */
  readonly groups: ReadonlyMap<string, readonly string[]>;
  /** Nodes are item names; an edge u → v means v depends on an output of u. */
  readonly graph: DirectedGraph<Record<string, never>, EdgeAttributes>;
  /** Every item, upstream before downstream, ties broken by name (never by declaration order). */
  readonly order: readonly string[];
  /** `cache.dir` from pipeline.yaml, as written. */
  readonly cacheDir?: string;
}
