// A small session file in the exact on-disk layout of the Allen VCN session NWBs, written by h5py
// (fixtures/write_allen_session.py) from the content below, then read back and compared exactly.
// h5py writes it because h5wasm 0.10 cannot write HDF5 enums (its write path prepares only
// integer, float, string, reference and compound data), and `valid_data` is an int8 enum.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNwbSession, withNwbSession } from '../../stages/allen/nwb/session.js';
import type { NwbSession } from '../../stages/allen/nwb/types.js';
import { makeTempDir, PYTHON, PYTHON_H5PY, runPython, type TempDir } from './helpers.js';

const NAN = Number.NaN;

/** What the BO session file holds. Floats that are NaN travel as JSON null to the writer. */
const BO = {
  identifier: '715093703',
  sessionType: 'brain_observatory_1.1',
  electrodes: {
    id: [849705558, 849705560, 849705562, 849705564, 849705566, 849705568],
    location: ['VISp', 'VISp', '', 'CA1', 'None', 'LGd'],
    group_name: ['probeA', 'probeA', 'probeA', 'probeB', 'probeB', 'probeB'],
    probe_vertical_position: [20, 40, 40, 20, 40, 60],
    probe_horizontal_position: [43, 11, 59, 27, 43, 11],
    probe_id: [810755797, 810755797, 810755797, 810755799, 810755799, 810755799],
    local_index: [0, 1, 2, 0, 1, 2],
    valid_data: [true, true, false, true, true, false],
    x: [8000.5, 8001, NAN, 7000, 7001, 7002],
    y: [3000, 3010, NAN, 2000, 2010, 2020],
    z: [3000, 3010, NAN, 2000, 2010, 2020],
  },
  units: {
    // Not sorted by id, as in the real files (concatenated probe by probe).
    id: [950907205, 950907201, 950907210, 950907222],
    peak_channel_id: [849705560, 849705558, 849705566, 849705568],
    local_index: [3, 0, 7, 1],
    cluster_id: [12, 3, 40, 5],
    quality: ['good', 'noise', 'good', 'good'],
    metrics: {
      firing_rate: [2.5, 0.1, 7.25, 1],
      amplitude_cutoff: [0.05, NAN, 0.5, 0.01],
      presence_ratio: [0.99, 0.2, 0.96, 0.95],
      isi_violations: [0.1, 3.5, 0.2, NAN],
      PT_ratio: [0.5, 0.25, 0.125, 1.5],
    },
    // Unit 1 has no spikes (equal consecutive index values).
    spikes: [[1.5, 2.25, 3.125], [], [0.1, 1000.001], [4.75]],
  },
  presentations: {
    drifting_gratings_presentations: {
      start_time: [100.5, 103.5, 106.5],
      stop_time: [102.5, 105.5, 108.5],
      columns: {
        stimulus_name: ['drifting_gratings', 'drifting_gratings', 'drifting_gratings'],
        orientation: [0, NAN, 90],
        spatial_frequency: ['0.04', '[0.0, 0.0]', 'N/A'],
        size: ['[250.0, 250.0]', '[250.0, 250.0]', '[250.0, 250.0]'],
        stimulus_block: [2, 2, 2],
        temporal_frequency: [1, NAN, 15],
      },
    },
    static_gratings_presentations: {
      start_time: [200.25, 200.5],
      stop_time: [200.5, 200.75],
      columns: {
        stimulus_name: ['static_gratings', 'static_gratings'],
        phase: ['0.25', '0.5'],
        spatial_frequency: [0.02, NAN],
        orientation: [30, 150],
      },
    },
    spontaneous_presentations: {
      start_time: [13.47],
      stop_time: [73.54],
      columns: { stimulus_name: ['spontaneous'] },
    },
    // Not directly under /intervals: must not be read (binned-dataset §2.1).
    'archive/old_presentations': { start_time: [1], stop_time: [2], columns: { stimulus_name: ['old'] } },
  },
  invalidTimes: {
    start_time: [101, 300],
    stop_time: [104, 310],
    tags: [
      ['EcephysSession', '715093703', 'stimulus'],
      ['EcephysProbe', '810755797', 'probeA'],
    ],
  },
  runningSpeed: { data: [0.5, NAN, 2.25, -3], timestamps: [1, 1.0166, 1.0333, 1.05] },
  gaze: {
    timestamps: [5, 5.0333, 5.0666],
    raw_gaze_mapping: {
      eye_area: [1000, 1010.5, NAN],
      pupil_area: [200, 201, 202],
      screen_coordinates: [[1.5, -2.5], [NAN, NAN], [3, 4]],
      screen_coordinates_spherical: [[10, -20], [11, -21], [12, -22]],
    },
    filtered_gaze_mapping: {
      eye_area: [1001, 1011, 1021],
      pupil_area: [199, 200, 201],
      screen_coordinates: [[1.25, -2.25], [2, -3], [3, -4]],
      screen_coordinates_spherical: [[9, -19], [10, -20], [11, -21]],
    },
    ellipse_fits: {
      pupil_ellipse_fits: { center_x: [1, 2, 3], center_y: [4, 5, 6], height: [7, 8, 9], phi: [0.1, 0.2, 0.3], width: [10, 11, 12], timestamps: [5, 5.0333, 5.0666] },
      cr_ellipse_fits: { center_x: [1, 1, 1], center_y: [2, 2, 2], height: [3, 3, 3], phi: [0, 0, 0], width: [4, 4, 4], timestamps: [5, 5.0333, 5.0666] },
      eye_ellipse_fits: { center_x: [5, 5, 5], center_y: [6, 6, 6], height: [7, 7, 7], phi: [NAN, 0, 0], width: [8, 8, 8], timestamps: [5, 5.0333, 5.0666] },
    },
  },
};

/** A functional_connectivity session without invalid_times and without eye tracking. */
const FC = { ...BO, identifier: '766640955', sessionType: 'functional_connectivity', invalidTimes: null, gaze: null };

const f64 = (values: readonly number[]): Float64Array => Float64Array.from(values);

if (!PYTHON_H5PY) console.warn(`[test/nwb] SKIPPED Allen-layout tests: ${PYTHON} with h5py (used to write the enum valid_data) is not available`);

describe.skipIf(!PYTHON_H5PY)('a hand-built Allen-layout session file', () => {
  let tmp: TempDir;
  let boFile: string;
  let fcFile: string;
  let bo: NwbSession;

  beforeAll(async () => {
    tmp = makeTempDir();
    boFile = tmp.file('session_715093703.nwb');
    fcFile = tmp.file('session_766640955.nwb');
    runPython('write_allen_session.py', [boFile], JSON.stringify(BO));
    runPython('write_allen_session.py', [fcFile], JSON.stringify(FC));
    bo = await readNwbSession(boFile, { eyeTracking: true });
  });
  afterAll(() => tmp?.remove());

  it('reads the identifier and the session type', () => {
    expect(bo.file).toBe(boFile);
    expect(bo.identifier).toBe('715093703');
    expect(bo.sessionType).toBe('brain_observatory_1.1');
  });

  it('reads the units table in file order, with the int64 ids exact', () => {
    const u = bo.units;
    expect(u.path).toBe('/units');
    expect(u.rows).toBe(4);
    expect(u.id).toEqual(f64(BO.units.id));
    expect(u.peakChannelId).toEqual(f64(BO.units.peak_channel_id));
    expect(u.quality).toEqual(BO.units.quality);
    expect(u.amplitudeCutoff).toEqual(f64(BO.units.metrics.amplitude_cutoff));
    expect(u.presenceRatio).toEqual(f64(BO.units.metrics.presence_ratio));
    expect(u.isiViolations).toEqual(f64(BO.units.metrics.isi_violations));
    // Every scalar column, in colnames order; ragged and 2-D columns are named as skipped.
    expect([...u.columns.numeric.keys()]).toEqual(['peak_channel_id', 'local_index', 'cluster_id', ...Object.keys(BO.units.metrics)]);
    expect(u.columns.numeric.get('PT_ratio')).toEqual(f64(BO.units.metrics.PT_ratio));
    expect(u.columns.numeric.get('cluster_id')).toEqual(f64(BO.units.cluster_id));
    expect([...u.columns.strings.keys()]).toEqual(['quality']);
    expect(u.columns.skipped).toEqual(['spike_times', 'spike_amplitudes', 'waveform_mean']);
    expect(u.spikeTimesEnd).toEqual(f64([3, 3, 5, 6]));
    expect(u.totalSpikes).toBe(6);
  });

  it('reads each unit’s spike train through the index, in any order, zero-spike units included', async () => {
    await withNwbSession(boFile, (s) => {
      for (const row of [3, 1, 0, 2, 0]) {
        expect(s.spikeTimes(row)).toEqual(f64(BO.units.spikes[row] ?? []));
        expect(s.spikeCount(row)).toBe(BO.units.spikes[row]?.length);
      }
      expect(s.spikeTimes(1)).toHaveLength(0);
      for (const bad of [-1, 4, 1.5]) expect(() => s.spikeTimes(bad)).toThrow(RangeError);
    });
  });

  it('reads the electrodes, valid_data from its int8 enum', () => {
    const e = bo.electrodes;
    expect(e?.path).toBe('/general/extracellular_ephys/electrodes');
    expect(e?.id).toEqual(f64(BO.electrodes.id));
    expect(e?.location).toEqual(BO.electrodes.location);
    expect(e?.validData).toEqual(BO.electrodes.valid_data);
    expect(e?.groupName).toEqual(BO.electrodes.group_name);
    expect(e?.probeVerticalPosition).toEqual(f64(BO.electrodes.probe_vertical_position));
    expect(e?.probeHorizontalPosition).toEqual(f64(BO.electrodes.probe_horizontal_position));
    expect(e?.columns.numeric.get('probe_id')).toEqual(f64(BO.electrodes.probe_id));
    expect(e?.columns.numeric.get('x')).toEqual(f64(BO.electrodes.x));
    expect(e?.columns.strings.get('filtering')?.[0]).toBe('AP band: 500 Hz high-pass; LFP band: 1000 Hz low-pass');
    expect(e?.columns.skipped).toEqual(['group']); // object references to the electrode groups
  });

  it('reads every *_presentations table directly under /intervals, with per-table column types', () => {
    expect(bo.presentations.map((t) => t.name)).toEqual(['drifting_gratings_presentations', 'spontaneous_presentations', 'static_gratings_presentations']);
    for (const t of bo.presentations) {
      const want = BO.presentations[t.name as keyof typeof BO.presentations];
      expect(t.path).toBe(`/intervals/${t.name}`);
      expect(t.rows).toBe(want.start_time.length);
      expect(t.id).toEqual(f64(want.start_time.map((_, i) => i)));
      expect(t.startTime).toEqual(f64(want.start_time));
      expect(t.stopTime).toEqual(f64(want.stop_time));
      expect(t.skipped).toEqual([]);
      // Everything but start/stop/tags/timeseries, in colnames order, raw.
      expect([...t.columns.keys()]).toEqual(Object.keys(want.columns));
      for (const [name, values] of Object.entries(want.columns)) {
        const expected = typeof values[0] === 'string' ? { kind: 'string', values } : { kind: 'numeric', values: f64(values as number[]) };
        expect(t.columns.get(name), `${t.name}/${name}`).toEqual(expected);
      }
    }
    // The same parameter, text in one table and float64 in another (allen-nwb-layout §0.3).
    expect(bo.presentations[0]?.columns.get('spatial_frequency')?.kind).toBe('string');
    expect(bo.presentations[2]?.columns.get('spatial_frequency')?.kind).toBe('numeric');
  });

  it('reads invalid_times with its ragged tags', () => {
    expect(bo.invalidTimes).toEqual({
      path: '/intervals/invalid_times',
      rows: 2,
      startTime: f64(BO.invalidTimes.start_time),
      stopTime: f64(BO.invalidTimes.stop_time),
      tags: BO.invalidTimes.tags,
    });
  });

  it('reads running speed with its stored timestamps and attributes', () => {
    expect(bo.runningSpeed).toEqual({
      path: '/processing/running/running_speed',
      data: f64(BO.runningSpeed.data),
      rows: 4,
      width: 1,
      timestamps: f64(BO.runningSpeed.timestamps),
      unit: 'cm/s',
      conversion: 1,
      offset: 0,
    });
  });

  it('reads both gaze-mapping modules, 2-D series row-major, soft-linked timestamps followed', () => {
    const { raw, filtered } = bo.gaze;
    const ts = f64(BO.gaze.timestamps);
    expect(raw?.path).toBe('/processing/raw_gaze_mapping');
    expect(raw?.eyeArea?.data).toEqual(f64(BO.gaze.raw_gaze_mapping.eye_area));
    expect(raw?.pupilArea?.data).toEqual(f64(BO.gaze.raw_gaze_mapping.pupil_area));
    expect(raw?.screenCoordinates).toMatchObject({ rows: 3, width: 2, data: f64(BO.gaze.raw_gaze_mapping.screen_coordinates.flat()), timestamps: ts });
    expect(raw?.screenCoordinatesSpherical?.data).toEqual(f64(BO.gaze.raw_gaze_mapping.screen_coordinates_spherical.flat()));
    // The filtered module's timestamps are soft links to raw eye_area/timestamps.
    expect(filtered?.eyeArea).toMatchObject({ data: f64(BO.gaze.filtered_gaze_mapping.eye_area), timestamps: ts });
    expect(filtered?.screenCoordinates).toMatchObject({ width: 2, data: f64(BO.gaze.filtered_gaze_mapping.screen_coordinates.flat()), timestamps: ts });
  });

  it('reads eye-tracking ellipse fits and rig geometry only when asked', async () => {
    const eye = bo.eyeTracking;
    const pupil = BO.gaze.ellipse_fits.pupil_ellipse_fits;
    expect(eye?.pupil).toEqual({
      path: '/processing/eye_tracking/pupil_ellipse_fits',
      rows: 3,
      timestamps: f64(pupil.timestamps),
      centerX: f64(pupil.center_x),
      centerY: f64(pupil.center_y),
      height: f64(pupil.height),
      width: f64(pupil.width),
      phi: f64(pupil.phi),
    });
    expect(eye?.cornealReflection?.width).toEqual(f64(BO.gaze.ellipse_fits.cr_ellipse_fits.width));
    expect(eye?.eye?.phi).toEqual(f64(BO.gaze.ellipse_fits.eye_ellipse_fits.phi));
    expect(eye?.rig?.equipment).toBe('NP.1');
    expect(eye?.rig?.geometry).toEqual(
      new Map([
        ['camera_rotation', { values: f64([1.5, -2, 3.25]), unit: 'deg' }],
        ['monitor_position', { values: f64([1.5, -2, 3.25]), unit: 'mm' }],
      ]),
    );
    expect((await readNwbSession(boFile)).eyeTracking).toBeUndefined();
  });

  it('reads a functional_connectivity session without invalid_times and without eye tracking', async () => {
    const fc = await readNwbSession(fcFile, { eyeTracking: true });
    expect(fc.identifier).toBe('766640955');
    expect(fc.sessionType).toBe('functional_connectivity');
    expect(fc.invalidTimes).toBeUndefined();
    expect(fc.gaze).toEqual({ raw: undefined, filtered: undefined });
    expect(fc.eyeTracking?.pupil).toBeUndefined();
    expect(fc.eyeTracking?.rig?.equipment).toBe('NP.1'); // the rig module exists regardless (§7.1)
    expect(fc.units.rows).toBe(4);
  });
});
