// Writing HDF5 that netCDF-C (xarray engine="netcdf4") and h5netcdf (engine="h5netcdf") read as
// netCDF-4 groups, although netCDF never wrote it.
//
// What the two readers need, found by writing variants of a group and opening them with
// netCDF-C 4.9 / netCDF4-python 1.6 and h5netcdf 1.1 (HDF5 1.10), and kept true by
// test/binned-output/netcdf-compat.test.ts:
//
// - A dimension is a dataset marked as an HDF5 dimension scale (H5DSset_scale: attributes CLASS =
//   "DIMENSION_SCALE" and NAME). Both readers name the dimension after the dataset's link name,
//   not after NAME (an empty NAME reads the same); netCDF-C itself sets NAME to the variable name
//   for a coordinate variable, so we do too. The scale's values are the coordinate variable.
// - A variable's dimensions are the scales attached to its axes (H5DSattach_scale writes
//   DIMENSION_LIST on the variable and REFERENCE_LIST on the scale). This is the one hard
//   requirement: h5netcdf refuses a variable with an axis that has no scale ("no dimension scale
//   associated with axis 0", unless opened with phony_dims), and netCDF-C then guesses a
//   dimension of the same length (wrong when two dimensions have equal lengths) or invents
//   phony_dim_N. Each axis gets exactly one scale, from its own group.
// - `_Netcdf4Dimid` (int32 scalar on each scale) is optional for reading: without it netCDF-C
//   assigns dimension ids itself. netCDF-C writes it, and so do we, unique over the whole file
//   (netCDF dimension ids are file-global), so that the numbering is ours and stable.
// - `_Netcdf4Coordinates` is not written. netCDF-C takes a variable's dimension ids from it when
//   present (hdf5open.c `read_var` → `read_coord_dimids`) and otherwise matches DIMENSION_LIST
//   against the scales; with it absent there is a single source of truth for the dimensions.
// - `_NCProperties` is not written: it declares that netCDF-C produced the file, which is false;
//   netCDF-C reads its provenance only if present.
// - Link and attribute creation order are tracked in every group and dataset (h5wasm
//   `track_order`). Both readers read files without it, but netCDF-C needs it to *append* to one
//   (Unidata/netcdf-c#2054, as h5netcdf's File docstring notes), and with it variables list in
//   the order written rather than alphabetically.
// - Library version bounds [earliest, v1.10]: h5wasm's HDF5 is 2.0; the upper bound keeps it from
//   using any object format newer than HDF5 1.10, which many netCDF-C and h5py builds still use
//   (Debian's is 1.10.8). The lower bound lets each object use the oldest format that can hold it.

import type { Dataset, Group } from 'h5wasm/node';
import { createUninitialisedContiguous, type H5Runtime } from './h5-runtime.js';
import type { H5Dtype } from './layout.js';
import type { Storage } from './storage.js';

/** The file-format bounds every writer of ours passes to h5wasm's File. */
export const LIBVER_BOUNDS: ['earliest', 'v110'] = ['earliest', 'v110'];

export type NumericArray = Int8Array | Uint8Array | Float32Array | Float64Array | BigInt64Array;

/** A coordinate variable that is also a dimension. */
export interface Dimension {
  readonly name: string;
  /** Absolute HDF5 path of the scale dataset. */
  readonly path: string;
  readonly size: number;
}

/** Hands out netCDF dimension ids, unique over one file. */
export class DimensionIds {
  private next = 0;
  take(): number {
    return this.next++;
  }
}

function childPath(group: Group, name: string): string {
  return `${group.path === '/' ? '' : group.path}/${name}`;
}

export function createGroup(parent: Group, name: string): Group {
  return parent.create_group(name, true);
}

/** A 1-D coordinate variable `name(name)`, stored contiguously, registered as a dimension. */
export function createCoordinate(
  group: Group,
  spec: { readonly name: string; readonly dtype: H5Dtype; readonly values: NumericArray; readonly dimid: number },
): Dimension {
  const ds = group.create_dataset({
    name: spec.name,
    data: spec.values,
    shape: [spec.values.length],
    dtype: spec.dtype,
    track_order: true,
  });
  ds.make_scale(spec.name);
  ds.create_attribute('_Netcdf4Dimid', spec.dimid, [], '<i');
  return { name: spec.name, path: childPath(group, spec.name), size: spec.values.length };
}

export interface VariableSpec {
  readonly name: string;
  readonly dtype: H5Dtype;
  readonly dims: readonly Dimension[];
  readonly storage: Storage;
  /** The whole contents in C order, or omitted to create the variable for later `write_slice`s. */
  readonly values?: NumericArray;
}

/** A data variable with its dimension scales attached, axis by axis. */
export function createVariable(rt: H5Runtime, group: Group, spec: VariableSpec): Dataset {
  const shape = spec.dims.map((d) => d.size);
  const ds = spec.values ? createFilled(group, spec, shape) : createEmpty(rt, group, spec, shape);
  spec.dims.forEach((dim, axis) => ds.attach_scale(axis, dim.path));
  return ds;
}

function compressionArgs(storage: Storage) {
  return storage.layout === 'chunked'
    ? { chunks: [...storage.chunks], compression: 'gzip' as const, compression_opts: storage.gzipLevel }
    : {};
}

function createFilled(group: Group, spec: VariableSpec, shape: number[]): Dataset {
  const values = spec.values!;
  const expected = shape.reduce((a, b) => a * b, 1);
  if (values.length !== expected) {
    throw new RangeError(`${spec.name}: ${values.length} values for shape [${shape.join(', ')}]`);
  }
  return group.create_dataset({
    name: spec.name,
    data: values,
    shape,
    dtype: spec.dtype,
    track_order: true,
    ...compressionArgs(spec.storage),
  });
}

function createEmpty(rt: H5Runtime, group: Group, spec: VariableSpec, shape: number[]): Dataset {
  if (spec.storage.layout === 'contiguous') {
    return createUninitialisedContiguous(rt, group, { name: spec.name, dtype: spec.dtype, shape });
  }
  // A chunked dataset can start with a zero-length first axis and grow to its final, fixed
  // extent: no data passes through the wasm heap and no chunk exists until it is written. The
  // maximum extent is the final one, so after the resize the dataset is indistinguishable from
  // one created at full size (and no dimension looks unlimited to netCDF).
  const ds = group.create_dataset({
    name: spec.name,
    data: emptyOf(spec.dtype),
    shape: [0, ...shape.slice(1)],
    maxshape: shape,
    dtype: spec.dtype,
    track_order: true,
    ...compressionArgs(spec.storage),
  });
  ds.resize(shape);
  return ds;
}

function emptyOf(dtype: H5Dtype): NumericArray {
  switch (dtype) {
    case '<b':
      return new Int8Array(0);
    case '<B':
      return new Uint8Array(0);
    case '<f':
      return new Float32Array(0);
    case '<d':
      return new Float64Array(0);
    case '<q':
      return new BigInt64Array(0);
    default: {
      const never: never = dtype;
      throw new Error(`unknown dtype ${String(never)}`);
    }
  }
}
