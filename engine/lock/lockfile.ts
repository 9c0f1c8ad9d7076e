// data.lock: what pipe observed when each stage item last succeeded (DVC's dvc.lock, in spirit).
// pipeline.yaml says what the user intends; data.lock what was observed; a stage is stale when
// the two disagree. The file is deterministic (entries sorted by name, keys in a fixed order,
// deps/outs sorted by path), validated against schemas/lock.schema.json on every read, and
// replaced atomically. Serialising the same data twice gives the same bytes, so a run in which
// nothing changed leaves the file byte-identical.
import { validatorFor, type Validator } from '../config/validator-cache.js';
import { CORE_SCHEMA, dump as dumpYaml, load as loadYaml } from 'js-yaml';
import { readFile } from 'node:fs/promises';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
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
 * Stage items that started and have not been settled in data.lock yet. Before an item runs, a
 * small marker file named after it goes under `.pipe/running/`; whoever reads data.lock treats a
 * marked item's entry as absent, so a run killed mid-item leaves it stale. That is what rewriting
 * data.lock without the entry did before, but at the cost of one small file instead of
 * serialising the whole lock (which made a full run of n items cost O(n^2)).
 */
export class RunningMarks {
  constructor(private readonly dir: string) {}

  private file(name: string): string {
    return join(this.dir, createHash('sha1').update(name).digest('hex'));
  }

  mark(name: string): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.file(name), name);
  }

  clear(name: string): void {
    rmSync(this.file(name), { force: true });
  }

  /** The names of every marked item (a marker whose content does not match its file name is ignored). */
  list(): Set<string> {
    const names = new Set<string>();
    let files: string[];
    try {
      files = readdirSync(this.dir);
    } catch {
      return names;
    }
    for (const f of files) {
      let name: string;
      try {
        name = readFileSync(join(this.dir, f), 'utf8');
      } catch {
        continue;
      }
      if (createHash('sha1').update(name).digest('hex') === f) names.add(name);
    }
    return names;
  }
}

/** Deletes from `entries` the items marked as running (their outputs may be half-written); returns their names. */
export function dropRunning(entries: LockEntries, marks: RunningMarks): Set<string> {
  const running = marks.list();
  for (const name of running) entries.delete(name);
  return running;
}

/**
 * The single writer of data.lock for a run. An item is marked running (see RunningMarks) before
 * it runs; its new record is kept in memory and written with others in one atomic replacement at
 * most every `flushEveryMs` (longer when serialising takes long: flushes keep to ~10% of the time)
 * and at the end of the run, after which its marker goes. A crash before
 * that flush leaves the item marked, so stale: it reruns or is restored from the run-cache.
 * Flushes are serialised; changes made while one is in flight are written by another pass of it.
 */
export class LockWriter {
  private current: string | undefined;
  private inflight: Promise<void> | undefined;
  /** Serialising a large lock costs more than a no-op run's checks: only when something changed. */
  private dirty = false;
  /** Items with a marker file under .pipe/running/. */
  private readonly marked: Set<string>;
  /** Marked items whose in-memory state (recorded, or absent after a failure) is not on disk yet. */
  private settled = new Map<string, number>();
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  /** How long the last flush took: periodic flushes keep to a tenth of the run's time. */
  private lastFlushMs = 0;
  private readonly interrupted: ReadonlySet<string>;
  /** Items data.lock on disk may hold an entry for: only those need a marker to read as stale. */
  private onDisk: Set<string>;

  constructor(
    private readonly path: string,
    private readonly entries: LockEntries,
    existingText: string | undefined,
    private readonly marks: RunningMarks,
    /** Items found marked when the lock was read: their entries were dropped and must leave the file. */
    leftRunning: Iterable<string> = [],
    private readonly flushEveryMs = 1000,
  ) {
    this.current = existingText;
    this.interrupted = new Set(leftRunning);
    this.marked = new Set(this.interrupted);
    this.onDisk = new Set([...entries.keys(), ...this.interrupted]);
    for (const name of this.interrupted) {
      this.settled.set(name, this.seq++);
      this.dirty = true;
    }
  }

  get(name: string): LockEntry | undefined {
    return this.entries.get(name);
  }

  /** Whether a previous run was interrupted while this item ran (its entry was dropped). */
  wasInterrupted(name: string): boolean {
    return this.interrupted.has(name);
  }

  /** Called before an item runs: from now until its record is on disk, it reads as stale. */
  begin(name: string): void {
    // Without an entry on disk the item already reads as stale; a first run writes no markers.
    if (this.onDisk.has(name) && !this.marked.has(name)) {
      this.marks.mark(name);
      this.marked.add(name);
    }
    this.settled.delete(name);
    if (this.entries.delete(name)) this.dirty = true;
  }

  record(name: string, entry: LockEntry): void {
    this.entries.set(name, entry);
    this.settle(name);
  }

  /** The item failed: its entry stays gone, and its marker goes once the file says so. */
  failed(name: string): void {
    this.settle(name);
  }

  private settle(name: string): void {
    if (this.marked.has(name)) this.settled.set(name, this.seq++);
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      // A failed periodic flush is retried by the final one, which reports the error.
      this.flush().catch(() => undefined);
    }, Math.max(this.flushEveryMs, 10 * this.lastFlushMs));
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
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.dirty && !this.inflight) return Promise.resolve();
    // The pass in flight loops while anything changed meanwhile.
    if (this.inflight) return this.inflight;
    this.inflight = (async () => {
      do {
        this.dirty = false;
        const done = [...this.settled];
        const started = performance.now();
        const text = serializeLock(this.entries);
        if (text !== this.current) {
          const written = new Set(this.entries.keys());
          // While the write is in flight, either file may be the one on disk.
          for (const name of written) this.onDisk.add(name);
          await writeFileAtomic(this.path, text);
          this.current = text;
          this.onDisk = written;
        }
        this.lastFlushMs = performance.now() - started;
        for (const [name, seq] of done) {
          // Begun (or settled) again while we wrote? What we wrote is not its latest state.
          if (this.settled.get(name) !== seq) continue;
          this.settled.delete(name);
          this.marked.delete(name);
          this.marks.clear(name);
        }
      } while (this.dirty);
    })().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }
}
