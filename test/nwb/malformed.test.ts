// Broken files: each must give a StageError whose message names the file and the HDF5 path (and
// whose hint says what to do) — never a crash, a hang or silently wrong numbers.

import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNwbSession, withNwbSession } from '../../stages/allen/nwb/session.js';
import { type ColumnData, type H5Root, writeH5, writeMinimalUnits, writeTable, writeTimeSeries } from './h5build.js';
import { expectStageError, makeTempDir, PYTHON, PYTHON_H5PY, runPythonCode, type TempDir } from './helpers.js';

let tmp: TempDir;
beforeAll(() => {
  tmp = makeTempDir();
});
afterAll(() => tmp?.remove());

/** Writes a file with a valid identifier plus whatever `build` adds. */
async function nwb(name: string, build: (root: H5Root) => void): Promise<string> {
  const file = tmp.file(name);
  await writeH5(file, (root) => {
    root.create_dataset({ name: 'identifier', data: '123' });
    build(root);
  });
  return file;
}

const unitsWith = (overrides: Partial<Record<string, ColumnData>>) => (root: H5Root) => void writeMinimalUnits(root, overrides);

describe('files that are not (whole) HDF5', () => {
  it('a text file', async () => {
    const file = tmp.file('error-page.nwb');
    writeFileSync(file, '<html><body>503 Service Unavailable</body></html>\n'.repeat(40));
    await expectStageError(() => readNwbSession(file), { file, problem: /is not an HDF5 file/ });
  });

  it('an empty file', async () => {
    const file = tmp.file('empty.nwb');
    writeFileSync(file, '');
    await expectStageError(() => readNwbSession(file), { file, problem: /is not an HDF5 file/ });
  });

  it('a truncated download', async () => {
    const whole = await nwb('whole.nwb', unitsWith({}));
    const file = tmp.file('truncated.nwb');
    const bytes = readFileSync(whole);
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await expectStageError(() => readNwbSession(file), { file, problem: /is truncated/ });
    expect(err.message).toContain(`ends at byte ${bytes.length}`);
  });

  it('a file cut inside its superblock', async () => {
    const whole = await nwb('whole2.nwb', unitsWith({}));
    const file = tmp.file('stub.nwb');
    writeFileSync(file, readFileSync(whole).subarray(0, 20));
    await expectStageError(() => readNwbSession(file), { file, problem: /HDF5 could not open it/ });
  });

  it('a missing file and a directory', async () => {
    const missing = tmp.file('nope.nwb');
    await expectStageError(() => readNwbSession(missing), { file: missing, problem: /ENOENT/ });
    const dir = tmp.file('a-directory.nwb');
    mkdirSync(dir);
    await expectStageError(() => readNwbSession(dir), { file: dir, problem: /cannot be read/ });
  });
});

describe('HDF5 files with a broken NWB layout', () => {
  it('no /units', async () => {
    const file = await nwb('no-units.nwb', () => undefined);
    await expectStageError(() => readNwbSession(file), { file, path: '/units', problem: /is missing/ });
  });

  it('/units is a dataset', async () => {
    const file = await nwb('units-dataset.nwb', (root) => void root.create_dataset({ name: 'units', data: Float64Array.of(1) }));
    await expectStageError(() => readNwbSession(file), { file, path: '/units', problem: /is a dataset; expected a group/ });
  });

  it('no /identifier', async () => {
    const file = tmp.file('no-identifier.nwb');
    await writeH5(file, (root) => void writeMinimalUnits(root));
    await expectStageError(() => readNwbSession(file), { file, path: '/identifier', problem: /is missing/ });
  });

  it('a spike index pointing past the end of spike_times', async () => {
    const file = await nwb('index-too-long.nwb', unitsWith({ spike_times_index: BigInt64Array.of(2n, 2n, 4n) }));
    await expectStageError(() => readNwbSession(file), {
      file,
      path: '/units/spike_times_index',
      problem: /last entry is 4 but the data has 3 elements/,
    });
  });

  it('a non-monotonic spike index', async () => {
    const file = await nwb('index-decreasing.nwb', unitsWith({ spike_times_index: Int32Array.of(2, 1, 3) }));
    await expectStageError(() => readNwbSession(file), { file, path: '/units/spike_times_index', problem: /not monotonic: entry 1 is 1, after 2/ });
  });

  it('a spike index with a wrong number of entries', async () => {
    const file = await nwb('index-short.nwb', unitsWith({ spike_times_index: Int32Array.of(2, 3) }));
    await expectStageError(() => readNwbSession(file), { file, path: '/units/spike_times_index', problem: /has 2 entries but the table has 3 rows/ });
  });

  it('spike times without an index', async () => {
    const file = await nwb('no-index.nwb', (root) =>
      void writeTable(root, '/units', { id: Int32Array.of(1), columns: { spike_times: Float64Array.of(1) } }),
    );
    await expectStageError(() => readNwbSession(file), { file, path: '/units/spike_times_index', problem: /is missing/ });
  });

  it('spike times stored as text', async () => {
    const file = await nwb('text-spikes.nwb', unitsWith({ spike_times: ['0.5', '1.5', '2.5'] }));
    await expectStageError(() => readNwbSession(file), { file, path: '/units/spike_times', problem: /floating-point/ });
  });

  it('a column with fewer rows than the table', async () => {
    const file = await nwb('short-column.nwb', (root) => {
      const g = writeMinimalUnits(root);
      g.create_dataset({ name: 'quality', data: ['good', 'noise'] });
      g.delete_attribute('colnames');
      g.create_attribute('colnames', ['spike_times', 'quality']);
    });
    await expectStageError(() => readNwbSession(file), { file, path: '/units/quality', problem: /has 2 rows but \/units\/id has 3/ });
  });

  it('running speed without timestamps', async () => {
    const file = await nwb('no-timestamps.nwb', (root) => {
      writeMinimalUnits(root);
      writeTimeSeries(root, '/processing/running/running_speed', { data: Float64Array.of(1, 2), timestamps: 'none' });
    });
    await expectStageError(() => readNwbSession(file), { file, path: '/processing/running/running_speed/timestamps', problem: /is missing/ });
  });

  it('timestamps that are a dangling soft link', async () => {
    const file = await nwb('dangling-link.nwb', (root) => {
      writeMinimalUnits(root);
      const g = writeTimeSeries(root, '/processing/running/running_speed', { data: Float64Array.of(1, 2), timestamps: 'none' });
      g.create_soft_link('/processing/running/gone/timestamps', 'timestamps');
    });
    await expectStageError(() => readNwbSession(file), {
      file,
      path: '/processing/running/running_speed/timestamps',
      problem: /soft link to \/processing\/running\/gone\/timestamps, which does not exist/,
    });
  });

  it('timestamps of the wrong length', async () => {
    const file = await nwb('short-timestamps.nwb', (root) => {
      writeMinimalUnits(root);
      writeTimeSeries(root, '/processing/raw_gaze_mapping/eye_area', { data: Float64Array.of(1, 2, 3), timestamps: Float64Array.of(0, 1) });
    });
    await expectStageError(() => readNwbSession(file), { file, path: '/processing/raw_gaze_mapping/eye_area/timestamps', problem: /has 3 rows/ });
  });

  it('a presentations table without start_time', async () => {
    const file = await nwb('no-start.nwb', (root) => {
      writeMinimalUnits(root);
      writeTable(root, '/intervals/flashes_presentations', { id: Int32Array.of(0), columns: { stop_time: Float64Array.of(1) } });
    });
    await expectStageError(() => readNwbSession(file), { file, path: '/intervals/flashes_presentations/start_time', problem: /is missing/ });
  });

  it('a valid_data column of floats', async () => {
    const file = await nwb('float-valid.nwb', (root) => {
      writeMinimalUnits(root);
      writeTable(root, '/general/extracellular_ephys/electrodes', { id: Int32Array.of(1), columns: { valid_data: Float64Array.of(1) } });
    });
    await expectStageError(() => readNwbSession(file), { file, path: '/general/extracellular_ephys/electrodes/valid_data', problem: /not a boolean/ });
  });
});

if (!PYTHON_H5PY) console.warn(`[test/nwb] SKIPPED damaged-chunk test: ${PYTHON} with h5py (used to locate the chunk) is not available`);

describe.skipIf(!PYTHON_H5PY)('damaged data', () => {
  // h5wasm's own Dataset.slice ignores H5Dread's status and would return the uninitialised read
  // buffer here as if it were spike times; the reader must refuse instead.
  it('a corrupted compressed chunk of spike_times fails the read of that unit only', async () => {
    const file = tmp.file('bad-chunk.nwb');
    await writeH5(file, (root) => {
      root.create_dataset({ name: 'identifier', data: '1' });
      const g = writeTable(root, '/units', { id: Int32Array.of(1, 2), columns: { spike_times_index: Int32Array.of(1000, 2000) }, colnames: ['spike_times'] });
      g.create_dataset({ name: 'spike_times', data: Float64Array.from({ length: 2000 }, (_, i) => i / 100), chunks: [1000], compression: 'gzip' });
    });
    // Scramble the middle of the second chunk's deflate stream, located with h5py.
    runPythonCode(
      [
        'import sys, h5py',
        'with h5py.File(sys.argv[1], "r") as f: c = f["units/spike_times"].id.get_chunk_info(1)',
        'with open(sys.argv[1], "r+b") as out:',
        '    out.seek(c.byte_offset + c.size // 4); out.write(bytes(range(0, 256, 3)) * 4)',
      ].join('\n'),
      [file],
    );
    await withNwbSession(file, (s) => {
      expect(s.spikeTimes(0)).toHaveLength(1000); // the intact chunk still reads
      expect(s.spikeTimes(0)[999]).toBe(9.99);
      return expectStageError(() => s.spikeTimes(1), { file, path: '/units/spike_times', problem: /could not be read/ });
    });
  });
});
