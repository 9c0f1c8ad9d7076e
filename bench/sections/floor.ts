// Runs floor-child.ts (the I/O floor) as its own measured process.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/pipe-cli.js';
import { runOk } from '../lib/proc.js';
import type { PageCache } from '../lib/page-cache.js';
import { costOf, type FloorResult } from '../report/results.js';
import type { FloorChildOutput } from '../floor-child.js';

export interface FloorOptions {
  readonly nwb: string;
  readonly finalBytes: number;
  readonly intermediateBytes: number;
  /** Unit ids that pass the §1 filter, for the kept-spike count. */
  readonly keptUnitIds: readonly number[];
  readonly scratchDir: string;
  readonly cache: PageCache;
}

export async function measureFloor(o: FloorOptions): Promise<FloorResult & { readonly spikesKept: number }> {
  const kept = join(o.scratchDir, 'kept-units.json');
  writeFileSync(kept, JSON.stringify(o.keptUnitIds));
  // Cold like the pipeline run it is compared with (when the page cache can be dropped).
  o.cache.drop();
  const r = await runOk({
    cmd: process.execPath,
    args: [
      join(ROOT, 'dist/bench/floor-child.js'),
      '--nwb', o.nwb,
      '--bytes', String(o.finalBytes),
      '--intermediate-bytes', String(o.intermediateBytes),
      '--out', join(o.scratchDir, 'floor-out'),
      '--kept', kept,
    ],
    cwd: o.scratchDir,
    rusage: true,
    what: 'I/O floor',
  });
  const c = JSON.parse(r.stdout.trim().split('\n').pop()!) as FloorChildOutput;
  return {
    readS: c.readS,
    spikesRead: c.spikesRead,
    bytesRead: c.bytesRead,
    writeS: c.writeS,
    bytesWritten: o.finalBytes,
    floorS: c.readS + c.writeS,
    writeIntermediateS: c.writeIntermediateS,
    intermediateBytes: o.intermediateBytes,
    process: costOf(r),
    spikesKept: c.spikesKept,
  };
}
