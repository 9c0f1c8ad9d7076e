import { canonicalJson } from '../lock/lockfile.js';

// Why a stage item is stale: a closed union, rendered concretely for people
// (`param params.bin_width 0.02 → 0.01`, `dep data/x.arrow modified`, `out data/y.h5 missing`).

export type Reason =
  | { readonly kind: 'never-run' }
  /** Marked running under .pipe/running/ by a run that ended before recording it. */
  | { readonly kind: 'interrupted' }
  | { readonly kind: 'forced' }
  | { readonly kind: 'always-changed' }
  | { readonly kind: 'command-changed' }
  | { readonly kind: 'builtin-changed'; readonly what: 'name' | 'version' | 'arguments'; readonly before?: string; readonly after?: string }
  | { readonly kind: 'param-changed'; readonly key: string; readonly before?: unknown; readonly after?: unknown }
  | { readonly kind: 'dep-changed'; readonly path: string; readonly change: 'modified' | 'missing' | 'added' | 'removed' }
  | { readonly kind: 'out-missing'; readonly path: string }
  | { readonly kind: 'out-modified'; readonly path: string }
  | { readonly kind: 'outs-changed' }
  /** Only in dry runs and status: an upstream item will run, which may change this item's deps. */
  | { readonly kind: 'upstream-stale'; readonly stages: readonly string[] };

const show = (v: unknown): string => (v === undefined ? '(unset)' : typeof v === 'string' ? v : canonicalJson(v));

export function describeReason(r: Reason): string {
  switch (r.kind) {
    case 'never-run':
      return 'never run (no entry in data.lock)';
    case 'interrupted':
      return 'a run started it and did not record it (interrupted, or still running)';
    case 'forced':
      return 'forced';
    case 'always-changed':
      return 'always_changed';
    case 'command-changed':
      return 'command changed';
    case 'builtin-changed':
      return r.what === 'arguments'
        ? 'built-in arguments changed'
        : `built-in ${r.what} ${show(r.before)} → ${show(r.after)}`;
    case 'param-changed':
      return `param params.${r.key} ${show(r.before)} → ${show(r.after)}`;
    case 'dep-changed':
      return `dep ${r.path} ${r.change}`;
    case 'out-missing':
      return `out ${r.path} missing`;
    case 'out-modified':
      return `out ${r.path} modified`;
    case 'outs-changed':
      return 'declared outputs changed';
    case 'upstream-stale': {
      const list = r.stages.length > 3 ? `${r.stages.slice(0, 3).join(', ')} and ${r.stages.length - 3} more` : r.stages.join(', ');
      return `upstream ${list} will run (reruns only if its outputs change)`;
    }
    default: {
      const never: never = r;
      return never;
    }
  }
}
