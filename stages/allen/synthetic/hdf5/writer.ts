// A thin typed layer over h5wasm for writing one HDF5 file the way h5py 2.10 / hdmf 1.6 wrote the
// Allen session files (allen-nwb-layout.md §2.1): superblock 0 and version-1 object headers
// (h5py's default libver "earliest"), contiguous uncompressed datasets, vlen UTF-8 text, int64
// ids. Everything h5wasm cannot express directly is handled here or in ./header-patch.ts:
//
// - HDF5 enums (`valid_data`, `has_lfp_data`): h5wasm 0.10 has no enum write path. A one-member
//   int8 compound named BOOL_PLACEHOLDER_MEMBER is written instead (same 1-byte storage) and
//   rewritten into the h5py bool enum after the file is closed.
// - Preallocating a multi-GB dataset: h5wasm's create_dataset always writes a full-size buffer
//   from the WASM heap (max 2 GB). `preallocate` creates the dataset with a NULL buffer instead;
//   HDF5 creates the dataset, refuses the write ("no input buffer"), and leaves the storage to be
//   allocated by the first `writeRows`. The refusal prints an HDF5 error stack to fd 2, which is
//   swallowed for the duration of that one synchronous call.

import fs from 'node:fs';
import type { Dataset, File as H5File, Group, Reference } from 'h5wasm/node';

type H5Wasm = typeof import('h5wasm/node');
type H5Module = H5Wasm['Module'];

/** Name of the single int8 member of the stand-in compound for bool enums (see header-patch.ts). */
export const BOOL_PLACEHOLDER_MEMBER = 'h5enum_bool_FALSE_TRUE';

/** h5py's libver ("earliest", latest at the time = 1.10): superblock 0, v1 object headers. */
const LIBVER: ['earliest', 'v110'] = ['earliest', 'v110'];

let loaded: { readonly lib: H5Wasm; readonly module: H5Module } | undefined;

/** h5wasm loads lazily (pipe's status/dag commands must not pay for it). */
async function loadH5wasm(): Promise<{ readonly lib: H5Wasm; readonly module: H5Module }> {
  if (loaded === undefined) {
    const lib = await import('h5wasm/node');
    const module = await lib.ready;
    loaded = { lib, module };
  }
  return loaded;
}

function splitPath(path: string): { readonly parent: string; readonly name: string } {
  const cut = path.lastIndexOf('/');
  if (cut < 0 || path.endsWith('/')) throw new Error(`not an absolute object path: ${path}`);
  return { parent: cut === 0 ? '/' : path.slice(0, cut), name: path.slice(cut + 1) };
}

export class H5Writer {
  private constructor(
    private readonly lib: H5Wasm,
    private readonly module: H5Module,
    private readonly file: H5File,
  ) {}

  /** Loads h5wasm; must have resolved before `create` (which is synchronous, see ../clock.ts). */
  static async load(): Promise<void> {
    await loadH5wasm();
  }

  /** Creates (truncates) `path`. */
  static create(path: string): H5Writer {
    if (loaded === undefined) throw new Error('H5Writer.load() must resolve before H5Writer.create()');
    return new H5Writer(loaded.lib, loaded.module, new loaded.lib.File(path, 'w', { libver: LIBVER }));
  }

  /**
   * The object-header address of every object in a closed file (root, groups, datasets; soft
   * links resolve to their targets), for ./header-patch.ts. An object reference is that address.
   */
  static async objectAddresses(path: string): Promise<number[]> {
    const { lib } = await loadH5wasm();
    const f = new lib.File(path, 'r');
    try {
      const addresses = [referenceAddress(f.create_reference())];
      for (const p of f.paths()) {
        const o = f.get(p);
        if (o instanceof lib.Group || o instanceof lib.Dataset) addresses.push(referenceAddress(o.create_reference()));
      }
      return addresses;
    } finally {
      f.close();
    }
  }

  close(): void {
    this.file.close();
  }

  private groupAt(path: string): Group {
    const g = path === '/' ? this.file : this.file.get(path);
    if (g === null || !(g instanceof this.lib.Group)) throw new Error(`no group at ${path}`);
    return g;
  }

  private objectAt(path: string): Group | Dataset {
    const o = path === '/' ? this.file : this.file.get(path);
    if (o instanceof this.lib.Group || o instanceof this.lib.Dataset) return o;
    throw new Error(`no group or dataset at ${path}`);
  }

  private datasetAt(path: string): Dataset {
    const d = this.file.get(path);
    if (!(d instanceof this.lib.Dataset)) throw new Error(`no dataset at ${path}`);
    return d;
  }

  // ---- groups and links -------------------------------------------------------------------

  group(path: string): void {
    const { parent, name } = splitPath(path);
    this.groupAt(parent).create_group(name);
  }

  softLink(path: string, target: string): void {
    const { parent, name } = splitPath(path);
    this.groupAt(parent).create_soft_link(target, name);
  }

  reference(path: string): Reference {
    return this.objectAt(path).create_reference();
  }

  // ---- attributes --------------------------------------------------------------------------

  attrStr(path: string, name: string, value: string): void {
    this.objectAt(path).create_attribute(name, value, [], 'S');
  }

  /** A 1-D vlen UTF-8 attribute, as h5py 2.10 writes a list of str (e.g. `colnames`). */
  attrStrs(path: string, name: string, values: readonly string[]): void {
    this.objectAt(path).create_attribute(name, [...values], [values.length], 'S');
  }

  attrF64(path: string, name: string, value: number): void {
    this.objectAt(path).create_attribute(name, Float64Array.of(value), [], '<d');
  }

  attrF32(path: string, name: string, value: number): void {
    this.objectAt(path).create_attribute(name, Float32Array.of(value), [], '<f');
  }

  attrI64(path: string, name: string, value: number): void {
    this.objectAt(path).create_attribute(name, BigInt64Array.of(BigInt(value)), [], '<q');
  }

  attrI32(path: string, name: string, value: number): void {
    this.objectAt(path).create_attribute(name, Int32Array.of(value), [], '<i');
  }

  attrRef(path: string, name: string, target: string): void {
    this.objectAt(path).create_attribute(name, this.reference(target), [], 'Reference');
  }

  /** A scalar bool, written as the placeholder compound and patched into an enum later. */
  attrBool(path: string, name: string, value: boolean): void {
    const data = new Map([[BOOL_PLACEHOLDER_MEMBER, Int8Array.of(value ? 1 : 0)]]);
    this.objectAt(path).create_attribute(name, data, [], [[BOOL_PLACEHOLDER_MEMBER, '<b']]);
  }

  // ---- datasets ----------------------------------------------------------------------------

  private dataset(path: string, args: Omit<Parameters<Group['create_dataset']>[0], 'name'>): void {
    const { parent, name } = splitPath(path);
    this.groupAt(parent).create_dataset({ name, ...args });
  }

  /** Scalar text. `ascii` gives vlen ASCII, as hdmf writes isodatetime fields. */
  strScalar(path: string, value: string, opts: { readonly ascii?: boolean } = {}): void {
    this.dataset(path, { data: value, dtype: opts.ascii === true ? 'A' : 'S' });
  }

  strs(path: string, values: readonly string[], opts: { readonly ascii?: boolean } = {}): void {
    this.dataset(path, { data: [...values], shape: [values.length], dtype: opts.ascii === true ? 'A' : 'S' });
  }

  f64(path: string, values: Float64Array, shape: readonly number[] = [values.length]): void {
    this.dataset(path, { data: values, shape: [...shape], dtype: '<d' });
  }

  f32(path: string, values: Float32Array, shape: readonly number[] = [values.length]): void {
    this.dataset(path, { data: values, shape: [...shape], dtype: '<f' });
  }

  i64(path: string, values: BigInt64Array): void {
    this.dataset(path, { data: values, shape: [values.length], dtype: '<q' });
  }

  /** A 1-D bool column: the placeholder compound, patched into an int8 enum after close. */
  bools(path: string, values: Int8Array): void {
    this.dataset(path, {
      data: new Map([[BOOL_PLACEHOLDER_MEMBER, values]]),
      shape: [values.length],
      dtype: [[BOOL_PLACEHOLDER_MEMBER, '<b']],
    });
  }

  /** A column of object references (the electrodes `group` column). */
  refs(path: string, targets: readonly string[]): void {
    const cache = new Map<string, Reference>();
    const data = targets.map((t) => {
      let ref = cache.get(t);
      if (ref === undefined) cache.set(t, (ref = this.reference(t)));
      return ref;
    });
    this.dataset(path, { data, shape: [data.length], dtype: 'Reference' });
  }

  /** The TimeIntervals `timeseries` column: compound {idx_start i4, count i4, timeseries ref}. */
  timeseriesColumn(path: string, idxStart: Int32Array, count: Int32Array, target: string): void {
    const ref = this.reference(target);
    const refs = Array.from({ length: idxStart.length }, () => ref);
    this.dataset(path, {
      data: new Map<string, Int32Array | Reference[]>([
        ['idx_start', idxStart],
        ['count', count],
        ['timeseries', refs],
      ]),
      shape: [idxStart.length],
      dtype: [
        ['idx_start', '<i'],
        ['count', '<i'],
        ['timeseries', 'Reference'],
      ],
    });
  }

  /** Creates a contiguous float64 dataset of `shape` without writing it; fill with `writeRows`. */
  preallocateF64(path: string, shape: readonly number[]): void {
    const metadata = {
      type: this.module.H5T_class_t.H5T_FLOAT.value,
      size: 8,
      signed: false,
      littleEndian: true,
      vlen: false,
      shape: shape.map(BigInt),
      maxshape: shape.map(BigInt),
      chunks: null,
      compression: 0,
      compression_opts: [],
      track_order: false,
    };
    // Any error other than the expected refusal surfaces below: the dataset would be missing.
    withStderrSwallowed(() => {
      this.module.create_dataset(this.file.file_id, path, 0n, metadata as unknown as Parameters<H5Module['create_dataset']>[3]);
    });
    const ds = this.datasetAt(path);
    const got = ds.shape ?? [];
    if (got.length !== shape.length || got.some((n, i) => n !== shape[i])) {
      throw new Error(`preallocating ${path} failed: shape ${got.join('x')}`);
    }
  }

  /** Writes rows [row, row + n) of a (preallocated) float64 dataset; `data` is row-major. */
  writeRows(path: string, row: number, data: Float64Array, rowWidth = 1): void {
    const n = data.length / rowWidth;
    if (n === 0) return;
    const ranges: [number, number][] = rowWidth === 1 ? [[row, row + n]] : [[row, row + n], [0, rowWidth]];
    this.datasetAt(path).write_slice(ranges, data);
  }
}

/** An HDF5 object reference (hobj_ref_t) is the object header's file address, little-endian. */
function referenceAddress(ref: Reference): number {
  // ref_data may be a view from another realm (embind); copy it into a plain buffer first.
  const bytes = Uint8Array.from(ref.ref_data);
  return Number(new DataView(bytes.buffer).getBigUint64(0, true));
}

type WriteSync = typeof fs.writeSync;

function withStderrSwallowed(fn: () => void): void {
  const target = fs as unknown as { writeSync: WriteSync };
  const real = target.writeSync;
  target.writeSync = ((fd: number, buffer: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => {
    if (fd === 2) return typeof buffer === 'string' ? Buffer.byteLength(buffer) : ((rest[1] as number | undefined) ?? buffer.byteLength);
    return (real as (...a: unknown[]) => number).call(fs, fd, buffer, ...rest);
  }) as WriteSync;
  try {
    fn();
  } finally {
    target.writeSync = real;
  }
}
