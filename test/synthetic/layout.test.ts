// The on-disk layout of tiny synthetic sessions, read back with h5py (the reference reader):
// every group/dataset of allen-nwb-layout.md §2, the HDF5 encodings (bool enums, vlen strings,
// int64 indexes, references, contiguous storage), and the data quirks a reader must survive.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticSession, type SyntheticSessionSummary } from '../../stages/allen/synthetic/index.js';
import { stimulusSpec } from '../../stages/allen/synthetic/timeline/catalog.js';
import { stimuliOf } from '../../stages/allen/synthetic/timeline/plan.js';
import { HAVE_H5PY, inspectSession, isMissing, makeTempDir, type DatasetInfo, type Inspection, type TableInfo, type TempDir } from './helpers.js';

const PROBES = ['probeA', 'probeB', 'probeC', 'probeD', 'probeE', 'probeF'];

/** Datasets every session has (allen-nwb-layout.md §2, §3, §6, §7.1, §8). */
const EXPECTED_DATASETS = [
  '/general/subject/age', '/general/subject/genotype', '/general/subject/sex', '/general/subject/species', '/general/subject/subject_id',
  '/specifications/core/2.2.2/namespace', '/specifications/hdmf-common/1.1.3/namespace', '/specifications/ndx-aibs-ecephys/0.2.0/namespace',
  '/processing/stimulus/timestamps/data', '/processing/stimulus/timestamps/timestamps',
  '/processing/running/running_speed/data', '/processing/running/running_speed/timestamps',
  '/processing/running/running_speed_end_times/data', '/processing/running/running_speed_end_times/timestamps',
  '/processing/running/running_wheel_rotation/data',
  '/acquisition/raw_running_wheel_rotation/data', '/acquisition/raw_running_wheel_rotation/timestamps',
  '/acquisition/running_wheel_signal_voltage/data', '/acquisition/running_wheel_supply_voltage/data',
  ...['monitor_position', 'camera_position', 'led_position', 'monitor_rotation', 'camera_rotation'].map((d) => `/processing/eye_tracking_rig_metadata/eye_tracking_rig_metadata/${d}`),
  '/processing/optotagging/optotagging/data', '/processing/optotagging/optotagging/timestamps',
  ...['condition', 'level', 'stimulus_name', 'duration', 'tags', 'timeseries'].map((c) => `/processing/optotagging/optogenetic_stimulation/${c}`),
  ...['spike_times', 'spike_amplitudes', 'waveform_mean', 'quality', 'peak_channel_id', 'nn_hit_rate', 'velocity_below'].map((c) => `/units/${c}`),
  ...['x', 'y', 'z', 'imp', 'location', 'filtering', 'group', 'group_name', 'valid_data'].map((c) => `/general/extracellular_ephys/electrodes/${c}`),
];

/** Datasets of sessions with eye tracking (§7.1). */
const GAZE_DATASETS = [
  ...['pupil_ellipse_fits', 'cr_ellipse_fits', 'eye_ellipse_fits'].flatMap((t) => ['center_x', 'center_y', 'height', 'phi', 'width', 'timestamps'].map((c) => `/processing/eye_tracking/${t}/${c}`)),
  ...['raw_gaze_mapping', 'filtered_gaze_mapping'].flatMap((m) => ['pupil_area', 'eye_area', 'screen_coordinates', 'screen_coordinates_spherical'].map((t) => `/processing/${m}/${t}/data`)),
];
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function dataset(x: Inspection, path: string): DatasetInfo {
  const o = x.objects[path];
  expect(o?.kind, `${path} should be a dataset`).toBe('dataset');
  return o as DatasetInfo;
}

function table(x: Inspection, name: string): TableInfo {
  const t = x.tables[name];
  expect(t, `table ${name}`).toBeDefined();
  return t as TableInfo;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Checks shared by both session types. */
function commonLayout(x: Inspection, summary: SyntheticSessionSummary, sessionId: number): void {
  // Root and session metadata.
  expect(x.superblock).toBe(0);
  expect(x.root).toMatchObject({ namespace: 'core', neurodata_type: 'NWBFile', nwb_version: '2.2.2' });
  expect(x.root['object_id']).toMatch(UUID4);
  expect(x.specloc).toBe('/specifications');
  expect(x.identifier).toBe(String(sessionId));
  for (const p of ['/session_start_time', '/timestamps_reference_time', '/file_create_date']) expect(dataset(x, p).dtype).toBe('vlen-ascii');
  expect(dataset(x, '/file_create_date').shape).toEqual([1]);
  for (const p of ['/identifier', '/session_description', '/general/session_id', '/general/institution', '/general/stimulus']) {
    expect(dataset(x, p)).toMatchObject({ dtype: 'vlen-utf8', shape: [] });
  }
  for (const g of ['/acquisition', '/analysis', '/stimulus/presentation', '/stimulus/templates', '/specifications/core/2.2.2', '/specifications/hdmf-common/1.1.3', '/specifications/ndx-aibs-ecephys/0.2.0']) {
    expect(x.objects[g]?.kind, g).toBe('group');
  }
  expect(x.objects['/general/subject']).toMatchObject({ kind: 'group', attrs: { namespace: 'ndx-aibs-ecephys', neurodata_type: 'EcephysSpecimen' } });
  for (const p of EXPECTED_DATASETS) expect(x.objects[p]?.kind, p).toBe('dataset');
  const withGaze = x.modules.includes('raw_gaze_mapping');
  for (const p of GAZE_DATASETS) expect(x.objects[p]?.kind, p).toBe(withGaze ? 'dataset' : undefined);

  // Probes: device groups, electrode groups with a soft link to their device and a bool enum.
  for (const p of PROBES) {
    expect(x.objects[`/general/devices/${p}`]).toMatchObject({ kind: 'group', attrs: { neurodata_type: 'EcephysProbe', manufacturer: 'imec' } });
    expect(x.objects[`/general/extracellular_ephys/${p}`]).toMatchObject({ kind: 'group', attrs: { neurodata_type: 'EcephysElectrodeGroup' } });
    expect(x.objects[`/general/extracellular_ephys/${p}/device`]).toEqual({ kind: 'softlink', target: `/general/devices/${p}` });
    expect(x.attrEnums[`/general/extracellular_ephys/${p}@has_lfp_data`]).toEqual({ members: { FALSE: 0, TRUE: 1 }, baseSize: 1, baseSigned: true });
  }

  // Electrodes: valid_data is the h5py bool enum; group is a reference column; z duplicates y.
  const el = '/general/extracellular_ephys/electrodes';
  expect(dataset(x, `${el}/valid_data`).dtype).toBe('enum');
  expect(x.enums[`${el}/valid_data`]).toEqual({ members: { FALSE: 0, TRUE: 1 }, baseSize: 1, baseSigned: true });
  expect(dataset(x, `${el}/group`).dtype).toBe('ref');
  expect(dataset(x, `${el}/location`).dtype).toBe('vlen-utf8');
  for (const c of ['id', 'probe_vertical_position', 'probe_horizontal_position', 'probe_id', 'local_index']) expect(dataset(x, `${el}/${c}`).dtype).toBe('i8');
  expect(x.electrodes.groupTargets).toEqual(PROBES.map((p) => `/general/extracellular_ephys/${p}`));
  expect(x.electrodes).toMatchObject({ zEqualsY: true, groupNames: PROBES });
  expect(x.electrodes.invalid).toBeGreaterThan(0);
  expect(x.electrodes.emptyLocation).toBeGreaterThan(0);

  // Units: every column of §3, the unit filter has something to do, spikes sorted per unit.
  expect(x.objects['/units']).toMatchObject({ kind: 'group', attrs: { neurodata_type: 'Units', namespace: 'core', description: '' } });
  for (const c of ['peak_channel_id', 'local_index', 'cluster_id', 'id', 'spike_times_index', 'spike_amplitudes_index', 'waveform_mean_index']) {
    expect(dataset(x, `/units/${c}`).dtype, c).toBe('i8');
  }
  for (const c of ['amplitude_cutoff', 'presence_ratio', 'isi_violations', 'firing_rate', 'snr', 'PT_ratio', 'spike_times', 'spike_amplitudes']) {
    expect(dataset(x, `/units/${c}`).dtype, c).toBe('f8');
  }
  expect(dataset(x, '/units/quality').dtype).toBe('vlen-utf8');
  expect(dataset(x, '/units/waveform_mean').shape).toEqual([x.units.count * (x.electrodes.rows / PROBES.length), 82]);
  expect(x.units).toMatchObject({ count: summary.units, spikes: summary.spikes, sortedPerUnit: true, peakChannelsFound: true, sortedById: false, quality: ['good', 'noise'] });
  expect(x.units.minTime).toBeGreaterThanOrEqual(0);
  expect(x.units.passingFilter).toBe(summary.unitsPassingFilter);
  expect(x.units.passingFilter).toBeGreaterThanOrEqual(3);
  expect(x.units.failReasons).toEqual(['amplitude_cutoff', 'invalid-channel', 'isi_violations', 'no-structure', 'noise', 'presence_ratio']);
  expect(x.units.nanAmplitudeCutoff + x.units.nanIsiViolations).toBeGreaterThan(0);

  // Every ragged index: int64, non-decreasing, ends at its target's length, targets its column.
  expect(Object.keys(x.ragged).length).toBeGreaterThan(10);
  for (const [index, r] of Object.entries(x.ragged)) {
    expect(dataset(x, index).dtype, index).toBe('i8');
    expect(r.target, index).toBe(index.replace(/_index$/, ''));
    expect(r.monotonic, index).toBe(true);
    expect(r.last, index).toBe(r.targetRows);
  }

  // Storage as hdmf 1.6 wrote it: contiguous, unfiltered; vlen text null-terminated like h5py's.
  for (const [p, o] of Object.entries(x.objects)) {
    if (o.kind !== 'dataset') continue;
    expect(o.layout, p).toBe('contiguous');
    expect(o.filters, p).toBe(0);
  }
  expect(Object.entries(x.stringPads).filter(([, pad]) => pad !== 'nullterm')).toEqual([]);
  for (const [p, o] of Object.entries(x.objects)) {
    if (o.kind === 'dataset' && o.attrs['neurodata_type'] === 'VectorData') expect(o.attrs['object_id'], p).toMatch(UUID4);
  }

  // Presentation tables: one per stimulus, timeseries references into the stimulus timestamps.
  const expected = [...stimuliOf(x.sessionType as 'brain_observatory_1.1'), 'spontaneous'].map((s) => `${s}_presentations`);
  expect(Object.keys(x.tables).sort()).toEqual([...expected, 'invalid_times'].sort());
  for (const name of expected) {
    const t = table(x, name);
    expect(t.colnames.slice(0, 2)).toEqual(['start_time', 'stop_time']);
    expect(t.colnames.slice(-2)).toEqual(['tags', 'timeseries']);
    expect(t.columns['timeseries']).toEqual({ storage: 'compound', refsOk: true, bisectOk: true });
    expect(t.columns['tags']?.unique).toEqual(['stimulus_time_interval']);
    expect(t.startsSorted, name).toBe(true);
    expect(dataset(x, `/intervals/${name}/id`).dtype).toBe('i8');
  }
  expect(table(x, 'spontaneous_presentations').colnames).toEqual(['start_time', 'stop_time', 'stimulus_name', 'tags', 'timeseries']);
  expect(x.tables['spontaneous_presentations']?.columns['stimulus_name']?.unique).toEqual(['spontaneous']);

  // Duration outliers: each non-movie stimulus has some presentation beyond the 0.001 s filter
  // tolerance around its median, and most within it.
  for (const name of expected) {
    const stim = name.replace(/_presentations$/, '');
    if (stim === 'spontaneous' || stimulusSpec(stim).movie !== undefined) continue;
    const d = table(x, name).durations as number[];
    const m = median(d);
    const outside = d.filter((v) => Math.abs(v - m) >= 0.001).length;
    expect(outside, stim).toBeGreaterThanOrEqual(1);
    expect(outside, stim).toBeLessThan(d.length / 2);
  }

  // Numeric columns stored as text: at least one beyond the real files' fixed text columns.
  const flipped = expected.flatMap((name) => {
    const stim = name.replace(/_presentations$/, '');
    if (stim === 'spontaneous') return [];
    const t = table(x, name);
    return stimulusSpec(stim).columns.filter((c) => c.storage === 'f' && t.columns[c.name]?.storage === 's').map((c) => `${stim}/${c.name}`);
  });
  expect(flipped.length).toBeGreaterThanOrEqual(1);

  // invalid_times: three tags per row; a session-level "stimulus" row and a probe row.
  const tags = table(x, 'invalid_times').tags as string[][];
  expect(tags.every((t) => t.length === 3)).toBe(true);
  expect(tags).toContainEqual(['EcephysSession', String(sessionId), 'stimulus']);
  expect(tags.some((t) => t[0] === 'EcephysProbe' && PROBES.includes(t[2] as string))).toBe(true);

  // Running speed at the stimulus frame rate (~60 Hz), timestamps = interval starts.
  expect(x.running.medianDt).toBeCloseTo(1 / 60, 3);
  expect(x.running.dataRows).toBe(x.running.samples);
  expect(x.running.endTimesAllNaN).toBe(true);
  expect(x.objects['/processing/running/running_wheel_rotation/timestamps']).toEqual({ kind: 'softlink', target: '/processing/running/running_speed/timestamps' });
  expect(x.objects['/acquisition/running_wheel_signal_voltage/timestamps']).toEqual({ kind: 'softlink', target: '/acquisition/raw_running_wheel_rotation/timestamps' });

  // The JavaScript clock was pinned: every HDF5 modification time is the file creation second.
  expect(x.mtimes).toEqual([Math.floor(Date.parse(x.fileCreateDate) / 1000)]);
}

describe.skipIf(!HAVE_H5PY)('synthetic brain_observatory_1.1 session (tiny, with gaze)', () => {
  const SESSION = 715093703;
  let tmp: TempDir;
  let summary: SyntheticSessionSummary;
  let x: Inspection;

  beforeAll(async () => {
    tmp = makeTempDir();
    summary = await writeSyntheticSession({ dir: tmp.dir, sessionId: SESSION, sessionType: 'brain_observatory_1.1', seed: 11, scale: 0.001, withGaze: true });
    x = inspectSession(summary.path);
  });
  afterAll(() => tmp.remove());

  it('is a small file at tiny scale', () => {
    expect(summary.path.endsWith(`/session_${SESSION}.nwb`)).toBe(true);
    expect(summary.bytes).toBeLessThan(1_000_000);
  });

  it('has the Allen layout and encodings', () => {
    expect(x.sessionType).toBe('brain_observatory_1.1');
    commonLayout(x, summary, SESSION);
  });

  it('stores spatial_frequency as text in drifting_gratings and as float64 in static_gratings', () => {
    const dg = table(x, 'drifting_gratings_presentations').columns;
    expect(dg['spatial_frequency']).toMatchObject({ storage: 's' });
    expect(dg['spatial_frequency']?.unique).toEqual(expect.arrayContaining(['0.04', 'N/A']));
    expect(table(x, 'static_gratings_presentations').columns['spatial_frequency']?.storage).toBe('f');
    expect(table(x, 'gabors_presentations').columns['size']?.unique).toEqual(['[20.0, 20.0]']);
    expect(table(x, 'gabors_presentations').columns['phase']?.unique).toEqual(['[3644.93333333, 3644.93333333]']);
    expect(table(x, 'flashes_presentations').columns['color']?.unique).toEqual(['-1.0', '1.0']);
  });

  it('has blank sweeps with null parameters and natural_scenes frame -1', () => {
    for (const name of ['drifting_gratings_presentations', 'static_gratings_presentations']) {
      expect(table(x, name).columns['orientation']?.unique?.some(isMissing), name).toBe(true);
    }
    expect(table(x, 'natural_scenes_presentations').columns['frame']?.unique).toEqual(expect.arrayContaining([expect.toSatisfy((v) => v === -1 || v === '-1.0')]));
  });

  it('has movies one row per frame, contiguous, with a dropped-frame repeat and a truncated one', () => {
    for (const name of ['natural_movie_one_presentations', 'natural_movie_three_presentations']) {
      const repeats = table(x, name).repeats ?? [];
      expect(repeats.length, name).toBeGreaterThanOrEqual(3);
      expect(repeats.every((r) => r.contiguous)).toBe(true);
      expect(median(repeats.map((r) => r.duration))).toBeCloseTo(30 * 2 * 0.0166806, 3); // 30 frames in tiny sessions
    }
    const one = table(x, 'natural_movie_one_presentations').repeats ?? [];
    const normal = median(one.map((r) => r.duration));
    expect(one.some((r) => r.frames === 30 && Math.abs(r.duration - normal) > 0.01), 'a repeat with a dropped frame').toBe(true);
    expect(table(x, 'natural_movie_three_presentations').repeats?.some((r) => r.frames < 30)).toBe(true);
  });

  it('has eye tracking and gaze at ~30 Hz with NaN gaps', () => {
    expect(x.modules).toEqual(expect.arrayContaining(['eye_tracking', 'raw_gaze_mapping', 'filtered_gaze_mapping', 'eye_tracking_rig_metadata']));
    const gaze = x.gaze as NonNullable<Inspection['gaze']>;
    expect(gaze.medianDt).toBeCloseTo(1 / 30, 2);
    expect(gaze.rawNaN).toBeGreaterThan(0);
    expect(gaze.filteredNaN).toBeGreaterThan(gaze.rawNaN);
    expect(gaze.screenShape).toEqual([gaze.samples, 2]);
    expect(x.objects['/processing/filtered_gaze_mapping/pupil_area/timestamps']).toEqual({ kind: 'softlink', target: '/processing/raw_gaze_mapping/eye_area/timestamps' });
    for (const fit of ['pupil_ellipse_fits', 'cr_ellipse_fits', 'eye_ellipse_fits']) {
      expect(x.objects[`/processing/eye_tracking/${fit}`]).toMatchObject({ kind: 'group', attrs: { neurodata_type: 'DynamicTable' } });
    }
  });
});

describe.skipIf(!HAVE_H5PY)('synthetic functional_connectivity session (tiny, no gaze)', () => {
  const SESSION = 766640955;
  let tmp: TempDir;
  let summary: SyntheticSessionSummary;
  let x: Inspection;

  beforeAll(async () => {
    tmp = makeTempDir();
    summary = await writeSyntheticSession({ dir: tmp.dir, sessionId: SESSION, sessionType: 'functional_connectivity', seed: 12, scale: 0.001, withGaze: false });
    x = inspectSession(summary.path);
  });
  afterAll(() => tmp.remove());

  it('has the Allen layout and encodings', () => {
    expect(x.sessionType).toBe('functional_connectivity');
    commonLayout(x, summary, SESSION);
  });

  it('has the FC stimulus set with its per-table dtypes', () => {
    expect(table(x, 'drifting_gratings_75_repeats_presentations').columns['spatial_frequency']?.storage).toBe('f');
    expect(table(x, 'drifting_gratings_contrast_presentations').columns['spatial_frequency']?.storage).toBe('s');
    const dots = table(x, 'dot_motion_presentations');
    expect(dots.colnames).toEqual(expect.arrayContaining(['Dir', 'Speed', 'coherence', 'fieldPos', 'noiseDots']));
    const repeats = table(x, 'natural_movie_one_more_repeats_presentations').repeats ?? [];
    expect(repeats.some((r) => r.frames < 30)).toBe(true); // the truncated repeat
    expect(summary.presentationsByStimulus['spontaneous']).toBe(6);
  });

  it('has no eye tracking modules, only the rig metadata', () => {
    expect(x.modules).toContain('eye_tracking_rig_metadata');
    for (const m of ['eye_tracking', 'raw_gaze_mapping', 'filtered_gaze_mapping']) expect(x.modules).not.toContain(m);
    expect(x.gaze).toBeUndefined();
  });
});
