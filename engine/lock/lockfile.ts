// data.lock: what pipe observed when each stage item last succeeded (DVC's dvc.lock, in spirit).
// pipeline.yaml says what the user intends; data.lock what was observed; a stage is stale when
// the two disagree. The file is deterministic (entries sorted by name, keys in a fixed order,
// deps/outs sorted by path), validated against schemas/lock.schema.json on every read, and
// replaced atomically. Serialising the same data twice gives the same bytes, so a run in which
// nothing changed leaves the file byte-identical.
import { validatorFor, type Validator } from '../config/validator-cache.js';
import { CORE_SCHEMA, dump as dumpYaml, load as loadYaml } from 'js-yaml';
import { readFile } from 'node:fs/promises';
import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic, Result } from '../diagnostics.js';
import { fail, ok } from '../diagnostics.js';
import { readPackageJson } from '../util/package.js';
import { writeFileAtomic } from '../util/atomic.js';
import { HASH_NAME } from '../hash/xxh.js';

export const LOCK_SCHEMA_VERSION = '1.0';

export interface FileRecord {
  readonly path: string;
  readonly hash: string;
  readonly size: number;
  readonly nfiles?: number;
}

export interface LockEntry {
  readonly cmd?: string | readonly string[];
  readonly uses?: string;
  readonly version?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly deps: readonly FileRecord[];
  readonly outs: readonly FileRecord[];
}

export type LockEntries = Map<string, LockEntry>;

let validator: Validator | undefined;

const RECOVER = 'move the file aside and run `pipe repro --force` to rebuild it (it reruns every stage)';

/**
 * Reads data.lock. With `cacheFile`, a JSON copy of the parsed entries is kept beside the other
 * state under .pipe/ and used while data.lock's size, mtime and inode are unchanged (and its
 * mtime was not racily close to when the copy was made): parsing a large lock file as YAML
 * costs more than everything else a no-op run does.
 */
export async function readLock(path: string, shown: string, cacheFile?: string): Promise<Result<LockEntries>> {
  let text: string;
  const st = statSync(path, { bigint: true, throwIfNoEntry: false });
  if (!st) return ok(new Map());
  const key = `${st.size}:${st.mtimeNs}:${st.ino}`;
  if (cacheFile) {
    try {
      const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as { key: string; at: string; stages: Record<string, LockEntry> };
      if (cached.key === key && BigInt(cached.at) - st.mtimeNs >= 2_000_000_000n) return ok(new Map(Object.entries(cached.stages)));
    } catch {
      // no usable copy: parse the file
    }
  }
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(new Map());
    return fail({ message: `cannot read ${shown}: ${(e as Error).message}` });
  }
  const parsed = parseLock(text, shown);
  if (parsed.ok && cacheFile) {
    const copy = { key, at: String(BigInt(Date.now()) * 1_000_000n), stages: Object.fromEntries(parsed.value) };
    await writeFileAtomic(cacheFile, JSON.stringify(copy)).catch(() => undefined);
  }
  return parsed;
}

export function parseLock(text: string, shown: string): Result<LockEntries> {
  if (text.trim() === '') return ok(new Map());
  let data: unknown;
  try {
    data = loadYaml(text, { schema: CORE_SCHEMA });
  } catch (e) {
    const err = e as { mark?: { line: number; column: number }; reason?: string };
    return fail({
      message: `${shown} is corrupt: invalid YAML (${err.reason ?? 'parse error'})`,
      location: err.mark
        ? { file: shown, line: err.mark.line + 1, column: err.mark.column + 1, lineText: text.split('\n')[err.mark.line] ?? '' }
        : undefined,
      hint: RECOVER,
    });
  }
  validator ??= validatorFor(readPackageJson('schemas/lock.schema.json') as object);
  if (!validator(data)) {
    const e = validator.errors![0]!;
    const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'the top level';
    const detail = e.keyword === 'const' && e.instancePath === '/schema'
      ? `unsupported schema version ${JSON.stringify((data as { schema?: unknown }).schema)} (this pipe writes ${LOCK_SCHEMA_VERSION})`
      : `${where} ${e.message}${e.keyword === 'additionalProperties' ? ` ('${(e.params as { additionalProperty: string }).additionalProperty}')` : ''}`;
    const d: Diagnostic = { message: `${shown} is not a valid lock file: ${detail}`, hint: RECOVER };
    return fail(d);
  }
  const stages = (data as { stages: Record<string, LockEntry> }).stages;
  return ok(new Map(Object.entries(stages)));
}

/** JSON with object keys sorted at every level: equal values give equal strings. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortDeep(v));
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

const byPath = (a: FileRecord, b: FileRecord) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function files(list: readonly FileRecord[]) {
  return [...list].sort(byPath).map((f) => {
    const r: Record<string, unknown> = { path: f.path, hash: f.hash, size: f.size };
    if (f.nfiles !== undefined) r.nfiles = f.nfiles;
    return r;
  });
}

/** The canonical form of an entry: fixed key order, sorted maps and lists. */
export function canonicalEntry(e: LockEntry): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  if (e.cmd !== undefined) r.cmd = e.cmd;
  if (e.uses !== undefined) r.uses = e.uses;
  if (e.version !== undefined) r.version = e.version;
  if (e.with !== undefined) r.with = sortDeep(e.with);
  if (e.params !== undefined && Object.keys(e.params).length) r.params = sortDeep(e.params);
  r.deps = files(e.deps);
  r.outs = files(e.outs);
  return r;
}

export function serializeLock(entries: LockEntries): string {
  const stages: Record<string, unknown> = {};
  for (const name of [...entries.keys()].sort()) stages[name] = canonicalEntry(entries.get(name)!);
  const header = '# Written by pipe: what each stage observed when it last succeeded. Do not edit.\n';
  return header + dumpYaml({ schema: LOCK_SCHEMA_VERSION, hash: HASH_NAME, stages }, { lineWidth: -1, noRefs: true, sortKeys: false });
}

/**
 * The single writer of data.lock for a run. Updates are applied in memory and flushed as one
 * atomic replacement; flushes are serialised, and a flush requested while one is in flight is
 * folded into the next, so concurrent stages never race on the file.
 */
export class LockWriter {
  private current: string | undefined;
  private inflight: Promise<void> | undefined;
  private again = false;
  /** Serialising a large lock costs more than a no-op run's checks: only when something changed. */
  private dirty = false;

  constructor(
    private readonly path: string,
    private readonly entries: LockEntries,
    existingText: string | undefined,
  ) {
    this.current = existingText;
  }

  get(name: string): LockEntry | undefined {
    return this.entries.get(name);
  }

  /** Forget a stage's record before it runs: a crash mid-run must leave it stale. */
  invalidate(name: string): Promise<void> {
    if (!this.entries.delete(name)) return Promise.resolve();
    this.dirty = true;
    return this.flush();
  }

  record(name: string, entry: LockEntry): Promise<void> {
    this.entries.set(name, entry);
    this.dirty = true;
    return this.flush();
  }

  /** Drops entries of stage items that no longer exist in the pipeline. */
  prune(keep: (name: string) => boolean): void {
    for (const name of [...this.entries.keys()]) {
      if (!keep(name)) {
        this.entries.delete(name);
        this.dirty = true;
      }
    }
  }

  flush(): Promise<void> {
    if (!this.dirty && !this.inflight) return Promise.resolve();
    if (this.inflight) {
      this.again = true;
      return this.inflight;
    }
    this.inflight = (async () => {
      do {
        this.again = false;
        this.dirty = false;
        const text = serializeLock(this.entries);
        if (text !== this.current) {
          await writeFileAtomic(this.path, text);
          this.current = text;
        }
      } while (this.again);
    })().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }
}
