// A small BO session in the exact Allen on-disk layout, written by the committed h5py writer
// (test/nwb/fixtures/write_allen_session.py: h5wasm cannot write the int8 enum `valid_data`).
// The content is chosen so that every rule extract applies has a row that exercises it; the
// comments say which. JSON null in a float column is NaN for the writer.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeTempDir, runPython, type TempDir } from '../nwb/helpers.js';

export { PYTHON, PYTHON_H5PY } from '../nwb/helpers.js';

export const SESSION_ID = 715093703;

export const ELECTRODES = {
  id: [849705558, 849705560, 849705562, 849705564, 849705566, 849705568],
  location: ['VISp', 'VISp', '', 'CA1', 'None', 'LGd'],
  group_name: ['probeA', 'probeA', 'probeA', 'probeB', 'probeB', 'probeB'],
  // Channel 849705558 sits above 849705560 on probeA, so unit order is not NWB order.
  probe_vertical_position: [40, 20, 60, 20, 40, 60],
  probe_horizontal_position: [43, 11, 59, 27, 43, 11],
  probe_id: [810755797, 810755797, 810755797, 810755799, 810755799, 810755799],
  local_index: [0, 1, 2, 0, 1, 2],
  // LGd's channel is invalid: its unit is left out although it has a structure.
  valid_data: [true, true, true, true, true, false],
  x: [8000, 8001, 8002, 7000, 7001, 7002],
  y: [3000, 3010, 3020, 2000, 2010, 2020],
  z: [3000, 3010, 3020, 2000, 2010, 2020],
};

const GOOD = { amplitude_cutoff: 0.05, presence_ratio: 0.99, isi_violations: 0.1 };

interface UnitRow {
  readonly id: number;
  readonly peak: number;
  readonly quality: string;
  readonly amplitude_cutoff: number | null;
  readonly presence_ratio: number | null;
  readonly isi_violations: number | null;
  readonly spikes: number[];
  /** Why the row is there, and what §1 makes of it. */
  readonly note: string;
}

/** NWB row order; ids deliberately not sorted (the real files concatenate probe by probe). */
export const UNIT_ROWS: readonly UnitRow[] = [
  { id: 950907205, peak: 849705558, quality: 'good', ...GOOD, spikes: [1.5, 2.25, 3.125], note: 'kept: VISp, probeA v40' },
  { id: 950907201, peak: 849705560, quality: 'good', ...GOOD, spikes: [0.5], note: 'kept: VISp, probeA v20 (first in order)' },
  { id: 950907210, peak: 849705562, quality: 'good', ...GOOD, spikes: [4, 5], note: 'no structure ("")' },
  { id: 950907203, peak: 849705564, quality: 'good', ...GOOD, amplitude_cutoff: null, spikes: [6], note: 'NaN amplitude_cutoff fails' },
  { id: 950907202, peak: 849705568, quality: 'good', ...GOOD, spikes: [7], note: 'invalid channel (LGd)' },
  { id: 950907204, peak: 849705564, quality: 'good', ...GOOD, spikes: [], note: 'kept: CA1, probeB v20; zero spikes' },
  { id: 950907207, peak: 849705566, quality: 'good', ...GOOD, spikes: [8], note: 'structure "None"' },
  { id: 950907208, peak: 849705999, quality: 'good', ...GOOD, spikes: [9], note: 'peak channel not in electrodes' },
  { id: 950907206, peak: 849705558, quality: 'noise', ...GOOD, spikes: [10], note: 'noise' },
  { id: 950907209, peak: 849705560, quality: 'good', ...GOOD, presence_ratio: 0.92, spikes: [11], note: 'presence 0.92 < 0.95' },
  { id: 950907211, peak: 849705564, quality: 'good', ...GOOD, isi_violations: 0.6, spikes: [12], note: 'isi 0.6 > 0.5' },
  { id: 950907212, peak: 849705564, quality: 'good', ...GOOD, spikes: [13, 14], note: 'kept: same channel as row 5, after it' },
];

/**
 * Presentations, one table per stimulus, chronological within a table and interleaved in time
 * across tables, so the global ids come from the start-time sort, not from table order.
 */
export const PRESENTATIONS = {
  spontaneous_presentations: {
    start_time: [0],
    stop_time: [10],
    columns: { stimulus_name: ['spontaneous'] },
  },
  gabors_presentations: {
    start_time: [10, 40],
    stop_time: [10.25, 40.25],
    columns: {
      stimulus_name: ['gabors', 'gabors'],
      orientation: [0, 90],
      // List-strings: null in the numeric column, kept in size__text.
      size: ['[20.0, 20.0]', '[20.0, 20.0]'],
      // Number-strings: parsed to numbers; "N/A" is null.
      spatial_frequency: ['0.08', 'N/A'],
      stimulus_block: [1, 1],
      x_position: [-10, 10],
    },
  },
  drifting_gratings_presentations: {
    start_time: [20, 30],
    stop_time: [22, 31.5],
    columns: {
      stimulus_name: ['drifting_gratings', 'drifting_gratings'],
      orientation: [45, null],
      spatial_frequency: ['0.04', '[0.0, 0.0]'],
      stimulus_block: [2, 2],
      temporal_frequency: [2, 8],
    },
  },
  natural_movie_one_presentations: {
    start_time: [50, 50.5, 51],
    stop_time: [50.5, 51, 51.5],
    columns: { stimulus_name: ['natural_movie_one', 'natural_movie_one', 'natural_movie_one'], frame: [0, 1, 2], stimulus_block: [3, 3, 3] },
  },
};

/** Sorted by start time: [table, row] of each global presentation id. */
export const PRESENTATION_ORDER: readonly [keyof typeof PRESENTATIONS, number][] = [
  ['spontaneous_presentations', 0], // 0: 0–10
  ['gabors_presentations', 0], // 1: 10–10.25
  ['drifting_gratings_presentations', 0], // 2: 20–22
  ['drifting_gratings_presentations', 1], // 3: 30–31.5, touches the invalid interval at 31.5
  ['gabors_presentations', 1], // 4: 40–40.25, overlaps a probe-tagged interval only
  ['natural_movie_one_presentations', 0], // 5
  ['natural_movie_one_presentations', 1], // 6
  ['natural_movie_one_presentations', 2], // 7
];

export const INVALID_TIMES = {
  start_time: [31.5, 40.1],
  stop_time: [35, 40.2],
  tags: [
    ['EcephysSession', String(SESSION_ID), 'stimulus'],
    ['EcephysProbe', '810755797', 'probeA'],
  ],
};

export const RUNNING_SPEED = { data: [0.5, null, 2.25, -3], timestamps: [1, 1.0166, 1.0333, 1.05] };

/** screen_coordinates rows are [y, x] (allen-nwb-layout.md §7.1). */
export const GAZE = {
  timestamps: [5, 5.0333, 5.0666],
  raw_gaze_mapping: {
    eye_area: [1000, 1010.5, null],
    pupil_area: [200, 201, 202],
    screen_coordinates: [
      [1.5, -2.5],
      [null, null],
      [3, 4],
    ],
    screen_coordinates_spherical: [
      [10, -20],
      [11, -21],
      [12, -22],
    ],
  },
  filtered_gaze_mapping: {
    eye_area: [1001, 1011, 1021],
    pupil_area: [199, 200, 201],
    screen_coordinates: [
      [1.25, -2.25],
      [2, -3],
      [3, -4],
    ],
    screen_coordinates_spherical: [
      [9, -19],
      [10, -20],
      [11, -21],
    ],
  },
  ellipse_fits: {
    pupil_ellipse_fits: { center_x: [1, 2, 3], center_y: [4, 5, 6], height: [7, 8, 9], phi: [0, 0, 0], width: [1, 1, 1], timestamps: [5, 5.0333, 5.0666] },
    cr_ellipse_fits: { center_x: [1, 1, 1], center_y: [2, 2, 2], height: [3, 3, 3], phi: [0, 0, 0], width: [4, 4, 4], timestamps: [5, 5.0333, 5.0666] },
    eye_ellipse_fits: { center_x: [5, 5, 5], center_y: [6, 6, 6], height: [7, 7, 7], phi: [0, 0, 0], width: [8, 8, 8], timestamps: [5, 5.0333, 5.0666] },
  },
};

export interface SessionContent {
  readonly identifier: string;
  readonly sessionType: string;
  readonly withGaze: boolean;
  readonly withInvalidTimes: boolean;
}

export const BO: SessionContent = { identifier: String(SESSION_ID), sessionType: 'brain_observatory_1.1', withGaze: true, withInvalidTimes: true };

/** The writer's JSON for a session built from the tables above. */
function writerJson(c: SessionContent): string {
  return JSON.stringify({
    identifier: c.identifier,
    sessionType: c.sessionType,
    electrodes: ELECTRODES,
    units: {
      id: UNIT_ROWS.map((u) => u.id),
      peak_channel_id: UNIT_ROWS.map((u) => u.peak),
      local_index: UNIT_ROWS.map((_, i) => i),
      cluster_id: UNIT_ROWS.map((_, i) => 100 + i),
      quality: UNIT_ROWS.map((u) => u.quality),
      metrics: {
        amplitude_cutoff: UNIT_ROWS.map((u) => u.amplitude_cutoff),
        presence_ratio: UNIT_ROWS.map((u) => u.presence_ratio),
        isi_violations: UNIT_ROWS.map((u) => u.isi_violations),
      },
      spikes: UNIT_ROWS.map((u) => u.spikes),
    },
    presentations: PRESENTATIONS,
    invalidTimes: c.withInvalidTimes ? INVALID_TIMES : null,
    runningSpeed: RUNNING_SPEED,
    gaze: c.withGaze ? GAZE : null,
  });
}

/** Writes the session NWB to `file`. */
export function writeSession(file: string, content: SessionContent): void {
  mkdirSync(dirname(file), { recursive: true });
  runPython('write_allen_session.py', [file], writerJson(content));
}

/** A temporary workspace for running a stage in-process. */
export function makeWorkspace(): TempDir {
  return makeTempDir('pipe-extract-');
}
