// Bringing one stale item up to date: place its outputs back from the run-cache when a run with
// the same fingerprint succeeded before, otherwise run it and store what it produced.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StageItem } from '../graph/model.js';
import type { Logger } from '../events.js';
import type { FileRecord, LockEntry } from '../lock/lockfile.js';
import type { PathHasher } from '../hash/tree.js';
import type { RunCache } from '../cache/run-cache.js';
import { runKey } from '../cache/run-cache.js';
import { intentOf } from '../plan/assess.js';
import type { Executor } from './executor.js';
import type { ItemOutcome } from './run-item.js';
import type { ProcessRegistry } from './orphans.js';

export interface UpdateOptions {
  readonly item: StageItem;
  readonly deps: readonly FileRecord[];
  readonly workspace: string;
  readonly hasher: PathHasher;
  readonly executor: Executor;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Absent: no run-cache (--no-run-cache, or caching disabled). */
  readonly runCache?: RunCache;
  /** --force: run even when the run-cache has the result. */
  readonly force: boolean;
  /** The item's previous data.lock entry, and the outputs found modified since. */
  readonly previous?: LockEntry;
  readonly modifiedOuts?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly registry?: ProcessRegistry;
}

export type UpdateOutcome =
  | { readonly kind: 'restored'; readonly entry: LockEntry }
  | { readonly kind: 'ran'; readonly entry: LockEntry }
  | { readonly kind: 'failed'; readonly outcome: Extract<ItemOutcome, { ok: false }> };

export async function updateItem(o: UpdateOptions): Promise<UpdateOutcome> {
  const { item } = o;
  if (o.runCache && o.previous && o.modifiedOuts?.length) {
    for (const path of o.modifiedOuts) {
      const recorded = o.previous.outs.find((r) => r.path === path);
      if (!recorded) continue;
      const current = recorded.nfiles === undefined ? undefined : (await o.hasher.hash(path, o.signal))?.files;
      const evicted = await o.runCache.evictEditedLinks(o.workspace, recorded, current);
      if (evicted) o.logger.event({ type: 'stage-output', stage: item.name, stream: 'stderr', line: `${path} was edited in place; dropped ${evicted} cached object${evicted === 1 ? '' : 's'} it shared` });
    }
  }
  const intent = { ...intentOf(item), deps: o.deps };
  // Whatever happens next rewrites the outputs: nothing known about them stays true.
  for (const out of item.outs) o.hasher.forget(out);
  // An always_changed stage has no stable inputs to key a run by.
  const key = o.runCache && !item.alwaysChanged ? await runKey(intent, item.outs) : undefined;
  if (o.runCache && key && !o.force) {
    const hit = await o.runCache.lookup(key);
    if (hit && sameOuts(hit.outs, item.outs)) {
      for (const out of item.outs) await rm(join(o.workspace, out), { recursive: true, force: true });
      for (const out of hit.outs) await o.runCache.restoreOutput(o.workspace, out);
      for (const out of item.outs) o.hasher.forget(out);
      await rememberOutputs(o, hit.outs);
      return { kind: 'restored', entry: { ...intent, outs: hit.outs } };
    }
  }
  const inputHashes = item.action.kind === 'builtin' ? await hashesOfInputs(o) : undefined;
  const outcome = await o.executor.run({ item, workspace: o.workspace, logger: o.logger, signal: o.signal, env: o.env, registry: o.registry, inputHashes });
  for (const out of item.outs) o.hasher.forget(out);
  if (!outcome.ok) return { kind: 'failed', outcome };
  const outs: FileRecord[] = [];
  for (const path of item.outs) {
    const h = await o.hasher.hash(path, o.signal);
    if (!h) continue; // cannot happen: the executor checked every output exists
    const rec: FileRecord = { path, hash: h.hash, size: h.size, ...(h.nfiles !== undefined ? { nfiles: h.nfiles } : {}) };
    outs.push(rec);
    if (o.runCache) await o.runCache.storeOutput(o.workspace, rec, h.files);
  }
  if (o.runCache && key) await o.runCache.save(key, { outs });
  return { kind: 'ran', entry: { ...intent, outs } };
}

/** Every input file's hash; answered by the stat cache, since assess just hashed them all. */
async function hashesOfInputs(o: UpdateOptions): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const dep of o.item.deps) {
    const h = await o.hasher.hash(dep, o.signal);
    if (!h) continue;
    out[dep] = h.hash;
    for (const f of h.files ?? []) out[`${dep}/${f.path}`] = f.hash;
  }
  return out;
}

function sameOuts(recorded: readonly FileRecord[], declared: readonly string[]): boolean {
  const paths = new Set(recorded.map((r) => r.path));
  return recorded.length === declared.length && declared.every((d) => paths.has(d));
}

async function rememberOutputs(o: UpdateOptions, outs: readonly FileRecord[]): Promise<void> {
  for (const out of outs) {
    if (out.nfiles === undefined) {
      await o.hasher.remember(out.path, out.hash);
      continue;
    }
    // Directories: their files' hashes come from the manifest; the directory hash itself is
    // recomputed from those (cheaply, from the stat cache) when next needed.
    const manifest = await o.runCache!.manifest(out.hash);
    for (const f of manifest ?? []) await o.hasher.remember(`${out.path}/${f.path}`, f.hash);
  }
}
