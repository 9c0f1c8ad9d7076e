// Real NWB files written by other labs' tools (pynwb, dandi-cli, hdmf-zarr exports, pynapple),
// read with the TS reader and cross-checked value by value against h5py (the reference reader).
// They exercise encodings an Allen file does not have: NWB 2.0.x fixed-length ASCII `colnames`,
// int32 ids, int32/uint16/uint8 VectorIndex, a file without /units.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { H5File } from '../../stages/allen/nwb/h5file.js';
import { readIntervalsTable, readInvalidTimes } from '../../stages/allen/nwb/intervals.js';
import { readNwbSession, withNwbSession } from '../../stages/allen/nwb/session.js';
import type { ColumnSet } from '../../stages/allen/nwb/types.js';
import { expectStageError, FIXTURES_DIR, FIXTURES_PRESENT, fromJsonNumber, PYTHON, PYTHON_H5PY, runPython } from './helpers.js';

interface RefColumn {
  readonly kind: 'numeric' | 'string' | 'other';
  readonly values: (number | string)[] | null;
  readonly ragged: boolean;
}
interface RefTable {
  readonly colnames: string[] | null;
  readonly id: (number | string)[];
  readonly columns: Record<string, RefColumn>;
  readonly tags?: string[][];
}
interface RefFile {
  readonly identifier: string;
  readonly stimulus?: string;
  readonly units?: RefTable & { spike_times: (number | string)[]; spike_times_index: number[] };
  readonly electrodes?: RefTable;
  readonly intervals: Record<string, RefTable>;
}

const canRun = FIXTURES_PRESENT && PYTHON_H5PY;
if (!FIXTURES_PRESENT) console.warn(`[test/nwb] SKIPPED real-file tests: fixtures folder ${FIXTURES_DIR} is absent`);
else if (!PYTHON_H5PY) console.warn(`[test/nwb] SKIPPED real-file tests: ${PYTHON} with h5py (the reference reader) is not available`);

const files = FIXTURES_PRESENT ? readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.nwb')).sort() : [];

const nums = (values: readonly (number | string)[] | null): number[] => (values ?? []).map(fromJsonNumber);

/** The scalar columns that the reader must return, and what h5py found in them. */
function expectColumnsMatch(actual: ColumnSet, ref: RefTable, exclude: ReadonlySet<string> = new Set()): void {
  const listed = ref.colnames ?? Object.keys(ref.columns);
  for (const name of listed) {
    const col = ref.columns[name];
    if (col === undefined || exclude.has(name)) continue;
    if (col.ragged || col.kind === 'other') {
      expect(actual.skipped, `column ${name}`).toContain(name);
    } else if (col.kind === 'numeric') {
      expect(Array.from(actual.numeric.get(name) ?? []), `column ${name}`).toEqual(nums(col.values));
    } else {
      expect(actual.strings.get(name), `column ${name}`).toEqual(col.values);
    }
  }
}

describe.skipIf(!canRun)('real NWB files from other writers, against h5py', () => {
  it('finds the fixture files', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  describe.each(files)('%s', (name) => {
    const file = path.join(FIXTURES_DIR, name);
    let ref: RefFile;
    beforeAll(() => {
      ref = JSON.parse(runPython('dump_nwb.py', [file])) as RefFile;
    });

    it('reads identifier, units, spike trains and electrodes as h5py does', async () => {
      if (ref.units === undefined) {
        await expectStageError(() => readNwbSession(file), { file, path: '/units', problem: /is missing/ });
        return;
      }
      const refUnits = ref.units;
      const session = await readNwbSession(file);
      expect(session.identifier).toBe(ref.identifier);
      expect(session.sessionType).toBe(ref.stimulus);
      const units = session.units;
      expect(Array.from(units.id)).toEqual(nums(refUnits.id));
      expect(units.rows).toBe(refUnits.id.length);
      expect(Array.from(units.spikeTimesEnd)).toEqual(refUnits.spike_times_index);
      expect(units.totalSpikes).toBe(refUnits.spike_times.length);
      expectColumnsMatch(units.columns, refUnits);
      expect(units.columns.skipped).toContain('spike_times');

      // Every unit's train, read per unit by hyperslab, in reverse order.
      const refTimes = nums(refUnits.spike_times);
      await withNwbSession(file, (s) => {
        for (let row = units.rows - 1; row >= 0; row--) {
          const start = row === 0 ? 0 : (refUnits.spike_times_index[row - 1] as number);
          const end = refUnits.spike_times_index[row] as number;
          expect(s.spikeCount(row)).toBe(end - start);
          expect(Array.from(s.spikeTimes(row))).toEqual(refTimes.slice(start, end));
        }
      });

      if (ref.electrodes === undefined) {
        expect(session.electrodes).toBeUndefined();
      } else {
        const el = session.electrodes;
        expect(el).toBeDefined();
        expect(Array.from(el?.id ?? [])).toEqual(nums(ref.electrodes.id));
        expect(el?.location).toEqual(ref.electrodes.columns['location']?.values);
        expect(el?.groupName).toEqual(ref.electrodes.columns['group_name']?.values);
        expectColumnsMatch(el!.columns, ref.electrodes);
      }
      // None of these writers made Allen per-stimulus tables.
      expect(session.presentations.map((t) => t.name)).toEqual(Object.keys(ref.intervals).filter((n) => n.endsWith('_presentations')));
    });

    it('reads every /intervals table as h5py does', async () => {
      const h5 = await H5File.open(file);
      try {
        for (const [table, refTable] of Object.entries(ref.intervals)) {
          const t = readIntervalsTable(h5, `/intervals/${table}`);
          expect(t.name).toBe(table);
          expect(Array.from(t.id)).toEqual(nums(refTable.id));
          expect(Array.from(t.startTime)).toEqual(nums(refTable.columns['start_time']?.values ?? null));
          expect(Array.from(t.stopTime)).toEqual(nums(refTable.columns['stop_time']?.values ?? null));
          const asSet: ColumnSet = {
            numeric: new Map([...t.columns].flatMap(([k, c]) => (c.kind === 'numeric' ? [[k, c.values] as const] : []))),
            strings: new Map([...t.columns].flatMap(([k, c]) => (c.kind === 'string' ? [[k, c.values] as const] : []))),
            skipped: t.skipped,
          };
          expectColumnsMatch(asSet, refTable, new Set(['start_time', 'stop_time', 'tags', 'timeseries']));
          if (refTable.tags !== undefined) expect(readInvalidTimes(h5, `/intervals/${table}`)?.tags).toEqual(refTable.tags);
        }
      } finally {
        h5.close();
      }
    });
  });

  // Facts about particular files (allen-nwb-layout §10), so that a reference mismatch in the
  // generic checks above cannot hide a reader that returns nothing.
  describe('specific files', () => {
    const pynapple = path.join(FIXTURES_DIR, 'pynapple__A8604-211122.nwb');
    const dandi = path.join(FIXTURES_DIR, 'dandi-cli__sub-anm369963_ses-20170228.nwb');
    let pynappleSession: Awaited<ReturnType<typeof readNwbSession>>;
    beforeAll(async () => {
      pynappleSession = await readNwbSession(pynapple);
    });

    it('pynapple: 3 units, 21354 spikes through a uint16 index, epochs tags through a uint8 index', async () => {
      const u = pynappleSession.units;
      expect(u.rows).toBe(3);
      expect(u.totalSpikes).toBe(21354);
      expect(Array.from(u.spikeTimesEnd)).toEqual([11020, 15710, 21354]);
      expect(u.columns.strings.has('location')).toBe(true);
      expect(u.columns.skipped).toEqual(expect.arrayContaining(['spike_times', 'electrode_group']));
      expect(u.quality).toBeUndefined();
      expect(u.peakChannelId).toBeUndefined();
      await withNwbSession(pynapple, (s) => {
        expect(Array.from(s.spikeTimes(0).subarray(0, 3))).toEqual([0.030333, 0.103667, 0.2019]);
      });
      const h5 = await H5File.open(pynapple);
      try {
        expect(readInvalidTimes(h5, '/intervals/epochs')?.tags).toEqual([['wake']]);
      } finally {
        h5.close();
      }
    });

    it('dandi-cli (NWB 2.0.2): fixed-length ASCII colnames, int32 ids and index', async () => {
      const s = await readNwbSession(dandi);
      expect(s.identifier).toBe('anm369963_2017-02-28_2');
      expect(Array.from(s.units.id)).toEqual([1001]);
      expect(s.units.totalSpikes).toBe(1679);
      expect(s.units.quality).toHaveLength(1);
      expect(s.units.columns.numeric.has('depth')).toBe(true);
      expect(s.electrodes?.rows).toBe(64);
    });
  });
});
