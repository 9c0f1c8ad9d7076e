// The `extract` built-in run in-process on a small Allen-layout session (session-fixture.ts),
// its tables checked against the NWB content row by row.

import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import { extractDescriptor } from '../../stages/allen/extract/descriptor.js';
import implementation from '../../stages/allen/extract/run.js';
import type { ExtractArgs } from '../../stages/allen/extract/args.js';
import { NwbSessionFile } from '../../stages/allen/nwb/session.js';
import { readTableFile, type TableFile } from '../../stages/tables/read.js';
import { withNulls } from '../tables.js';
import { stageContext } from '../stage-context.js';
import type { TempDir } from '../nwb/helpers.js';
import { expectArrowFile } from './arrow-file.js';
import {
  BO,
  GAZE,
  makeWorkspace,
  PRESENTATIONS,
  PRESENTATION_ORDER,
  PYTHON,
  PYTHON_H5PY,
  RUNNING_SPEED,
  SESSION_ID,
  UNIT_ROWS,
  writeSession,
} from './session-fixture.js';

const NWB = `data/raw/session_${SESSION_ID}/session_${SESSION_ID}.nwb`;
const OUT_DIR = `data/extract/session_${SESSION_ID}`;
const PRESENTATIONS_OUT = `data/presentations_raw/session_${SESSION_ID}.arrow`;

function args(overrides: Partial<ExtractArgs> = {}): ExtractArgs {
  return { nwb: NWB, session_id: SESSION_ID, out_dir: OUT_DIR, presentations_out: PRESENTATIONS_OUT, ...overrides };
}

/** Runs extract with the output directory and the raw table declared, as a pipeline would. */
async function runExtract(ws: TempDir, a: ExtractArgs) {
  const ctx = stageContext({ workspace: ws.dir, args: a, deps: [a.nwb], outs: [a.out_dir, a.presentations_out] });
  await implementation.run(ctx);
  return ctx;
}


const nullable = (values: readonly (number | null)[]) => values.map((v) => (v === null ? NaN : v));

if (!PYTHON_H5PY) console.warn(`[test/extract] SKIPPED extract tests: ${PYTHON} with h5py (used to write the session file) is not available`);

describe.skipIf(!PYTHON_H5PY)('extract on an Allen-layout BO session', () => {
  let ws: TempDir;
  let units: TableFile;
  let presentations: TableFile;
  let progress: { done: number; total?: number }[];
  let spikeTimes: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    ws = makeWorkspace();
    writeSession(ws.file(NWB), BO);
    // Spike times stay in the NWB for bin_spikes; extract only counts them through the index.
    spikeTimes = vi.spyOn(NwbSessionFile.prototype, 'spikeTimes');
    const ctx = await runExtract(ws, args());
    progress = ctx.progressEvents;
    units = await readTableFile(ws.file(`${OUT_DIR}/units.arrow`));
    presentations = await readTableFile(ws.file(PRESENTATIONS_OUT));
  });
  afterAll(() => {
    spikeTimes?.mockRestore();
    ws?.remove();
  });

  it('writes exactly the contract’s files, each table an Arrow IPC file', () => {
    for (const f of ['units.arrow', 'running_speed.arrow', 'gaze.arrow']) expectArrowFile(ws.file(`${OUT_DIR}/${f}`));
    expectArrowFile(ws.file(PRESENTATIONS_OUT));
    expect(JSON.parse(readFileSync(ws.file(`${OUT_DIR}/session.json`), 'utf8'))).toEqual({
      session_id: SESSION_ID,
      session_type: 'brain_observatory_1.1',
      identifier: String(SESSION_ID),
      has_gaze: true,
    });
  });

  it('reads no spike times and reports its progress to the end', () => {
    expect(spikeTimes).not.toHaveBeenCalled();
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ done: 5, total: 5 });
  });

  it('writes one unit row per NWB row, in NWB order, with the contract’s columns', () => {
    expect(units.names).toEqual([
      'unit_id',
      'nwb_row',
      'peak_channel_id',
      'structure',
      'probe',
      'probe_vertical_position',
      'probe_horizontal_position',
      'quality',
      'amplitude_cutoff',
      'presence_ratio',
      'isi_violations',
      'spike_count',
      'passes_filter',
      'order',
    ]);
    expect(units.type('unit_id')).toBe('int64');
    expect(units.type('nwb_row')).toBe('int32');
    expect(units.type('order')).toBe('int32');
    expect(Array.from(units.bigints('unit_id'))).toEqual(UNIT_ROWS.map((u) => BigInt(u.id)));
    expect(Array.from(units.int32s('nwb_row'))).toEqual(UNIT_ROWS.map((_, i) => i));
    expect(Array.from(units.numbers('peak_channel_id'))).toEqual(UNIT_ROWS.map((u) => u.peak));
    expect(units.strings('quality')).toEqual(UNIT_ROWS.map((u) => u.quality));
    expect(Array.from(units.numbers('spike_count'))).toEqual(UNIT_ROWS.map((u) => u.spikes.length));
  });

  it('joins the peak channel: structure null for "", "None" and an unknown channel', () => {
    expect(units.strings('structure')).toEqual(['VISp', 'VISp', null, 'CA1', 'LGd', 'CA1', null, null, 'VISp', 'VISp', 'CA1', 'CA1']);
    expect(units.strings('probe')).toEqual(['probeA', 'probeA', 'probeA', 'probeB', 'probeB', 'probeB', 'probeB', null, 'probeA', 'probeA', 'probeB', 'probeB']);
    expect(withNulls(units, 'probe_vertical_position')).toEqual([40, 20, 60, 20, 60, 20, 40, null, 40, 20, 20, 20]);
    expect(withNulls(units, 'probe_horizontal_position')).toEqual([43, 11, 59, 27, 11, 27, 43, null, 43, 11, 27, 27]);
  });

  it('stores a NaN metric as null', () => {
    expect(withNulls(units, 'amplitude_cutoff')).toEqual(UNIT_ROWS.map((u) => u.amplitude_cutoff));
    expect(units.validity('amplitude_cutoff')?.[3]).toBe(0);
    expect(withNulls(units, 'presence_ratio')).toEqual(UNIT_ROWS.map((u) => u.presence_ratio));
    expect(withNulls(units, 'isi_violations')).toEqual(UNIT_ROWS.map((u) => u.isi_violations));
  });

  it('marks the §1 outcome: the NaN metric, the invalid channel and the rest fail; order by probe and depth', () => {
    expect(Array.from(units.bools('passes_filter'))).toEqual([1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    // probeA v20 (row 1), probeA v40 (row 0), probeB v20 (rows 5 and 11: a tie keeps NWB order).
    expect(withNulls(units, 'order')).toEqual([1, 0, null, null, null, 2, null, null, null, null, null, 3]);
  });

  it('writes every presentation (§2 steps 1–4) with global ids in start-time order', () => {
    const want = PRESENTATION_ORDER.map(([table, row]) => PRESENTATIONS[table].start_time[row]!);
    expect(presentations.rows).toBe(8);
    expect(presentations.type('presentation_id')).toBe('int64');
    expect(Array.from(presentations.numbers('presentation_id'))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(presentations.numbers('start_time'))).toEqual(want);
    expect(Array.from(presentations.numbers('stop_time'))).toEqual(PRESENTATION_ORDER.map(([table, row]) => PRESENTATIONS[table].stop_time[row]!));
  });

  it('masks the presentation touching a stimulus-tagged invalid interval, not the probe-tagged one', () => {
    expect(presentations.strings('stimulus_name')).toEqual([
      'spontaneous',
      'gabors',
      'drifting_gratings',
      'invalid_presentation',
      'gabors',
      'natural_movie_one',
      'natural_movie_one',
      'natural_movie_one',
    ]);
    expect(withNulls(presentations, 'duration')).toEqual([10, 0.25, 2, null, 0.25, 0.5, 0.5, 0.5]);
    expect(withNulls(presentations, 'stimulus_block')).toEqual([null, 1, 2, null, 1, 3, 3, 3]);
    expect(withNulls(presentations, 'orientation')).toEqual([null, 0, 45, null, 90, null, null, null]);
  });

  it('orders the parameter columns by name after stimulus_block, with __text only where text remains', () => {
    expect(presentations.names).toEqual([
      'presentation_id',
      'stimulus_name',
      'start_time',
      'stop_time',
      'duration',
      'stimulus_block',
      'frame',
      'orientation',
      'size',
      'size__text',
      'spatial_frequency',
      'temporal_frequency',
      'x_position',
    ]);
    // The only text cell of spatial_frequency ("[0.0, 0.0]") was in the masked row: no companion.
    expect(presentations.has('spatial_frequency__text')).toBe(false);
  });

  it('parses string cells: numbers become numbers, "N/A" null, list-strings go to __text', () => {
    expect(withNulls(presentations, 'spatial_frequency')).toEqual([null, 0.08, 0.04, null, null, null, null, null]);
    expect(withNulls(presentations, 'size')).toEqual(Array(8).fill(null));
    expect(presentations.strings('size__text')).toEqual([null, '[20.0, 20.0]', null, null, '[20.0, 20.0]', null, null, null]);
    expect(withNulls(presentations, 'frame')).toEqual([null, null, null, null, null, 0, 1, 2]);
  });

  it('writes running speed as stored, a NaN sample staying NaN', async () => {
    const rs = await readTableFile(ws.file(`${OUT_DIR}/running_speed.arrow`));
    expect(rs.names).toEqual(['timestamps', 'velocity']);
    expect(Array.from(rs.numbers('timestamps'))).toEqual(RUNNING_SPEED.timestamps);
    expect(Array.from(rs.numbers('velocity'))).toEqual(nullable(RUNNING_SPEED.data));
    expect(rs.validity('velocity')).toBeUndefined();
  });

  it('writes the six raw gaze series on raw eye_area’s timestamps, x and y from columns 1 and 0', async () => {
    const g = await readTableFile(ws.file(`${OUT_DIR}/gaze.arrow`));
    const raw = GAZE.raw_gaze_mapping;
    expect(g.names).toEqual([
      'timestamps',
      'raw_eye_area',
      'raw_pupil_area',
      'raw_screen_coordinates_x_cm',
      'raw_screen_coordinates_y_cm',
      'raw_screen_coordinates_spherical_x_deg',
      'raw_screen_coordinates_spherical_y_deg',
    ]);
    expect(Array.from(g.numbers('timestamps'))).toEqual(GAZE.timestamps);
    expect(Array.from(g.numbers('raw_eye_area'))).toEqual(nullable(raw.eye_area));
    expect(Array.from(g.numbers('raw_pupil_area'))).toEqual(raw.pupil_area);
    expect(Array.from(g.numbers('raw_screen_coordinates_x_cm'))).toEqual(nullable(raw.screen_coordinates.map((r) => r[1]!)));
    expect(Array.from(g.numbers('raw_screen_coordinates_y_cm'))).toEqual(nullable(raw.screen_coordinates.map((r) => r[0]!)));
    expect(Array.from(g.numbers('raw_screen_coordinates_spherical_x_deg'))).toEqual(raw.screen_coordinates_spherical.map((r) => r[1]));
    expect(Array.from(g.numbers('raw_screen_coordinates_spherical_y_deg'))).toEqual(raw.screen_coordinates_spherical.map((r) => r[0]));
  });

  it('is readable by apache-arrow itself, ids as int64', () => {
    const t = tableFromIPC(readFileSync(ws.file(`${OUT_DIR}/units.arrow`)));
    expect(t.numRows).toBe(UNIT_ROWS.length);
    expect(t.getChild('unit_id')?.get(0)).toBe(BigInt(UNIT_ROWS[0]!.id));
    expect(t.getChild('structure')?.get(2)).toBeNull();
    expect(t.getChild('passes_filter')?.get(1)).toBe(true);
  });

  it('writes the same bytes when run again', async () => {
    const again = makeWorkspace();
    try {
      writeSession(again.file(NWB), BO);
      await runExtract(again, args());
      for (const f of [`${OUT_DIR}/units.arrow`, `${OUT_DIR}/running_speed.arrow`, `${OUT_DIR}/gaze.arrow`, PRESENTATIONS_OUT, `${OUT_DIR}/session.json`]) {
        expect(readFileSync(again.file(f)), f).toEqual(readFileSync(ws.file(f)));
      }
    } finally {
      again.remove();
    }
  });
});

describe.skipIf(!PYTHON_H5PY)('extract: arguments, other sessions and errors', () => {
  let ws: TempDir;
  beforeAll(() => {
    ws = makeWorkspace();
    writeSession(ws.file(NWB), BO);
  });
  afterAll(() => ws?.remove());

  it('applies the unit_filter thresholds it is given, keeping the defaults for the others', async () => {
    const out = 'data/extract/relaxed';
    await runExtract(ws, args({ out_dir: out, presentations_out: 'data/p/relaxed.arrow', unit_filter: { presence_ratio_min: 0.9 } }));
    const t = await readTableFile(ws.file(`${out}/units.arrow`));
    // Row 9 (presence 0.92) now passes and shares row 1's channel: after it, before row 0.
    expect(Array.from(t.bools('passes_filter'))).toEqual([1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1]);
    expect(withNulls(t, 'order')).toEqual([2, 0, null, null, null, 3, null, null, null, 1, null, 4]);
  });

  it('disables a test with null (AllenSDK None), so the NaN metric no longer fails', async () => {
    const out = 'data/extract/no-amplitude';
    await runExtract(ws, args({ out_dir: out, presentations_out: 'data/p/no-amplitude.arrow', unit_filter: { amplitude_cutoff_max: null } }));
    const t = await readTableFile(ws.file(`${out}/units.arrow`));
    expect(Array.from(t.bools('passes_filter'))).toEqual([1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1]);
  });

  it('writes no gaze.arrow for a session without gaze, and a session without invalid_times masks nothing', async () => {
    const fcWs = makeWorkspace();
    try {
      const id = 766640955;
      const nwb = `data/raw/session_${id}.nwb`;
      writeSession(fcWs.file(nwb), { identifier: String(id), sessionType: 'functional_connectivity', withGaze: false, withInvalidTimes: false });
      const a = { nwb, session_id: id, out_dir: `data/extract/session_${id}`, presentations_out: `data/presentations_raw/session_${id}.arrow` };
      await runExtract(fcWs, a);
      expect(existsSync(fcWs.file(`${a.out_dir}/gaze.arrow`))).toBe(false);
      expect(JSON.parse(readFileSync(fcWs.file(`${a.out_dir}/session.json`), 'utf8'))).toEqual({
        session_id: id,
        session_type: 'functional_connectivity',
        identifier: String(id),
        has_gaze: false,
      });
      const p = await readTableFile(fcWs.file(a.presentations_out));
      expect(p.strings('stimulus_name')).not.toContain('invalid_presentation');
      expect(withNulls(p, 'duration')[3]).toBe(1.5);
    } finally {
      fcWs.remove();
    }
  });

  it('refuses a file whose /identifier is another session, naming both', async () => {
    const err = await runExtract(ws, args({ session_id: 766640955 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as StageError).message).toContain(String(SESSION_ID));
    expect((err as StageError).message).toContain('766640955');
    expect((err as StageError).message).toContain(ws.file(NWB));
    expect(existsSync(ws.file(`${OUT_DIR}/units.arrow`))).toBe(false);
  });

  it('reports a missing session file as a StageError naming it', async () => {
    const err = await runExtract(ws, args({ nwb: 'data/raw/nope.nwb' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as StageError).message).toContain(join(ws.dir, 'data/raw/nope.nwb'));
  });

  it('writes only to declared outputs', async () => {
    const ctx = stageContext({ workspace: ws.dir, args: args(), outs: [OUT_DIR] });
    await expect(implementation.run(ctx)).rejects.toThrow(/not a declared output/);
  });
});

describe('the extract descriptor', () => {
  it('is named, versioned, threaded, and its schema fixes the arguments', () => {
    expect(extractDescriptor).toMatchObject({ name: 'extract', version: '1', threaded: true });
    expect(extractDescriptor.module).toMatch(/\/run\.js$/);
    expect(extractDescriptor.schema).toMatchObject({
      additionalProperties: false,
      required: ['nwb', 'session_id', 'out_dir', 'presentations_out'],
      properties: { session_id: { type: 'integer' }, unit_filter: { additionalProperties: false } },
    });
  });

  it('loads the implementation lazily', async () => {
    const impl = await extractDescriptor.load();
    expect(impl.run).toBe(implementation.run);
  });
});
