// `/intervals/invalid_times` rows (allen-nwb-layout.md §5.3): each row has three tags
// [type, id, label]. Session-level rows labelled "stimulus" make AllenSDK (and binned-dataset.md
// §2.4) mask every overlapping presentation as "invalid_presentation"; probe-level rows only
// warn. The real BO example has 8 rows; here 2 stimulus + 4 probe rows at full scale, 1 + 2 in
// small sessions. Stimulus rows overlap a few presentations of a non-movie block.

import type { Rng } from '../random.js';
import type { Probe } from '../ephys/probes.js';
import { SPONTANEOUS, stimulusSpec } from './catalog.js';
import type { PresentationTable, Timeline } from './schedule.js';

export interface InvalidInterval {
  readonly start: number;
  readonly stop: number;
  readonly tags: readonly [string, string, string];
}

export function drawInvalidTimes(opts: {
  readonly timeline: Timeline;
  readonly sessionId: number;
  readonly probes: readonly Probe[];
  readonly full: boolean;
  readonly rng: Rng;
}): InvalidInterval[] {
  const { timeline, probes, rng } = opts;
  const rows: InvalidInterval[] = [];
  const candidates = timeline.tables.filter(
    (t: PresentationTable) => t.name !== SPONTANEOUS && stimulusSpec(t.name).movie === undefined && t.start.length >= 4,
  );
  const nStimulus = opts.full ? 2 : 1;
  for (let k = 0; k < nStimulus && candidates.length > 0; k++) {
    const table = rng.pick(candidates);
    let i = 1 + rng.int(table.start.length - 3);
    // Both presentations in the same block, so the interval does not span a block gap.
    for (let guard = 0; guard < 100 && table.block[i] !== table.block[i + 1]; guard++) i = 1 + rng.int(table.start.length - 3);
    // From inside presentation i to inside presentation i + 1: overlaps exactly those two.
    const start = (table.start[i] as number) + 0.01;
    const stop = (table.start[i + 1] as number) + 0.01;
    rows.push({ start, stop, tags: ['EcephysSession', String(opts.sessionId), 'stimulus'] });
  }
  const nProbe = opts.full ? 4 : 2;
  const span = timeline.end - timeline.start;
  for (let k = 0; k < nProbe; k++) {
    const probe = rng.pick(probes);
    const length = opts.full ? rng.range(5, 60) : rng.range(0.2, 1);
    const start = timeline.start + rng.uniform() * Math.max(0, span - length);
    rows.push({ start, stop: start + length, tags: ['EcephysProbe', String(probe.id), probe.name] });
  }
  return rows.sort((a, b) => a.start - b.start);
}
