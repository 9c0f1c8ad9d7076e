// The per-stimulus files as scientists open them: xarray with engine="h5netcdf" and
// engine="netcdf4" for every leaf group, h5py for the HDF5 dimension-scale wiring, and
// xarray.open_datatree where the installed xarray has it.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, GAZE_VARIABLES, type Compression, type SpikeDtype } from '../../stages/binned/output/index.js';
import {
  FIXTURE_GROUPS,
  PROVENANCE,
  gazeValues,
  makeTempDir,
  presentationColumns,
  presentationIds,
  speedValues,
  spikeTensor,
  timeCentres,
  writeFixtureFile,
  type FixtureGroup,
  type WriteMode,
} from './fixtures.js';
import { runPython } from './python.js';

interface VarView {
  dims: string[];
  dtype: string;
  shape: number[];
  values: (number | null)[];
}
interface GroupView {
  dims: [string, number][];
  coords: Record<string, VarView>;
  data_vars: Record<string, VarView>;
  data_var_order: string[];
}
interface XarrayView {
  xarray: string;
  root_attrs: Record<string, string>;
  groups: Record<string, GroupView>;
}
interface DatasetView {
  dtype: string;
  shape: number[];
  maxshape: number[];
  chunks: number[] | null;
  compression: string | null;
  compression_opts: number | null;
  is_scale: boolean;
  CLASS: string | null;
  NAME: string | null;
  dimid: number | null;
  dimid_shape: number[] | null;
  reference_count: number;
  attached: string[][];
  attrs: string[];
}
interface H5View {
  groups: string[];
  datasets: Record<string, DatasetView>;
  root_attrs: Record<string, string>;
  creation_order_untracked: string[];
}

const ENGINES = ['h5netcdf', 'netcdf4'] as const;

const base = (g: FixtureGroup) => `session_${g.sessionId}/${g.structure}`;
const nanToNull = (values: ArrayLike<number>) => Array.from(values, (v) => (Number.isNaN(v) ? null : v));

function leafGroups(): string[] {
  return FIXTURE_GROUPS.flatMap((g) =>
    ['spike_data', 'speed', 'presentations', ...(g.gaze ? ['gaze_data'] : [])].map((leaf) => `${base(g)}/${leaf}`),
  );
}

function expectCoordinates(view: GroupView, g: FixtureGroup, names: readonly string[]): void {
  expect(Object.keys(view.coords).sort()).toEqual([...names].sort());
  for (const name of names) {
    const c = view.coords[name]!;
    expect(c.dims).toEqual([name]);
    if (name === 'presentation_id') expect(c).toMatchObject({ dtype: 'int64', values: presentationIds(g) });
    if (name === 'time') expect(c).toMatchObject({ dtype: 'float64', values: Array.from(timeCentres(g)) });
    if (name === 'unit_id') expect(c).toMatchObject({ dtype: 'int64', values: g.unitIds });
  }
}

/** Everything a reader must see in one fixture file, whichever engine it uses. */
function expectFixtureContents(view: XarrayView, spikeDtype: SpikeDtype): void {
  expect(view.root_attrs).toEqual({
    pipe_version: PROVENANCE.toolVersion,
    pipe_parameters: canonicalJson(PROVENANCE.parameters),
    source_nwb_hashes: canonicalJson(PROVENANCE.sourceHashes),
  });
  for (const g of FIXTURE_GROUPS) {
    const U = g.unitIds.length;
    const spikes = view.groups[`${base(g)}/spike_data`]!;
    expectCoordinates(spikes, g, ['presentation_id', 'time', 'unit_id']);
    expect(spikes.data_vars.spike_data).toEqual({
      dims: ['presentation_id', 'time', 'unit_id'],
      dtype: spikeDtype,
      shape: [g.P, g.T, U],
      values: Array.from(spikeTensor(g, spikeDtype)),
    });

    const speed = view.groups[`${base(g)}/speed`]!;
    expectCoordinates(speed, g, ['time', 'presentation_id']);
    expect(speed.data_vars.speed).toEqual({
      dims: ['time', 'presentation_id'],
      dtype: 'float32',
      shape: [g.T, g.P],
      values: Array.from(speedValues(g)),
    });

    const presentations = view.groups[`${base(g)}/presentations`]!;
    expectCoordinates(presentations, g, ['presentation_id']);
    const columns = presentationColumns(g);
    expect(presentations.data_var_order).toEqual(Object.keys(columns));
    for (const [name, values] of Object.entries(columns)) {
      expect(presentations.data_vars[name]).toEqual({ dims: ['presentation_id'], dtype: 'float64', shape: [g.P], values: nanToNull(values) });
    }

    if (g.gaze) {
      const gaze = view.groups[`${base(g)}/gaze_data`]!;
      expectCoordinates(gaze, g, ['time', 'presentation_id']);
      expect(gaze.data_var_order).toEqual([...GAZE_VARIABLES]);
      const expected = gazeValues(g);
      for (const name of GAZE_VARIABLES) {
        expect(gaze.data_vars[name]).toEqual({
          dims: ['time', 'presentation_id'],
          dtype: 'float32',
          shape: [g.T, g.P],
          values: nanToNull(expected[name]),
        });
      }
    }
  }
}

const CASES: readonly { name: string; compression?: Compression; spikeDtype: SpikeDtype; mode: WriteMode }[] = [
  { name: 'default gzip, int8, streamed by presentation', spikeDtype: 'int8', mode: 'presentations' },
  { name: 'compression none, int8, streamed by unit', compression: { kind: 'none' }, spikeDtype: 'int8', mode: 'units' },
  { name: 'gzip level 9, uint8 counts, streamed by unit', compression: { kind: 'gzip', level: 9 }, spikeDtype: 'uint8', mode: 'units' },
];

describe.each(CASES)('a per-stimulus file ($name)', ({ compression, spikeDtype, mode }) => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let path: string;
  let h5: H5View;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    path = join(dir, 'gabors.h5');
    await writeFixtureFile({ path, ...(compression ? { compression } : {}), spikeDtype, mode });
    h5 = await runPython<H5View>('h5_layout.py', [path]);
  });
  afterAll(() => cleanup());

  it.each(ENGINES)('reads back exactly with xarray engine=%s', async (engine) => {
    const view = await runPython<XarrayView>('xarray_groups.py', [path, engine, ...leafGroups()]);
    expectFixtureContents(view, spikeDtype);
  });

  it('has no gaze_data group for the session without gaze', () => {
    expect(h5.groups).toContain('session_7/VISp');
    expect(h5.groups).not.toContain('session_7/VISp/gaze_data');
    expect(h5.groups).toContain('session_100/VISp/gaze_data');
  });

  it("wires every axis of every variable to its own group's dimension scale (h5py)", () => {
    expect(h5.creation_order_untracked).toEqual([]);
    expect(h5.root_attrs.pipe_version).toBe(PROVENANCE.toolVersion);
    const dimids: number[] = [];
    for (const [name, ds] of Object.entries(h5.datasets)) {
      const group = name.slice(0, name.lastIndexOf('/'));
      const leaf = name.slice(name.lastIndexOf('/') + 1);
      expect(ds.maxshape, name).toEqual(ds.shape);
      if (['presentation_id', 'time', 'unit_id'].includes(leaf)) {
        expect(ds, name).toMatchObject({ is_scale: true, CLASS: 'DIMENSION_SCALE', NAME: leaf, dimid_shape: [], chunks: null });
        expect(ds.reference_count, name).toBeGreaterThan(0);
        dimids.push(ds.dimid!);
      } else {
        expect(ds.is_scale, name).toBe(false);
        expect(ds.attrs, name).not.toContain('_Netcdf4Coordinates');
        const dims = leaf === 'spike_data' ? ['presentation_id', 'time', 'unit_id'] : group.endsWith('/presentations') ? ['presentation_id'] : ['time', 'presentation_id'];
        expect(ds.attached, name).toEqual(dims.map((d) => [`/${group}/${d}`]));
      }
    }
    // netCDF dimension ids are file-global.
    expect(new Set(dimids).size).toBe(dimids.length);
  });

  it('stores data variables as the compression option says', () => {
    for (const g of FIXTURE_GROUPS) {
      const spikes = h5.datasets[`${base(g)}/spike_data/spike_data`]!;
      const speed = h5.datasets[`${base(g)}/speed/speed`]!;
      const start = h5.datasets[`${base(g)}/presentations/start_time`]!;
      expect(spikes.dtype).toBe(spikeDtype === 'int8' ? '|i1' : '|u1');
      if (compression?.kind === 'none') {
        for (const ds of [spikes, speed, start]) expect(ds).toMatchObject({ chunks: null, compression: null });
      } else {
        const level = compression?.kind === 'gzip' ? (compression.level ?? 4) : 4;
        for (const ds of [spikes, speed, start]) expect(ds).toMatchObject({ compression: 'gzip', compression_opts: level });
        // The time axis is never split: one chunk row holds whole responses.
        expect(spikes.chunks![1]).toBe(g.T);
        expect(speed.chunks![0]).toBe(g.T);
      }
    }
  });
});

const datatree = await runPython<{ available: boolean; xarray: string }>('datatree.py', []);
if (!datatree.available) {
  console.info(`xarray.open_datatree is not available in the installed xarray ${datatree.xarray}; its test is skipped.`);
}

describe('xarray.open_datatree', () => {
  it.skipIf(!datatree.available)(`reads the whole file as one tree (xarray ${datatree.xarray})`, async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const path = join(dir, 'gabors.h5');
      await writeFixtureFile({ path });
      for (const engine of ENGINES) {
        const tree = await runPython<{ groups: Record<string, string[]> }>('datatree.py', [path, engine]);
        for (const g of FIXTURE_GROUPS) {
          expect(tree.groups[`/${base(g)}/spike_data`]).toEqual(['spike_data']);
          expect(tree.groups[`/${base(g)}/speed`]).toEqual(['speed']);
          expect(tree.groups[`/${base(g)}/gaze_data`]).toEqual(g.gaze ? [...GAZE_VARIABLES].sort() : undefined);
        }
      }
    } finally {
      await cleanup();
    }
  });
});
