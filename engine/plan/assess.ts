// The one freshness code path: `pipe status`, `pipe repro --dry` and `pipe repro` all decide
// with `assess`. It compares a stage item's declared intent (command or built-in + version +
// arguments, parameter values, declared outputs) and the current content of its deps and outs
// with what data.lock recorded.
import type { StageItem } from '../graph/model.js';
import type { FileRecord, LockEntry } from '../lock/lockfile.js';
import { canonicalEntry, canonicalJson } from '../lock/lockfile.js';
import type { PathHasher } from '../hash/tree.js';
import type { Reason } from './reasons.js';
import { interpolate, interpolateDeep } from '../config/interpolate.js';
import { withParam } from '../config/params.js';

/** The declared part of a lock entry, derived from the analyzed item alone. */
export function intentOf(item: StageItem): Omit<LockEntry, 'deps' | 'outs'> {
  const params = Object.fromEntries(item.params);
  switch (item.action.kind) {
    case 'cmd': {
      const c = item.action.commands;
      return { cmd: c.length === 1 ? c[0]! : [...c], params };
    }
    case 'builtin':
      return { uses: item.action.uses, version: item.action.version, with: item.action.args, params };
    default: {
      const never: never = item.action;
      return never;
    }
  }
}

/**
 * Whether a changed command (or built-in arguments) is fully explained by changed parameter
 * values: re-rendering the templates with the recorded values must give the recorded text. Then
 * the reason a person needs is the parameter change alone, not also "command changed".
 */
function explainedByParams(item: StageItem, entry: LockEntry, changed: readonly string[]): boolean {
  if (changed.length === 0) return false;
  let params = item.scope.params as Record<string, unknown>;
  for (const key of changed) {
    if (!entry.params || !(key in entry.params)) return false;
    params = withParam(params, key, entry.params[key]);
  }
  const scope = { ...item.scope, params };
  const action = item.action;
  if (action.kind === 'cmd') {
    const rendered: string[] = [];
    for (const t of action.templates) {
      const r = interpolate(t, scope, 'shell');
      if (!r.ok) return false;
      rendered.push(r.value as string);
    }
    return JSON.stringify(rendered.length === 1 ? rendered[0] : rendered) === JSON.stringify(entry.cmd);
  }
  let failed = false;
  const r = interpolateDeep(action.template, scope, () => (failed = true));
  return !failed && canon({ with: r.value }) === canon({ with: entry.with });
}

const canon = (v: unknown) => JSON.stringify(canonicalEntry({ ...(v as LockEntry), deps: [], outs: [] }));

/** An item's built-in arguments never change during a command: canonicalise them once. */
const argsCanon = new WeakMap<StageItem, string>();
function canonicalArgsOf(item: StageItem, args: unknown): string {
  let c = argsCanon.get(item);
  if (c === undefined) argsCanon.set(item, (c = canon({ with: args })));
  return c;
}

export interface Assessment {
  readonly reasons: readonly Reason[];
  /** Current hashes of the deps (recorded in data.lock if the item then runs and succeeds). */
  readonly deps: readonly FileRecord[];
}

export interface AssessOptions {
  readonly hasher: PathHasher;
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  /** The item's entry is missing because a run was interrupted while it ran. */
  readonly interrupted?: boolean;
}

export async function hashRecords(paths: readonly string[], hasher: PathHasher, signal?: AbortSignal): Promise<(FileRecord | undefined)[]> {
  const out: (FileRecord | undefined)[] = [];
  for (const path of paths) {
    const h = await hasher.hash(path, signal);
    out.push(h ? { path, hash: h.hash, size: h.size, ...(h.nfiles !== undefined ? { nfiles: h.nfiles } : {}) } : undefined);
  }
  return out;
}

export async function assess(item: StageItem, entry: LockEntry | undefined, opts: AssessOptions): Promise<Assessment> {
  const reasons: Reason[] = [];
  const current = await hashRecords(item.deps, opts.hasher, opts.signal);
  const deps = current.filter((d): d is FileRecord => d !== undefined);
  if (opts.force) reasons.push({ kind: 'forced' });
  if (item.alwaysChanged) reasons.push({ kind: 'always-changed' });
  if (!entry) {
    reasons.push({ kind: opts.interrupted ? 'interrupted' : 'never-run' });
    return { reasons, deps };
  }

  const intent = intentOf(item);
  const before = entry.params ?? {};
  const after = intent.params ?? {};
  const paramReasons: Reason[] = [];
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (canonicalJson(before[key]) !== canonicalJson(after[key])) {
      paramReasons.push({ kind: 'param-changed', key, before: before[key], after: after[key] });
    }
  }
  const changedKeys = paramReasons.map((r) => (r.kind === 'param-changed' ? r.key : ''));
  if (item.action.kind === 'cmd') {
    if (entry.cmd === undefined) reasons.push({ kind: 'builtin-changed', what: 'name', before: entry.uses, after: '(shell command)' });
    else if (JSON.stringify(entry.cmd) !== JSON.stringify(intent.cmd) && !explainedByParams(item, entry, changedKeys)) {
      reasons.push({ kind: 'command-changed' });
    }
  } else {
    if (entry.uses !== intent.uses) reasons.push({ kind: 'builtin-changed', what: 'name', before: entry.uses ?? '(shell command)', after: intent.uses });
    else if (entry.version !== intent.version) reasons.push({ kind: 'builtin-changed', what: 'version', before: entry.version, after: intent.version });
    else if (canon({ with: entry.with }) !== canonicalArgsOf(item, intent.with) && !explainedByParams(item, entry, changedKeys)) {
      reasons.push({ kind: 'builtin-changed', what: 'arguments' });
    }
  }
  reasons.push(...paramReasons);

  const recorded = new Map(entry.deps.map((d) => [d.path, d]));
  item.deps.forEach((path, i) => {
    const now = current[i];
    const then = recorded.get(path);
    if (!now) reasons.push({ kind: 'dep-changed', path, change: 'missing' });
    else if (!then) reasons.push({ kind: 'dep-changed', path, change: 'added' });
    else if (then.hash !== now.hash) reasons.push({ kind: 'dep-changed', path, change: 'modified' });
  });
  const declared = new Set(item.deps);
  for (const d of entry.deps) if (!declared.has(d.path)) reasons.push({ kind: 'dep-changed', path: d.path, change: 'removed' });

  const recordedOuts = new Map(entry.outs.map((o) => [o.path, o]));
  if (item.outs.length !== entry.outs.length || item.outs.some((o) => !recordedOuts.has(o))) {
    reasons.push({ kind: 'outs-changed' });
  }
  const outs = await hashRecords(item.outs, opts.hasher, opts.signal);
  item.outs.forEach((path, i) => {
    const now = outs[i];
    const then = recordedOuts.get(path);
    if (!now) reasons.push({ kind: 'out-missing', path });
    else if (then && then.hash !== now.hash) reasons.push({ kind: 'out-modified', path });
  });
  return { reasons, deps };
}
