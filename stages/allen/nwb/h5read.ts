// Dataset reads with the HDF5 status checked.
//
// Why not h5wasm's Dataset.value / Dataset.slice: they ignore the status H5Dread returns. When a
// read fails (a damaged compressed chunk, an unreadable block) they hand back whatever was in the
// freshly malloc'ed wasm buffer as if it were data — a silently wrong spike train. Here the same
// exported primitive (Module.get_dataset_data, a hyperslab H5Dread into a wasm buffer) is called
// directly and a negative status becomes a StageError. Offsets and counts are BigInt, so datasets
// larger than 2^32 elements are addressed correctly; only the selection has to fit in wasm memory.
//
// All numbers come back as float64 (see types.ts). HDF5 converts big-endian data to little-endian
// during the read (h5wasm sets the memory type's byte order), so the bytes are native here.

import type { Metadata } from 'h5wasm/node';
import { FIX_DAMAGED } from './errors.js';
import type { H5File } from './h5file.js';

export type TypeClass = 'integer' | 'float' | 'enum' | 'string' | 'other';

/** The HDF5 type class of a dataset, from h5wasm metadata (H5T_class_t values). */
export function typeClass(h5: H5File, m: Metadata): TypeClass {
  const c = h5.module.H5T_class_t;
  switch (m.type) {
    case c.H5T_INTEGER.value:
      return 'integer';
    case c.H5T_FLOAT.value:
      return 'float';
    case c.H5T_ENUM.value:
      return 'enum';
    case c.H5T_STRING.value:
      return 'string';
    default:
      return 'other';
  }
}

export function isNumericClass(t: TypeClass): boolean {
  return t === 'integer' || t === 'float' || t === 'enum';
}

export interface NumericRead {
  /** Row-major values. */
  readonly values: Float64Array;
  /** Shape of what was read ([] for a scalar). */
  readonly shape: readonly number[];
}

/**
 * Reads rows [start, end) of a numeric dataset (all of it when `rows` is omitted), every trailing
 * dimension included. Rows must lie inside the dataset; callers validate indexes first.
 */
export function readNumeric(h5: H5File, path: string, rows?: { readonly start: number; readonly end: number }): NumericRead {
  const m = h5.metadata(path);
  const cls = typeClass(h5, m);
  if (!isNumericClass(cls)) h5.fail(path, `holds ${describeType(h5, m)}; expected numbers`);
  const full = m.shape ?? [0];
  let shape: number[];
  let selection: { count: bigint[]; offset: bigint[]; strides: bigint[] } | undefined;
  if (rows === undefined || full.length === 0) {
    shape = [...full];
  } else {
    const n = full[0] ?? 0;
    if (!(Number.isInteger(rows.start) && Number.isInteger(rows.end) && 0 <= rows.start && rows.start <= rows.end && rows.end <= n)) {
      throw new RangeError(`${path}: rows [${rows.start}, ${rows.end}) outside [0, ${n})`);
    }
    shape = [rows.end - rows.start, ...full.slice(1)];
    selection = {
      count: shape.map(BigInt),
      offset: full.map((_, i) => (i === 0 ? BigInt(rows.start) : 0n)),
      strides: full.map(() => 1n),
    };
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count === 0) return { values: new Float64Array(0), shape };
  const bytes = readBytes(h5, path, m.size * count, selection);
  return { values: toFloat64(h5, path, bytes, m), shape };
}

/** A whole string dataset (scalar or 1-D; vlen or fixed-length) as a flat list. */
export function readStrings(h5: H5File, path: string): string[] {
  const m = h5.metadata(path);
  if (typeClass(h5, m) !== 'string') h5.fail(path, `holds ${describeType(h5, m)}; expected text`);
  const count = (m.shape ?? [0]).reduce((a, b) => a * b, 1);
  if (count === 0) return [];
  const mod = h5.module;
  const nbytes = m.size * count;
  const ptr = malloc(h5, path, nbytes);
  try {
    // Zeroed first, so that after a failed read the vlen reclaim below frees only NULLs.
    mod.HEAPU8.fill(0, ptr, ptr + nbytes);
    const status = h5.guard(path, 'read the dataset', () => mod.get_dataset_data(h5.fileId, path, null, null, null, BigInt(ptr)));
    if (status < 0) h5.fail(path, 'could not be read (HDF5 error, see above)', FIX_DAMAGED);
    // HEAPU8 is re-fetched after the read: wasm memory may have grown while HDF5 allocated strings.
    const heap = mod.HEAPU8;
    const out: string[] = new Array<string>(count);
    if (m.vlen) {
      const pointers = new Uint32Array(heap.buffer.slice(ptr, ptr + nbytes));
      for (let i = 0; i < count; i++) {
        const p = pointers[i] ?? 0;
        out[i] = p === 0 ? '' : mod.UTF8ToString(p);
      }
    } else {
      const decoder = new TextDecoder('utf-8');
      const spacePadded = m.strpad === 2; // H5T_STR_SPACEPAD (Fortran-style)
      for (let i = 0; i < count; i++) {
        let cell = heap.subarray(ptr + i * m.size, ptr + (i + 1) * m.size);
        const nul = cell.indexOf(0);
        if (nul >= 0) cell = cell.subarray(0, nul);
        const s = decoder.decode(cell);
        out[i] = spacePadded ? s.trimEnd() : s;
      }
    }
    return out;
  } finally {
    if (m.vlen) mod.reclaim_vlen_memory(h5.fileId, path, '', BigInt(ptr));
    mod._free(ptr);
  }
}

function readBytes(
  h5: H5File,
  path: string,
  nbytes: number,
  sel: { count: bigint[]; offset: bigint[]; strides: bigint[] } | undefined,
): Uint8Array {
  const mod = h5.module;
  const ptr = malloc(h5, path, nbytes);
  try {
    const status = h5.guard(path, 'read the dataset', () =>
      mod.get_dataset_data(h5.fileId, path, sel?.count ?? null, sel?.offset ?? null, sel?.strides ?? null, BigInt(ptr)),
    );
    if (status < 0) h5.fail(path, 'could not be read (HDF5 error, see above)', FIX_DAMAGED);
    return mod.HEAPU8.slice(ptr, ptr + nbytes); // a copy with its own, aligned ArrayBuffer
  } finally {
    mod._free(ptr);
  }
}

function malloc(h5: H5File, path: string, nbytes: number): number {
  // wasm32 memory is capped (h5wasm: 2 GiB); a damaged shape must not become an abort.
  if (nbytes > h5.module.MAXIMUM_MEMORY / 2) {
    h5.fail(path, `is too large to read at once (${nbytes} bytes)`, FIX_DAMAGED);
  }
  const ptr = h5.module._malloc(nbytes);
  if (ptr === 0) h5.fail(path, `could not get ${nbytes} bytes of wasm memory to read it`, 'free memory or read fewer rows at a time');
  return ptr;
}

function toFloat64(h5: H5File, path: string, bytes: Uint8Array, m: Metadata): Float64Array {
  const { buffer } = bytes;
  const cls = typeClass(h5, m);
  if (cls === 'float') {
    if (m.size === 8) return new Float64Array(buffer);
    if (m.size === 4) return Float64Array.from(new Float32Array(buffer));
    return h5.fail(path, `holds ${m.size * 8}-bit floats, which are not supported`);
  }
  // Integers and enums (an enum's metadata describes its base integer type).
  switch (m.size) {
    case 1:
      return Float64Array.from(m.signed ? new Int8Array(buffer) : new Uint8Array(buffer));
    case 2:
      return Float64Array.from(m.signed ? new Int16Array(buffer) : new Uint16Array(buffer));
    case 4:
      return Float64Array.from(m.signed ? new Int32Array(buffer) : new Uint32Array(buffer));
    case 8:
      return bigToFloat64(h5, path, m.signed ? new BigInt64Array(buffer) : new BigUint64Array(buffer));
    default:
      return h5.fail(path, `holds ${m.size * 8}-bit integers, which are not supported`);
  }
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/** int64/uint64 → float64, refusing values a double cannot hold exactly (ids must not round). */
function bigToFloat64(h5: H5File, path: string, src: BigInt64Array | BigUint64Array): Float64Array {
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i] as bigint;
    if (v > MAX_EXACT || v < -MAX_EXACT) {
      h5.fail(path, `element ${i} is ${v}, beyond the exactly representable integers (±2^53)`, 'this reader keeps integers as float64; such values are not supported');
    }
    out[i] = Number(v);
  }
  return out;
}

export function describeType(h5: H5File, m: Metadata): string {
  const cls = typeClass(h5, m);
  if (cls === 'other') {
    const c = h5.module.H5T_class_t;
    if (m.type === c.H5T_REFERENCE.value) return 'object references';
    if (m.type === c.H5T_COMPOUND.value) return 'compound records';
    return `values of HDF5 type class ${m.type}`;
  }
  return cls === 'string' ? 'text' : `${m.size * 8}-bit ${cls} values`;
}
