// Issue flow: `pipe repro --stage extract` on a fresh workspace with the default pipeline
// generates the synthetic sessions and writes their Arrow tables; the tables are checked against
// the NWB contents as h5py (an independent reader) sees them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, Workspace } from '../rig.js';

const PY = '/usr/bin/python3';
const havePython = (() => {
  try {
    execFileSync(PY, ['-c', 'import numpy, h5py']);
    return true;
  } catch {
    return false;
  }
})();
if (!havePython) console.warn(`[test/dataset] extract-vs-NWB checks are SKIPPED: ${PY} lacks numpy or h5py (.ci/run installs them)`);

// h5py's view of one session: what §1–§2 say extract must produce, computed independently.
const EXPECTED = `
import h5py, numpy as np, json, sys, math
f = h5py.File(sys.argv[1])
u = f['units']
ids = u['id'][()].tolist()
idx = u['spike_times_index'][()]
counts = np.diff(np.concatenate([[0], idx])).tolist()
quality = [q.decode() if isinstance(q, bytes) else q for q in u['quality'][()]]
el = f['general/extracellular_ephys/electrodes']
loc = {int(i): (l.decode() if isinstance(l, bytes) else l) for i, l in zip(el['id'][()], el['location'][()])}
valid = {int(i): bool(v) for i, v in zip(el['id'][()], el['valid_data'][()])}
peak = u['peak_channel_id'][()].tolist()
amp, pres, isi = (u[c][()].tolist() for c in ['amplitude_cutoff', 'presence_ratio', 'isi_violations'])
def passes(k):
    ch = peak[k]
    if ch not in valid or not valid[ch]: return False
    if loc.get(ch, '') in ('', 'None'): return False
    if quality[k] != 'good': return False
    a, p, i = amp[k], pres[k], isi[k]
    if any(math.isnan(x) for x in (a, p, i)): return False
    return a <= 0.1 and p >= 0.95 and i <= 0.5
starts = []
for name in sorted(f['intervals']):
    if name.endswith('_presentations'):
        starts += f['intervals'][name]['start_time'][()].tolist()
print(json.dumps({'ids': ids, 'counts': counts, 'passes': [passes(k) for k in range(len(ids))],
  'structure': [loc.get(c) or None for c in peak], 'starts': sorted(starts),
  'speed_n': int(f['processing/running/running_speed/data'].shape[0])}))
`;

describe('pipe repro --stage extract on a fresh workspace', () => {
  const ws = new Workspace('pipe-extract-');
  let run: Awaited<ReturnType<Workspace['repro']>>;
  beforeAll(async () => {
    // The repository's pipeline, at a smaller scale to keep the test quick.
    ws.write('pipeline.yaml', readFileSync(join(ROOT, 'pipeline.yaml'), 'utf8').replace('scale: 0.05', 'scale: 0.02'));
    run = await ws.repro(['--stage', 'extract']);
  }, 300_000);
  afterAll(() => ws.cleanup());

  it('generates the sessions and extracts them, and nothing downstream', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.ran).toEqual(['download@715093703', 'download@766640955', 'extract@715093703', 'extract@766640955']);
  });

  it.skipIf(!havePython)('writes Arrow tables that agree with the NWB contents', () => {
    for (const id of [715093703, 766640955]) {
      const nwb = ws.path(`data/raw/session_${id}/session_${id}.nwb`);
      const want = JSON.parse(execFileSync(PY, ['-c', EXPECTED, nwb], { encoding: 'utf8' })) as {
        ids: number[];
        counts: number[];
        passes: boolean[];
        structure: (string | null)[];
        starts: number[];
        speed_n: number;
      };
      const units = tableFromIPC(readFileSync(ws.path(`data/extract/session_${id}/units.arrow`)));
      expect(units.getChild('unit_id')!.toArray().length).toBe(want.ids.length);
      expect([...units.getChild('unit_id')!.toArray()].map(Number)).toEqual(want.ids);
      expect([...units.getChild('spike_count')!.toArray()].map(Number)).toEqual(want.counts);
      expect([...units.getChild('passes_filter')!].map(Boolean)).toEqual(want.passes);
      expect([...units.getChild('structure')!]).toEqual(want.structure);
      expect(want.passes.some(Boolean) && want.passes.some((p) => !p)).toBe(true); // the filter matters
      const pres = tableFromIPC(readFileSync(ws.path(`data/presentations_raw/session_${id}.arrow`)));
      expect([...pres.getChild('presentation_id')!.toArray()].map(Number)).toEqual(want.starts.map((_, i) => i));
      expect([...pres.getChild('start_time')!.toArray()]).toEqual(want.starts);
      const speed = tableFromIPC(readFileSync(ws.path(`data/extract/session_${id}/running_speed.arrow`)));
      expect(speed.numRows).toBe(want.speed_n);
      const session = JSON.parse(ws.read(`data/extract/session_${id}/session.json`)) as { session_type: string; has_gaze: boolean };
      expect(session).toMatchObject(
        id === 715093703 ? { session_type: 'brain_observatory_1.1', has_gaze: false } : { session_type: 'functional_connectivity', has_gaze: true },
      );
    }
  });

  it('the arrow files are IPC files (ARROW1 magic at both ends)', () => {
    const bytes = readFileSync(ws.path('data/extract/session_715093703/units.arrow'));
    expect(bytes.subarray(0, 6).toString()).toBe('ARROW1');
    expect(bytes.subarray(bytes.length - 6).toString()).toBe('ARROW1');
  });
});
