// Encodings other NWB writers use, in files written with h5wasm: narrow and unsigned integer ids
// and indexes, int64/uint64 through BigInt, float32 spike times, fixed-length / scalar / missing
// `colnames`, fixed-length text, a 1-D identifier, optional columns and groups left out,
// timestamps as a soft link or as starting_time + rate.

import type { Dataset } from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNwbSession, withNwbSession } from '../../stages/allen/nwb/session.js';
import type { NwbSession } from '../../stages/allen/nwb/types.js';
import { groupAt, writeH5, writeTable, writeTimeSeries } from './h5build.js';
import { expectStageError, makeTempDir, type TempDir } from './helpers.js';

const f64 = (values: readonly number[]): Float64Array => Float64Array.from(values);

describe('encodings from other NWB writers', () => {
  let tmp: TempDir;
  let file: string;
  let s: NwbSession;

  beforeAll(async () => {
    tmp = makeTempDir();
    file = tmp.file('other-writer.nwb');
    await writeH5(file, (root) => {
      root.create_dataset({ name: 'identifier', data: ['lab-session-7'] }); // 1-D, not scalar
      writeTable(root, '/units', {
        colnames: { fixed: ['spike_times', 'depth', 'amplitude_cutoff', 'peak_channel_id'] },
        id: Int32Array.of(7, 3, 5),
        columns: {
          spike_times: Float32Array.of(0.5, 0.25, 1.75, 2.5),
          spike_times_index: Uint8Array.of(1, 1, 4),
          depth: Int16Array.of(-100, 250, 32000),
          amplitude_cutoff: Float32Array.of(0.5, 0.125, 0.25),
          peak_channel_id: Uint16Array.of(2, 0, 65535),
        },
      });
      writeTable(root, '/general/extracellular_ephys/electrodes', {
        colnames: { scalar: 'location' },
        id: BigUint64Array.of(0n, 2n, 65535n),
        columns: { location: { data: ['CA1', '', 'VISp'], dtype: 'S8' }, valid_data: Uint8Array.of(1, 0, 2) },
      });
      writeTable(root, '/intervals/trial_presentations', {
        colnames: 'none', // inferred from the datasets
        id: Uint16Array.of(0, 1),
        columns: {
          start_time: Float64Array.of(1, 2),
          stop_time: Float64Array.of(1.5, 2.5),
          is_good: Int32Array.of(1, 0),
          kind: { data: ['left', 'right'], dtype: 'A5' },
          tags: ['a', 'b', 'c'],
          tags_index: Uint16Array.of(1, 3),
        },
      });
      groupAt(root, '/intervals/trial_presentations/not_a_column'); // a subgroup is not a column
      writeTable(root, '/intervals/invalid_times', {
        id: Int8Array.of(0),
        columns: { start_time: Float64Array.of(5), stop_time: Float64Array.of(6), tags: ['stimulus'] },
      });
      const running = writeTimeSeries(root, '/processing/running/running_speed', { data: Float64Array.of(1, 2, 3), timestamps: 'none', unit: 'cm/s' });
      running.create_dataset({ name: 'starting_time', data: 10 });
      (running.get('starting_time') as Dataset).create_attribute('rate', 4);
      writeTimeSeries(root, '/processing/raw_gaze_mapping/eye_area', { data: Float64Array.of(7, 8), timestamps: Float64Array.of(0.5, 0.75) });
      groupAt(root, '/processing/raw_gaze_mapping/pupil_area').create_dataset({ name: 'data', data: Float64Array.of(70, 80) });
      groupAt(root, '/processing/raw_gaze_mapping/pupil_area').create_soft_link('/processing/raw_gaze_mapping/eye_area/timestamps', 'timestamps');
    });
    s = await readNwbSession(file);
  });
  afterAll(() => tmp?.remove());

  it('reads a 1-D identifier and reports no session type when /general/stimulus is absent', () => {
    expect(s.identifier).toBe('lab-session-7');
    expect(s.sessionType).toBeUndefined();
  });

  it('reads int32 ids, a uint8 index, float32 spike times and fixed-length ASCII colnames', async () => {
    const u = s.units;
    expect(u.id).toEqual(f64([7, 3, 5]));
    expect(u.spikeTimesEnd).toEqual(f64([1, 1, 4]));
    expect(u.totalSpikes).toBe(4);
    expect(u.columns.numeric.get('depth')).toEqual(f64([-100, 250, 32000]));
    expect(u.amplitudeCutoff).toEqual(f64([0.5, 0.125, 0.25]));
    expect(u.peakChannelId).toEqual(f64([2, 0, 65535]));
    // Optional columns that are absent are undefined, not an error.
    expect(u.quality).toBeUndefined();
    expect(u.presenceRatio).toBeUndefined();
    expect(u.isiViolations).toBeUndefined();
    await withNwbSession(file, (session) => {
      expect(session.spikeTimes(2)).toEqual(f64([0.25, 1.75, 2.5]));
      expect(session.spikeTimes(0)).toEqual(f64([0.5]));
      expect(session.spikeTimes(1)).toEqual(new Float64Array(0));
    });
  });

  it('reads uint64 ids, a scalar colnames, fixed-length text and an integer valid_data', () => {
    const e = s.electrodes;
    expect(e?.id).toEqual(f64([0, 2, 65535]));
    expect(e?.location).toEqual(['CA1', '', 'VISp']);
    // valid_data is not in colnames (a scalar naming only `location`), so it is not a column.
    expect(e?.validData).toBeUndefined();
    expect(e?.groupName).toBeUndefined();
    expect(e?.probeVerticalPosition).toBeUndefined();
  });

  it('infers the columns of a table without colnames and leaves tags out', () => {
    expect(s.presentations).toHaveLength(1);
    const t = s.presentations[0];
    expect(t?.name).toBe('trial_presentations');
    expect(t?.id).toEqual(f64([0, 1]));
    expect(t?.startTime).toEqual(f64([1, 2]));
    expect([...(t?.columns.keys() ?? [])]).toEqual(['is_good', 'kind']);
    expect(t?.columns.get('is_good')).toEqual({ kind: 'numeric', values: f64([1, 0]) });
    expect(t?.columns.get('kind')).toEqual({ kind: 'string', values: ['left', 'right'] });
  });

  it('reads invalid_times tags stored one per row without an index', () => {
    expect(s.invalidTimes?.tags).toEqual([['stimulus']]);
  });

  it('derives timestamps from starting_time and rate, and follows a soft-linked timestamps', () => {
    expect(s.runningSpeed).toMatchObject({ data: f64([1, 2, 3]), timestamps: f64([10, 10.25, 10.5]), unit: 'cm/s', conversion: 1, offset: 0 });
    expect(s.gaze.raw?.pupilArea).toMatchObject({ data: f64([70, 80]), timestamps: f64([0.5, 0.75]) });
    expect(s.gaze.raw?.screenCoordinates).toBeUndefined();
    expect(s.gaze.filtered).toBeUndefined();
  });

  it('reads an integer valid_data listed in colnames as booleans', async () => {
    const f = tmp.file('valid-int.nwb');
    await writeH5(f, (root) => {
      root.create_dataset({ name: 'identifier', data: 'x' });
      writeTable(root, '/units', { id: Int32Array.of(1), columns: { spike_times: Float64Array.of(1), spike_times_index: Int32Array.of(1) } });
      writeTable(root, '/general/extracellular_ephys/electrodes', { id: Int32Array.of(1, 2, 3), columns: { valid_data: Uint8Array.of(1, 0, 2) } });
    });
    expect((await readNwbSession(f)).electrodes?.validData).toEqual([true, false, true]);
  });

  it('refuses an int64 id that a double cannot hold exactly', async () => {
    const f = tmp.file('huge-id.nwb');
    await writeH5(f, (root) => {
      root.create_dataset({ name: 'identifier', data: 'x' });
      writeTable(root, '/units', {
        id: BigInt64Array.of(1n, 2n ** 60n + 1n),
        columns: { spike_times: Float64Array.of(1), spike_times_index: Int32Array.of(1, 1) },
      });
    });
    await expectStageError(() => readNwbSession(f), { file: f, path: '/units/id', problem: /element 1 is 1152921504606846977/ });
  });
});
