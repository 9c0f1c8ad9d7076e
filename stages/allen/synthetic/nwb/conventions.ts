// NWB 2.2.2 / hdmf-common 1.1.3 storage conventions as hdmf 1.6 writes them
// (allen-nwb-layout.md §2.1): typed groups carry namespace, neurodata_type and object_id;
// DynamicTables carry colnames (1-D vlen UTF-8) and an int64 `id`; VectorData columns carry a
// description; a ragged column's `<name>_index` is an int64 VectorIndex of exclusive cumulative
// end offsets whose `target` attribute references the data column (and has no description);
// TimeSeries carry description/comments, data unit/conversion/resolution, timestamps
// interval/unit.

import type { H5Writer } from '../hdf5/writer.js';
import type { Rng } from '../random.js';

export const CORE = 'core';
export const HDMF_COMMON = 'hdmf-common';
export const AIBS_ECEPHYS = 'ndx-aibs-ecephys';

export class Nwb {
  constructor(
    readonly h5: H5Writer,
    private readonly objectIds: Rng,
  ) {}

  /** Marks an existing group or dataset as an NWB object of `type`. */
  typed(path: string, namespace: string, type: string): void {
    this.h5.attrStr(path, 'namespace', namespace);
    this.h5.attrStr(path, 'neurodata_type', type);
    this.h5.attrStr(path, 'object_id', this.objectIds.uuid4());
  }

  /** A typed group with optional extra string attributes (written before the type attributes). */
  container(path: string, namespace: string, type: string, attrs: Readonly<Record<string, string>> = {}): void {
    this.h5.group(path);
    for (const [name, value] of Object.entries(attrs)) this.h5.attrStr(path, name, value);
    this.typed(path, namespace, type);
  }

  processingModule(path: string, description: string): void {
    this.container(path, CORE, 'ProcessingModule', { description });
  }
}

// ---- DynamicTable ------------------------------------------------------------------------------

interface ColumnBase {
  readonly name: string;
  readonly description: string;
  /** Ragged column: exclusive cumulative end offsets, one per row (written as `<name>_index`). */
  readonly index?: BigInt64Array;
}

export type Column = ColumnBase &
  (
    | { readonly kind: 'f64'; readonly values: Float64Array }
    | { readonly kind: 'i64'; readonly values: BigInt64Array }
    | { readonly kind: 'str'; readonly values: readonly string[] }
    | { readonly kind: 'bool'; readonly values: Int8Array }
    | { readonly kind: 'ref'; readonly targets: readonly string[] }
    | { readonly kind: 'timeseries'; readonly idxStart: Int32Array; readonly count: Int32Array; readonly target: string }
    /** float64 rows × width written later with H5Writer.writeRows (the multi-GB spike columns). */
    | { readonly kind: 'prealloc'; readonly rows: number; readonly width?: number }
  );

export interface TableSpec {
  readonly namespace: string;
  readonly type: string;
  readonly description: string;
  readonly ids: BigInt64Array;
  readonly columns: readonly Column[];
}

export function writeDynamicTable(nwb: Nwb, path: string, spec: TableSpec): void {
  const { h5 } = nwb;
  h5.group(path);
  h5.attrStrs(path, 'colnames', spec.columns.map((c) => c.name));
  h5.attrStr(path, 'description', spec.description);
  nwb.typed(path, spec.namespace, spec.type);
  for (const col of spec.columns) {
    const at = `${path}/${col.name}`;
    writeColumnData(h5, at, col);
    h5.attrStr(at, 'description', col.description);
    nwb.typed(at, HDMF_COMMON, 'VectorData');
    if (col.index !== undefined) {
      const idx = `${at}_index`;
      h5.i64(idx, col.index);
      h5.attrRef(idx, 'target', at);
      nwb.typed(idx, HDMF_COMMON, 'VectorIndex');
    }
  }
  h5.i64(`${path}/id`, spec.ids);
  nwb.typed(`${path}/id`, HDMF_COMMON, 'ElementIdentifiers');
}

function writeColumnData(h5: H5Writer, at: string, col: Column): void {
  switch (col.kind) {
    case 'f64':
      return h5.f64(at, col.values);
    case 'i64':
      return h5.i64(at, col.values);
    case 'str':
      return h5.strs(at, col.values);
    case 'bool':
      return h5.bools(at, col.values);
    case 'ref':
      return h5.refs(at, col.targets);
    case 'timeseries':
      return h5.timeseriesColumn(at, col.idxStart, col.count, col.target);
    case 'prealloc':
      return h5.preallocateF64(at, col.width === undefined ? [col.rows] : [col.rows, col.width]);
  }
}

/** ids 0..n-1 (the default of pynwb's add_row / add_interval). */
export function rowIds(n: number): BigInt64Array {
  return BigInt64Array.from({ length: n }, (_, i) => BigInt(i));
}

/** 1, 2, …, n: the index of a ragged column holding exactly one element per row. */
export function onePerRow(n: number): BigInt64Array {
  return BigInt64Array.from({ length: n }, (_, i) => BigInt(i + 1));
}

// ---- TimeSeries --------------------------------------------------------------------------------

export interface TimeSeriesSpec {
  readonly data: Float64Array | Float32Array;
  /** Data shape when not 1-D (e.g. [n, 2] for screen coordinates). */
  readonly shape?: readonly number[];
  readonly unit: string;
  /** Stored timestamps, or a soft link to another TimeSeries' timestamps dataset. */
  readonly timestamps: Float64Array | { readonly link: string };
  readonly description?: string;
}

export function writeTimeSeries(nwb: Nwb, path: string, spec: TimeSeriesSpec): void {
  const { h5 } = nwb;
  nwb.container(path, CORE, 'TimeSeries', {
    comments: 'no comments',
    description: spec.description ?? 'no description',
  });
  const shape = spec.shape ?? [spec.data.length];
  if (spec.data instanceof Float64Array) h5.f64(`${path}/data`, spec.data, shape);
  else h5.f32(`${path}/data`, spec.data, shape);
  h5.attrF32(`${path}/data`, 'conversion', 1);
  h5.attrF32(`${path}/data`, 'resolution', -1);
  h5.attrStr(`${path}/data`, 'unit', spec.unit);
  if (spec.timestamps instanceof Float64Array) {
    h5.f64(`${path}/timestamps`, spec.timestamps);
    h5.attrI32(`${path}/timestamps`, 'interval', 1);
    h5.attrStr(`${path}/timestamps`, 'unit', 'seconds');
  } else {
    h5.softLink(`${path}/timestamps`, spec.timestamps.link);
  }
}
