// Writing small NWB-shaped files with h5wasm inside the tests (other writers' encodings, and
// deliberately broken files). h5wasm cannot write HDF5 enums; the Allen-layout file with its enum
// `valid_data` is written by h5py instead (fixtures/write_allen_session.py).

import type { Dataset, Group } from 'h5wasm/node';

type H5Wasm = typeof import('h5wasm/node');
export type H5Root = InstanceType<H5Wasm['File']>;
type TypedArray = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array;

let lib: H5Wasm | undefined;

/** Creates `file` (truncating it) and runs `build` on its root group. */
export async function writeH5(file: string, build: (root: H5Root) => void): Promise<void> {
  if (lib === undefined) {
    lib = await import('h5wasm/node');
    await lib.ready;
  }
  const f = new lib.File(file, 'w');
  try {
    build(f);
  } finally {
    f.close();
  }
}

/** Creates every missing group along `path` and returns the last one. */
export function groupAt(root: H5Root, path: string): Group {
  let g: Group = root;
  for (const part of path.split('/').filter(Boolean)) {
    const next = g.get(part);
    g = next === null ? g.create_group(part) : (next as Group);
  }
  return g;
}

export type ColumnData = TypedArray | string[] | { readonly data: TypedArray | string[]; readonly dtype: string };

export interface TableSpec {
  /** `colnames` as written; 'none' leaves the attribute out. Default: the column names, vlen. */
  readonly colnames?: readonly string[] | 'none' | { readonly fixed: readonly string[] } | { readonly scalar: string };
  readonly id: TypedArray;
  readonly columns?: Readonly<Record<string, ColumnData>>;
}

/** A DynamicTable group: `colnames`, `id` and one dataset per column (names may end in _index). */
export function writeTable(root: H5Root, path: string, spec: TableSpec): Group {
  const g = groupAt(root, path);
  const columns = spec.columns ?? {};
  const colnames = spec.colnames ?? Object.keys(columns).filter((c) => !c.endsWith('_index'));
  if (Array.isArray(colnames)) g.create_attribute('colnames', [...colnames] as string[]);
  else if (typeof colnames === 'object' && 'fixed' in colnames) {
    const width = Math.max(1, ...colnames.fixed.map((c) => c.length));
    g.create_attribute('colnames', [...colnames.fixed], [colnames.fixed.length], `A${width}`);
  } else if (typeof colnames === 'object' && 'scalar' in colnames) g.create_attribute('colnames', colnames.scalar, [], 'S');
  g.create_dataset({ name: 'id', data: spec.id });
  for (const [name, col] of Object.entries(columns)) {
    if (Array.isArray(col) || ArrayBuffer.isView(col)) g.create_dataset({ name, data: col as TypedArray | string[] });
    else g.create_dataset({ name, data: (col as { data: TypedArray | string[] }).data, dtype: (col as { dtype: string }).dtype });
  }
  return g;
}

/** A TimeSeries group with `data` and, unless `timestamps` is 'none', stored timestamps. */
export function writeTimeSeries(
  root: H5Root,
  path: string,
  spec: { readonly data: Float64Array; readonly shape?: number[]; readonly timestamps: Float64Array | 'none'; readonly unit?: string },
): Group {
  const g = groupAt(root, path);
  g.create_dataset({ name: 'data', data: spec.data, ...(spec.shape ? { shape: spec.shape } : {}) });
  if (spec.unit !== undefined) (g.get('data') as Dataset).create_attribute('unit', spec.unit);
  if (spec.timestamps !== 'none') g.create_dataset({ name: 'timestamps', data: spec.timestamps });
  return g;
}

/** The smallest valid units table: 3 units, spikes [0.5, 1.5], [], [2.5]. */
export function writeMinimalUnits(root: H5Root, overrides: Partial<Record<string, ColumnData>> = {}): Group {
  const columns: Record<string, ColumnData> = {
    spike_times: Float64Array.of(0.5, 1.5, 2.5),
    spike_times_index: BigInt64Array.of(2n, 2n, 3n),
  };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) columns[k] = v;
  return writeTable(root, '/units', { id: BigInt64Array.of(10n, 11n, 12n), columns, colnames: ['spike_times'] });
}
