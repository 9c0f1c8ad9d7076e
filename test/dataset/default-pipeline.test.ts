// The default pipeline end to end, tried as a new user would: a fresh workspace holding only the
// repository's pipeline.yaml runs `pipe repro`, reproduces the committed data.lock byte for byte,
// and writes files that xarray, h5py and numpy read as binned-dataset.md §8 says. Then a repro
// runs nothing, and a bin-width change reruns exactly bin_spikes and what follows.
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { parseYamlSource } from '../../engine/config/source.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, Workspace } from '../rig.js';

const PY = '/usr/bin/python3';
const havePython = (() => {
  try {
    execFileSync(PY, ['-c', 'import numpy, h5py, xarray, h5netcdf, netCDF4']);
    return true;
  } catch {
    return false;
  }
})();
if (!havePython) console.warn(`[test/dataset] the xarray/h5py checks are SKIPPED: ${PY} lacks numpy, h5py, xarray, h5netcdf or netCDF4 (.ci/run installs them)`);

const python = (code: string, cwd: string): string => execFileSync(PY, ['-c', code], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });

describe('the default pipeline', () => {
  const ws = new Workspace('pipe-default-');
  let first: Awaited<ReturnType<Workspace['repro']>>;
  beforeAll(async () => {
    copyFileSync(join(ROOT, 'pipeline.yaml'), ws.path('pipeline.yaml'));
    first = await ws.repro();
  }, 600_000);
  afterAll(() => ws.cleanup());

  it('runs every stage and reproduces the committed data.lock byte for byte', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.failed).toEqual([]);
    expect(first.ran.length).toBe(25);
    expect(ws.read('data.lock')).toBe(readFileSync(join(ROOT, 'data.lock'), 'utf8'));
  });

  it.skipIf(!havePython)('writes the published bin counts per stimulus type, computed from the data', () => {
    const out = python(
      `import h5py, json, glob
r = {}
for f in sorted(glob.glob('data/02_stimulus_types/*.h5')):
    with h5py.File(f) as h:
        r[f.split('/')[-1][:-3]] = sorted({h[s][st]['spike_data']['time'].shape[0] for s in h for st in h[s]})
print(json.dumps(r))`,
      ws.dir,
    );
    expect(JSON.parse(out)).toEqual({
      dot_motion: [51],
      drifting_gratings: [101],
      drifting_gratings_75_repeats: [101],
      drifting_gratings_contrast: [26],
      flashes: [14],
      gabors: [14],
      natural_movie_one: [1502],
      natural_movie_three: [6006],
      natural_scenes: [14],
      static_gratings: [14],
    });
  });

  it.skipIf(!havePython)('has the §8 group layout, read through xarray with both engines', () => {
    const out = python(
      `import xarray as xr, h5py, json
f = 'data/02_stimulus_types/gabors.h5'
res = {}
with h5py.File(f) as h:
    sessions = list(h)
    res['sessions'] = sessions
    res['groups'] = {s: sorted(h[s]) for s in sessions}
    res['leaf'] = {s: sorted(h[s][sorted(h[s])[0]]) for s in sessions}
    res['attrs'] = sorted(h.attrs)
    res['version'] = h.attrs['pipe_version'] if isinstance(h.attrs['pipe_version'], str) else h.attrs['pipe_version'].decode()
    res['hashes'] = json.loads(h.attrs['source_nwb_hashes'])
    res['params'] = json.loads(h.attrs['pipe_parameters'])
for engine in ['h5netcdf', 'netcdf4']:
    s = res['sessions'][1]; st = res['groups'][s][0]
    sd = xr.open_dataset(f, group=f'{s}/{st}/spike_data', engine=engine)
    sp = xr.open_dataset(f, group=f'{s}/{st}/speed', engine=engine)
    pr = xr.open_dataset(f, group=f'{s}/{st}/presentations', engine=engine)
    gz = xr.open_dataset(f, group=f'{s}/{st}/gaze_data', engine=engine)
    res[engine] = {
        'spike_dims': list(sd['spike_data'].dims), 'spike_dtype': str(sd['spike_data'].dtype),
        'values': sorted(set(int(v) for v in sd['spike_data'].values.ravel())),
        'coords': {c: str(sd[c].dtype) for c in ['presentation_id', 'time', 'unit_id']},
        'ascending': bool((sd['presentation_id'].diff('presentation_id') > 0).all()),
        'speed_dims': list(sp['speed'].dims), 'speed_dtype': str(sp['speed'].dtype),
        'presentation_vars': sorted(pr.data_vars), 'presentation_dtypes': sorted({str(pr[v].dtype) for v in pr.data_vars}),
        'gaze_vars': sorted(gz.data_vars), 'gaze_dims': sorted({tuple(gz[v].dims) for v in gz.data_vars}),
        'first_time': float(sd['time'][0]), 'n_time': int(sd.sizes['time']),
    }
print(json.dumps(res))`,
      ws.dir,
    );
    const r = JSON.parse(out) as Record<string, any>;
    expect(r.sessions).toEqual(['session_715093703', 'session_766640955']);
    for (const s of r.sessions) {
      expect(r.groups[s]).toEqual([...r.groups[s]].sort());
    }
    // 715093703 has no eye tracking: no gaze_data group; 766640955 has it.
    expect(r.leaf.session_715093703).toEqual(['presentations', 'speed', 'spike_data']);
    expect(r.leaf.session_766640955).toEqual(['gaze_data', 'presentations', 'speed', 'spike_data']);
    expect(r.attrs).toEqual(['pipe_parameters', 'pipe_version', 'source_nwb_hashes']);
    expect(r.version).toMatch(/^pipe \d+\.\d+\.\d+ write_h5$/);
    expect(Object.keys(r.hashes)).toEqual(['session_715093703.nwb', 'session_766640955.nwb']);
    for (const h of Object.values(r.hashes)) expect(h).toMatch(/^xxh3-128:[0-9a-f]{32}$/);
    expect(r.params).toMatchObject({ bin_width: 0.02, binarize: true, compression: 'gzip', stimulus_type: 'gabors' });
    for (const engine of ['h5netcdf', 'netcdf4']) {
      expect(r[engine]).toMatchObject({
        spike_dims: ['presentation_id', 'time', 'unit_id'],
        spike_dtype: 'int8',
        values: [0, 1],
        coords: { presentation_id: 'int64', time: 'float64', unit_id: 'int64' },
        ascending: true,
        speed_dims: ['time', 'presentation_id'],
        speed_dtype: 'float32',
        presentation_vars: ['duration', 'orientation', 'start_time', 'stimulus_block', 'stop_time', 'x_position', 'y_position'],
        presentation_dtypes: ['float64'],
        gaze_vars: [
          'raw_eye_area',
          'raw_pupil_area',
          'raw_screen_coordinates_spherical_x_deg',
          'raw_screen_coordinates_spherical_y_deg',
          'raw_screen_coordinates_x_cm',
          'raw_screen_coordinates_y_cm',
        ],
        gaze_dims: [['time', 'presentation_id']],
        first_time: 0.01,
        n_time: 14,
      });
    }
  });

  it.skipIf(!havePython)('agrees cell for cell with an independent NumPy implementation of the spec', () => {
    // test/dataset/reference_binned.py implements binned-dataset.md with h5py and NumPy alone.
    // pipeline.yaml is read with pipe's own parser: `${...}` inside flow lists is not plain YAML.
    const parsed = parseYamlSource('pipeline.yaml', readFileSync(join(ROOT, 'pipeline.yaml'), 'utf8'));
    if (!parsed.ok) throw new Error('pipeline.yaml does not parse');
    const params = (parsed.value.data as { params: Record<string, unknown> }).params;
    ws.write('reference-params.json', JSON.stringify(params));
    const nwbs = [715093703, 766640955].map((id) => `data/raw/session_${id}/session_${id}.nwb`);
    const reference = JSON.parse(
      execFileSync(PY, [join(ROOT, 'test/dataset/reference_binned.py'), 'reference-params.json', ...nwbs], { cwd: ws.dir, encoding: 'utf8', maxBuffer: 1 << 28 }),
    ) as Record<string, { presentation_id: number[]; unit_id: number[]; time: number[]; spike_sha1: string; spike_sum: number; speed_sha1: string }>;
    const ours = JSON.parse(
      python(
        `import h5py, hashlib, json, glob, numpy as np
r = {}
for f in sorted(glob.glob('data/02_stimulus_types/*.h5')):
    t = f.split('/')[-1][:-3]
    with h5py.File(f) as h:
        for s in h:
            for st in h[s]:
                g = h[s][st]
                sd = np.ascontiguousarray(g['spike_data']['spike_data'][()])
                sp = np.ascontiguousarray(g['speed']['speed'][()])
                r[f'{t}/{s}/{st}'] = {'presentation_id': g['spike_data']['presentation_id'][()].tolist(),
                  'unit_id': g['spike_data']['unit_id'][()].tolist(), 'time': g['spike_data']['time'][()].tolist(),
                  'spike_sha1': hashlib.sha1(sd.tobytes()).hexdigest(), 'spike_sum': int(sd.sum()),
                  'speed_sha1': hashlib.sha1(sp.tobytes()).hexdigest()}
print(json.dumps(r))`,
        ws.dir,
      ),
    ) as typeof reference;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(reference).sort());
    expect(Object.keys(ours).length).toBeGreaterThan(20);
    for (const key of Object.keys(reference)) {
      expect(ours[key], key).toEqual(reference[key]);
    }
  }, 300_000);

  it('writes the natural-visual subset (VIS structures only) and the statistics table', () => {
    expect(readdirSync(ws.path('data/03_subset_natural_visual')).sort()).toEqual(['natural_movie_one.h5', 'natural_movie_three.h5', 'natural_scenes.h5']);
    const csv = ws.read('data/combined_statistics.csv').trim().split('\n');
    expect(csv[0]).toBe('stimulus_type,session_id,brain_structure,n_presentations,n_units,has_gaze_data');
    const rows = csv.slice(1).map((l) => l.split(','));
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.map((r) => `${r[0]}\0${r[1]!.padStart(12)}\0${r[2]}`)).toEqual(
      rows.map((r) => `${r[0]}\0${r[1]!.padStart(12)}\0${r[2]}`).sort(),
    );
    for (const r of rows) expect(r[5]).toBe(r[1] === '766640955' ? 'True' : 'False');
    if (havePython) {
      const structures = python(
        `import h5py
with h5py.File('data/03_subset_natural_visual/natural_scenes.h5') as h:
    print(' '.join(st for s in h for st in h[s]))`,
        ws.dir,
      ).trim().split(' ');
      expect(structures.length).toBeGreaterThan(0);
      for (const s of structures) expect(s.startsWith('VIS')).toBe(true);
    }
  });

  it('`pipe access` writes .npy files numpy loads, transposed as the spec says', async () => {
    const stats = ws.read('data/combined_statistics.csv').split('\n').map((l) => l.split(','));
    const row = stats.find((r) => r[0] === 'gabors' && r[1] === '715093703')!;
    const structure = row[2]!;
    const r = await ws.pipe(['access', 'gabors', structure, 'npy_out']);
    expect(r.code, r.stderr).toBe(0);
    const file = `npy_out/session_715093703-gabors-${structure}-spike_data.npy`;
    expect(existsSync(ws.path(file))).toBe(true);
    const speed = await ws.pipe(['access', 'gabors', structure, 'npy_out', '--data', 'speed']);
    expect(speed.code).toBe(0);
    if (havePython) {
      const shapes = python(
        `import numpy as np
a = np.load('${file}'); b = np.load('npy_out/session_715093703-gabors-${structure}-speed.npy')
print(a.dtype, a.shape[0], a.shape[1], a.shape[2], b.dtype, b.shape[0], b.shape[1])`,
        ws.dir,
      ).trim().split(' ');
      expect(shapes[0]).toBe('int8');
      expect(Number(shapes[1])).toBe(Number(row[4])); // units first
      expect(Number(shapes[2])).toBe(Number(row[3])); // then presentations
      expect(Number(shapes[3])).toBe(14); // then time
      expect(shapes[4]).toBe('float32');
      expect([Number(shapes[5]), Number(shapes[6])]).toEqual([Number(row[3]), 14]);
    }
    const unknown = await ws.pipe(['access', 'gabors', 'NOPE', 'npy_out']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(structure);
  });

  it('a second repro runs nothing', async () => {
    const again = await ws.repro();
    expect(again.ran).toEqual([]);
    expect(again.fresh.length).toBe(25);
  });

  it("a movie-tolerance change reruns the filter and only the sessions whose rows changed", async () => {
    // From the data: the largest deviation from the pooled median among each session's kept
    // movie repeats. A tolerance between the two removes a repeat from one session only.
    const medians = new Map(
      ws.read('data/presentations/presentations_median_durations.csv').trim().split('\n').slice(1).map((l) => {
        const [name, m] = l.split(',');
        return [name!, Number(m)] as const;
      }),
    );
    const maxDeviation = (id: number) => {
      const t = tableFromIPC(readFileSync(ws.path(`data/presentations/filtered/session_${id}.arrow`)));
      const names = [...t.getChild('stimulus_name')!] as string[];
      const durations = t.getChild('duration')!.toArray() as Float64Array;
      let max = 0;
      names.forEach((n, i) => {
        if (n.includes('natural_movie')) max = Math.max(max, Math.abs(durations[i]! - medians.get(n)!));
      });
      return max;
    };
    const bo = maxDeviation(715093703);
    const fc = maxDeviation(766640955);
    const [changed, unchanged] = bo > fc ? [715093703, 766640955] : [766640955, 715093703];
    expect(Math.max(bo, fc)).toBeGreaterThan(Math.min(bo, fc));
    const tolerance = (bo + fc) / 2;
    const r = await ws.repro(['-S', `params.filter.movie_tolerance=${tolerance}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.ran).toContain('filter_presentations');
    expect(r.ran).toContain(`bin_spikes@${changed}`);
    for (const stage of ['bin_spikes', 'binarize', 'interpolate_behavior', 'extract', 'download']) {
      expect(r.fresh).toContain(`${stage}@${unchanged}`);
    }
    expect(r.fresh).toContain(`extract@${changed}`);
    // Back to the default: the earlier results come back from the run-cache.
    const back = await ws.repro();
    expect(back.code).toBe(0);
    expect(back.ran).toEqual([]);
    expect(ws.read('data.lock')).toBe(readFileSync(join(ROOT, 'data.lock'), 'utf8'));
  });

  it('bin_width 0.01 reruns from bin_spikes down, and the files have twice the bins', async () => {
    const r = await ws.repro(['-S', 'params.bin_width=0.01']);
    expect(r.code, r.stderr).toBe(0);
    const groups = (names: string[]) => [...new Set(names.map((n) => n.split('@')[0]))].sort();
    expect(groups(r.ran)).toEqual(['bin_spikes', 'binarize', 'interpolate_behavior', 'statistics', 'subset_natural_visual', 'write_h5']);
    expect(groups(r.fresh)).toEqual(['download', 'extract', 'filter_presentations']);
    if (!havePython) return;
    // §6 from the file's own durations, with NumPy's arange: 13 + 1 bins at 20 ms (the quirk)
    // become 26 at 10 ms, twice the bins of the stimulus itself.
    const out = python(
      `import h5py, numpy as np, math, json
res = []
with h5py.File('data/02_stimulus_types/gabors.h5') as h:
    for s in h:
        st = list(h[s])[0]
        D = float(np.max(h[s][st]['presentations']['duration'][()]))
        n = math.ceil(D / 0.01)
        res.append([int(h[s][st]['spike_data']['time'].shape[0]), len(np.arange(0, (n + 1) * 0.01, 0.01)) - 1])
print(json.dumps(res))`,
      ws.dir,
    );
    for (const [got, expected] of JSON.parse(out) as [number, number][]) {
      expect(got).toBe(expected);
      expect(got).toBe(26);
    }
  });
});
