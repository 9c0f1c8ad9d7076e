// The steps chained as a stage would chain them, for two small sessions: checks that the
// pieces fit (ids, grouping, per-session filtering with pooled medians, binning layout).

import { describe, expect, it } from 'vitest';
import {
  applyMedianFilter,
  binCentres,
  binEdges,
  binUnitSpikes,
  buildPresentations,
  collapseWholeMovies,
  filterSummary,
  maxDuration,
  pooledMedians,
  renderFilterSummaryCsv,
  selectPresentations,
  sessionDurations,
  spikeDataLayout,
  stimulusTypes,
  type IntervalsTable,
  type PresentationTable,
} from '../../stages/binned/core/index.js';

/** A movie of 3 frames of 1 s shown `repeats` times from t0; frames stored as strings. */
function movie(name: string, t0: number, repeats: number, lastRepeatFrames = 3): IntervalsTable {
  const start: number[] = [];
  const frames: string[] = [];
  for (let r = 0; r < repeats; r++) {
    const n = r === repeats - 1 ? lastRepeatFrames : 3;
    for (let k = 0; k < n; k++) {
      start.push(t0 + r * 3 + k);
      frames.push(`${k}.0`);
    }
  }
  return {
    name,
    startTime: Float64Array.from(start),
    stopTime: Float64Array.from(start, (s) => s + 1),
    columns: { stimulus_name: start.map(() => name), frame: frames, stimulus_block: new Float64Array(start.length).fill(2) },
  };
}

function session(tables: IntervalsTable[]): PresentationTable {
  const built = buildPresentations({ tables });
  if (!built.ok) throw new Error('unexpected error');
  return collapseWholeMovies(built.value);
}

describe('binned-dataset core, end to end', () => {
  // Session 2 (BO-like): 3 full repeats of natural_movie_one. Session 1 (FC-like): the longer
  // repeated movie, whose last repeat is truncated to one frame.
  const s2 = session([movie('natural_movie_one', 100, 3)]);
  const s1 = session([movie('natural_movie_one_more_repeats', 50, 2, 1), { name: 'spontaneous', startTime: Float64Array.of(0), stopTime: Float64Array.of(50), columns: {} }]);
  const durations = [sessionDurations(2, s2), sessionDurations(1, s1)];
  const medians = pooledMedians(durations);

  it('filters each movie name with its own pooled median', () => {
    expect(medians.median.get('natural_movie_one')).toBe(3);
    // natural_movie_one_more_repeats: durations 3 and 1 → median 2, and neither is within 0.01.
    expect(medians.median.get('natural_movie_one_more_repeats')).toBe(2);
    expect(renderFilterSummaryCsv(filterSummary({ sessions: durations, medians }))).toBe(
      'stimulus_name,num_presentations_before,num_presentations_after,num_presentations_removed,percent_presentations_removed\n' +
        'natural_movie_one_more_repeats,2,0,2,100.0\n' +
        'natural_movie_one,3,3,0,0.0\n',
    );
  });

  it('bins the kept repeats of one session into (presentation_id, time, unit_id)', () => {
    const types = stimulusTypes();
    if (!types.ok) throw new Error('unexpected error');
    const type = types.value.find((t) => t.name === 'natural_movie_one')!;
    const selected = selectPresentations({ table: applyMedianFilter({ table: s2, medians }), stimulusType: type })!;
    expect(Array.from(selected.id)).toEqual([0, 3, 6]);
    expect(selected.columns.find((c) => c.name === 'frame')!.values.every(Number.isNaN)).toBe(true);

    // D = 3, w = 0.4: 8 bins up to 3.2 s, so each repeat's last bin [2.8, 3.2] is clipped at 3.
    const edges = binEdges({ maxDuration: maxDuration(selected), binWidth: 0.4 });
    expect(Array.from(binCentres(edges))).toEqual([0.2, 0.6000000000000001, 1, 1.4000000000000001, 1.8, 2.2, 2.6000000000000005, 3]);
    const nBins = edges.length - 1;
    const nUnits = 2;
    const out = new Int8Array(selected.id.length * nBins * nUnits);
    const spikeTimes = [Float64Array.of(100.1, 106), Float64Array.of(103.4, 109, 109.1)];
    spikeTimes.forEach((spikes, unit) =>
      binUnitSpikes({
        spikes,
        startTime: selected.startTime,
        stopTime: selected.stopTime,
        edges,
        clipToStop: selected.clipToStop,
        values: { kind: 'binary', out },
        layout: spikeDataLayout({ nBins, nUnits, unit }),
      }),
    );
    const unit = (u: number) =>
      Array.from({ length: selected.id.length }, (_, p) =>
        Array.from({ length: nBins }, (_, j) => out[(p * nBins + j) * nUnits + u]),
      );
    // Unit 0: 100.1 is in bin 0 of repeat 0; 106 is both repeat 1's stop (last bin) and repeat
    // 2's onset (bin 0).
    expect(unit(0)).toEqual([
      [1, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 1],
      [1, 0, 0, 0, 0, 0, 0, 0],
    ]);
    // Unit 1: 103.4 is an inner edge of repeat 1 (bins 0 and 1); 109 is repeat 2's stop; 109.1
    // would be in the unclipped last bin [108.8, 109.2] but movies stop at 109.
    expect(unit(1)).toEqual([
      [0, 0, 0, 0, 0, 0, 0, 0],
      [1, 1, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 1],
    ]);
  });
});
