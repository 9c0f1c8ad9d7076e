// One open HDF5 file, read through h5wasm, with every failure turned into a StageError that
// names the file and the HDF5 path.
//
// h5wasm/node is compiled with Emscripten NODERAWFS: HDF5's POSIX reads go straight to the host
// file, so opening a 3 GB session costs a few KB of metadata reads and the wasm heap only holds
// what is actually read (measured in test/nwb/README.md). h5wasm is imported lazily, on the first
// open, so that code which only needs these types does not load 4 MB of wasm (style.md §10).
//
// The dataset reads themselves live in h5read.ts; this file owns opening, closing, lookup and
// attributes.

import type { Dataset, Group, Metadata, OutputData } from 'h5wasm/node';
import { StageError } from '../../../engine/builtin/types.js';
import { FIX_DAMAGED, FIX_NOT_A_SESSION, nwbError } from './errors.js';
import { checkSuperblock, type SuperblockCheck } from './superblock.js';

type H5Wasm = typeof import('h5wasm/node');
export type H5Module = Awaited<H5Wasm['ready']>;

/** Soft links followed before a chain is declared broken (HDF5's own limit is 16 by default). */
const MAX_SOFT_LINK_HOPS = 16;

let loading: Promise<{ lib: H5Wasm; module: H5Module }> | undefined;

function loadH5wasm(): Promise<{ lib: H5Wasm; module: H5Module }> {
  loading ??= import('h5wasm/node').then(async (lib) => ({ lib, module: await lib.ready }));
  return loading;
}

/** What a path names. Soft links are followed; a dangling one is reported as such. */
export type Entity =
  | { readonly kind: 'group'; readonly group: Group }
  | { readonly kind: 'dataset'; readonly dataset: Dataset }
  | { readonly kind: 'absent' }
  | { readonly kind: 'broken-link'; readonly target: string }
  | { readonly kind: 'unsupported'; readonly what: string };

export class H5File {
  private closed = false;
  private readonly metadataCache = new Map<string, Metadata>();
  private readonly linkCache = new Map<string, Set<string>>();

  private constructor(
    /** The file as given by the caller, for messages. */
    readonly file: string,
    private readonly lib: H5Wasm,
    /** The h5wasm Emscripten module, for h5read.ts's status-checked reads. */
    readonly module: H5Module,
    private readonly handle: InstanceType<H5Wasm['File']>,
  ) {}

  static async open(file: string): Promise<H5File> {
    let check: SuperblockCheck;
    try {
      check = await checkSuperblock(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw nwbError({
        file,
        problem: `cannot be read (${code ?? (e as Error).message})`,
        fix: code === 'ENOENT' ? 'check the path; the file does not exist' : 'check the path and the file permissions',
      });
    }
    if (check.kind === 'not-hdf5') {
      throw nwbError({
        file,
        problem: `is not an HDF5 file (no HDF5 signature in its ${check.size} bytes)`,
        fix: `${FIX_NOT_A_SESSION}; a download that saved an error page instead of the file looks like this`,
      });
    }
    if (check.kind === 'truncated') {
      throw nwbError({
        file,
        problem: `is truncated: it has ${check.size} bytes but its HDF5 superblock says it ends at byte ${check.expectedSize}`,
        fix: 'the download was probably interrupted; delete the file and download it again',
      });
    }
    const { lib, module } = await loadH5wasm();
    let handle: InstanceType<H5Wasm['File']>;
    try {
      handle = new lib.File(file, 'r');
    } catch (e) {
      throw nwbError({ file, problem: `HDF5 could not open it: ${(e as Error).message}`, fix: FIX_DAMAGED });
    }
    // h5wasm reports a failed H5Fopen as a negative id, not as an exception.
    if (handle.file_id < 0n) {
      throw nwbError({ file, problem: 'HDF5 could not open it (the HDF5 error stack above says why)', fix: FIX_DAMAGED });
    }
    return new H5File(file, lib, module, handle);
  }

  get fileId(): bigint {
    return this.handle.file_id;
  }

  /** Idempotent, so that a `finally` may always call it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handle.close();
  }

  fail(path: string | undefined, problem: string, fix: string = FIX_NOT_A_SESSION): never {
    throw nwbError({ file: this.file, ...(path === undefined ? {} : { path }), problem, fix });
  }

  /** Runs an h5wasm call, turning its plain Errors ("name not defined!", …) into StageErrors. */
  guard<T>(path: string, what: string, call: () => T): T {
    if (this.closed) throw new Error(`H5File ${this.file} used after close()`);
    try {
      return call();
    } catch (e) {
      if (e instanceof StageError) throw e;
      return this.fail(path, `HDF5 could not ${what}: ${(e as Error).message}`, FIX_DAMAGED);
    }
  }

  /**
   * What `path` names, resolved one link at a time.
   *
   * Why not just h5wasm's Group.get: for a soft link whose target lies under a missing group
   * (`timestamps` → `/processing/running/gone/timestamps`), its H5LTpath_valid check returns an
   * error code that h5wasm takes for "exists", and the object type it then reports is read from
   * an unfilled struct — a dangling link came back as a Group. So each level is checked here
   * against its parent's link names, and soft links are followed explicitly (HDF5 soft-link
   * values are absolute or relative to the link's group).
   */
  entity(path: string): Entity {
    return this.resolve(path, 0);
  }

  private resolve(path: string, hops: number): Entity {
    const normalized = `/${path.split('/').filter(Boolean).join('/')}`;
    if (normalized === '/') return { kind: 'group', group: this.handle };
    const cut = normalized.lastIndexOf('/');
    const parent = cut === 0 ? '/' : normalized.slice(0, cut);
    const name = normalized.slice(cut + 1);
    const up = this.resolve(parent, hops);
    if (up.kind === 'broken-link') return up;
    if (up.kind !== 'group') return { kind: 'absent' };
    if (!this.linkNames(up.group.path).has(name)) return { kind: 'absent' };
    const target = this.guard(normalized, 'read the link', () => this.handle.get_link(normalized)) as string | null;
    if (typeof target === 'string') {
      const absolute = target.startsWith('/') ? target : `${parent}/${target}`;
      if (hops >= MAX_SOFT_LINK_HOPS) return { kind: 'broken-link', target };
      const resolved = this.resolve(absolute, hops + 1);
      if (resolved.kind === 'absent' || resolved.kind === 'broken-link') return { kind: 'broken-link', target };
      return resolved;
    }
    const found = this.guard(normalized, 'look it up', () => this.handle.get(normalized));
    if (found === null) return { kind: 'absent' };
    if (found instanceof this.lib.Group) return { kind: 'group', group: found };
    if (found instanceof this.lib.Dataset) return { kind: 'dataset', dataset: found };
    if (found instanceof this.lib.BrokenSoftLink) return { kind: 'broken-link', target: found.target };
    if (found instanceof this.lib.ExternalLink) return { kind: 'unsupported', what: `an external link to ${found.filename}:${found.obj_path}` };
    return { kind: 'unsupported', what: 'a named datatype' };
  }

  /** The link names of a group (cached: the file is opened read-only). */
  private linkNames(groupPath: string): Set<string> {
    let names = this.linkCache.get(groupPath);
    if (names === undefined) {
      names = new Set(this.guard(groupPath, 'list the group', () => this.module.get_names(this.fileId, groupPath, false)));
      this.linkCache.set(groupPath, names);
    }
    return names;
  }

  /** The group at `path`, or undefined if nothing is there; anything else there is an error. */
  optionalGroup(path: string): Group | undefined {
    const e = this.entity(path);
    if (e.kind === 'group') return e.group;
    if (e.kind === 'absent') return undefined;
    return this.wrongKind(path, e, 'a group');
  }

  requireGroup(path: string, fix?: string): Group {
    const g = this.optionalGroup(path);
    return g ?? this.fail(path, 'is missing', fix);
  }

  /** True for a dataset, false for nothing; anything else at `path` is an error. */
  hasDataset(path: string): boolean {
    const e = this.entity(path);
    if (e.kind === 'dataset') return true;
    if (e.kind === 'absent') return false;
    return this.wrongKind(path, e, 'a dataset');
  }

  requireDataset(path: string, fix?: string): void {
    if (!this.hasDataset(path)) this.fail(path, 'is missing', fix);
  }

  private wrongKind(path: string, e: Entity, expected: string): never {
    switch (e.kind) {
      case 'broken-link':
        return this.fail(path, `is a soft link to ${e.target}, which does not exist`, FIX_DAMAGED);
      case 'unsupported':
        return this.fail(path, `is ${e.what}; expected ${expected}`);
      case 'group':
        return this.fail(path, `is a group; expected ${expected}`);
      case 'dataset':
        return this.fail(path, `is a dataset; expected ${expected}`);
      case 'absent':
        return this.fail(path, 'is missing');
    }
  }

  /** Names of the links in a group, as HDF5 lists them. */
  childNames(path: string): string[] {
    const g = this.requireGroup(path);
    return [...this.linkNames(g.path)];
  }

  /** Dataset metadata (shape, type class, size), cached per path: the spike loop asks often. */
  metadata(path: string): Metadata {
    let m = this.metadataCache.get(path);
    if (m === undefined) {
      m = this.guard(path, 'read the dataset header', () => this.module.get_dataset_metadata(this.fileId, path));
      this.metadataCache.set(path, m);
    }
    return m;
  }

  /** Number of rows (the first dimension); 1 for a scalar, 0 for an HDF5 null dataspace. */
  rowCount(path: string): number {
    const shape = this.metadata(path).shape;
    if (shape === null) return 0;
    return shape.length === 0 ? 1 : (shape[0] ?? 0);
  }

  // ----- attributes -------------------------------------------------------------------------

  private attribute(path: string, name: string): OutputData | null | undefined {
    const e = this.entity(path);
    if (e.kind !== 'group' && e.kind !== 'dataset') return undefined;
    const owner = e.kind === 'group' ? e.group : e.dataset;
    const names = this.guard(path, 'list its attributes', () => this.module.get_attribute_names(this.fileId, path));
    if (!names.includes(name)) return undefined;
    return this.guard(`${path}@${name}`, 'read the attribute', () => owner.get_attribute(name, false));
  }

  /**
   * A text attribute as a list: scalar and 1-D, vlen and fixed-length, UTF-8 and ASCII all give
   * string[] (NWB 2.0 files store `colnames` as fixed-length ASCII, later ones as vlen UTF-8).
   */
  attrStrings(path: string, name: string): string[] | undefined {
    const v = this.attribute(path, name);
    if (v === undefined) return undefined;
    if (v === null) return []; // HDF5 null dataspace: an empty list
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x): x is string => typeof x === 'string')) return v;
    return this.fail(`${path}@${name}`, 'is not text');
  }

  attrString(path: string, name: string): string | undefined {
    const v = this.attrStrings(path, name);
    if (v === undefined || v.length === 0) return undefined;
    if (v.length > 1) this.fail(`${path}@${name}`, `holds ${v.length} strings; expected one`);
    return v[0];
  }

  /** A numeric attribute stored as a scalar or as a 1-element array, of any width. */
  attrNumber(path: string, name: string): number | undefined {
    const v = this.attribute(path, name);
    if (v === undefined || v === null) return undefined;
    const first = typeof v === 'number' || typeof v === 'bigint' ? v : ArrayBuffer.isView(v) && (v as ArrayLike<unknown>).length === 1 ? (v as ArrayLike<unknown>)[0] : undefined;
    if (typeof first === 'number') return first;
    if (typeof first === 'bigint' && first <= BigInt(Number.MAX_SAFE_INTEGER) && first >= -BigInt(Number.MAX_SAFE_INTEGER)) return Number(first);
    return this.fail(`${path}@${name}`, 'is not a single number');
  }
}
