// Measures writing one synthetic session (default: real size) — wall time, peak RSS, file size —
// then deletes the file. Not a test: speed is measured here, never asserted in tests.
//
//   npm run build && node test/synthetic/measure-real-scale.mjs [scale=1] [sessionType] [--keep]
//
// SYNTHETIC_MODULE overrides where the compiled generator is imported from (default: dist/).

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const keep = process.argv.includes('--keep');
const scale = Number(args[0] ?? 1);
const sessionType = args[1] ?? 'brain_observatory_1.1';
const modulePath = process.env.SYNTHETIC_MODULE ?? new URL('../../dist/stages/allen/synthetic/index.js', import.meta.url).href;
const { writeSyntheticSession } = await import(modulePath.startsWith('file:') ? modulePath : pathToFileURL(path.resolve(modulePath)).href);

const dir = path.join(tmpdir(), `pipe-synthetic-measure-${process.pid}`);
const t0 = performance.now();
let lastReport = t0;
const summary = await writeSyntheticSession({
  dir,
  sessionId: 715093703,
  sessionType,
  seed: 1,
  scale,
  onProgress: (done, total) => {
    const now = performance.now();
    if (now - lastReport > 10_000 || done === total) {
      lastReport = now;
      process.stderr.write(`units ${done}/${total} after ${((now - t0) / 1000).toFixed(1)} s, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB\n`);
    }
  },
});
const seconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify(
    {
      scale,
      sessionType,
      seconds: Number(seconds.toFixed(1)),
      bytes: summary.bytes,
      gib: Number((summary.bytes / 2 ** 30).toFixed(2)),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      units: summary.units,
      unitsPassingFilter: summary.unitsPassingFilter,
      spikes: summary.spikes,
      presentations: summary.presentations,
      sessionHours: Number((summary.sessionSeconds / 3600).toFixed(2)),
    },
    null,
    2,
  ),
);
if (!keep) rmSync(dir, { recursive: true, force: true });
