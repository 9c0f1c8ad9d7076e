import { describe, expect, it } from 'vitest';
import { binEdges, binUnitSpikes, spikeDataLayout } from '../../stages/binned/core/index.js';

const f = (...v: number[]) => Float64Array.from(v);

/** Bins one unit over the presentations and returns counts as [presentation][bin]. */
function counts(options: {
  spikes: Float64Array;
  start: Float64Array;
  stop: Float64Array;
  edges: Float64Array;
  clip: boolean;
}): number[][] {
  const nP = options.start.length;
  const nB = options.edges.length - 1;
  const out = new Uint8Array(nP * nB);
  binUnitSpikes({
    spikes: options.spikes,
    startTime: options.start,
    stopTime: options.stop,
    edges: options.edges,
    clipToStop: options.clip,
    values: { kind: 'counts', out },
    layout: { offset: 0, presentationStride: nB, timeStride: 1 },
  });
  return Array.from({ length: nP }, (_, p) => Array.from(out.subarray(p * nB, (p + 1) * nB)));
}

// Edges at 0, 0.5, 1, 1.5, 2 and onset 10: every bound is exact in binary.
const EDGES = f(0, 0.5, 1, 1.5, 2);

describe('spike binning (§6)', () => {
  it('counts a spike on an inner edge in both neighbouring bins', () => {
    const c = counts({ spikes: f(9.99, 10, 10.5, 11.25, 12, 12.01), start: f(10), stop: f(11), edges: EDGES, clip: false });
    // 10 is the lower bound of bin 0; 10.5 is on the edge of bins 0 and 1; 12 closes bin 3.
    expect(c).toEqual([[2, 1, 1, 1]]);
  });

  it('lets the bins of other stimuli run past the stop time', () => {
    const c = counts({ spikes: f(10.8, 11.7), start: f(10), stop: f(10.75), edges: EDGES, clip: false });
    expect(c).toEqual([[0, 1, 0, 1]]);
  });

  it('clips movie bins at the stop time; a spike exactly at stop counts in every bin touching it', () => {
    // Clipped bounds: 10, 10.5, 10.75, 10.75, 10.75 → bins [10,10.5] [10.5,10.75] [10.75,10.75] [10.75,10.75].
    const c = counts({ spikes: f(10.6, 10.75, 10.8, 11.7), start: f(10), stop: f(10.75), edges: EDGES, clip: true });
    expect(c).toEqual([[0, 2, 1, 1]]);
  });

  it('clips at a stop that falls on an inner edge', () => {
    // Bounds 10, 10.5, 11, 11, 11: the spike at 11 is in bin 1 and in the empty bins after it.
    const c = counts({ spikes: f(10.5, 11, 11.2), start: f(10), stop: f(11), edges: EDGES, clip: true });
    expect(c).toEqual([[1, 2, 1, 1]]);
  });

  it('counts duplicate spike times once each', () => {
    const c = counts({ spikes: f(10.5, 10.5, 10.5), start: f(10), stop: f(12), edges: EDGES, clip: false });
    expect(c).toEqual([[3, 3, 0, 0]]);
  });

  it('counts spikes of overlapping presentations in both', () => {
    const c = counts({ spikes: f(10.6, 11.2), start: f(10, 10.25), stop: f(12, 12.25), edges: EDGES, clip: false });
    expect(c).toEqual([
      [0, 1, 1, 0],
      [1, 1, 0, 0],
    ]);
  });

  it('is correct when presentations are not sorted by start', () => {
    const c = counts({ spikes: f(1.2, 10.6, 20.1), start: f(20, 10, 1), stop: f(22, 12, 3), edges: EDGES, clip: false });
    expect(c).toEqual([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [1, 0, 0, 0],
    ]);
  });

  it('uses the extra 14th bin of a 0.25 s stimulus, which runs past the stop', () => {
    const edges = binEdges({ maxDuration: 0.2502, binWidth: 0.02 });
    const c = counts({ spikes: f(100.27), start: f(100), stop: f(100.2502), edges, clip: false });
    expect(c[0]).toHaveLength(14);
    expect(c[0]!.indexOf(1)).toBe(13);
  });

  it('binarizes by default and saturates counts at 255', () => {
    const spikes = Float64Array.from({ length: 300 }, (_, i) => 10 + i / 1000);
    const binary = new Int8Array(4);
    const layout = { offset: 0, presentationStride: 4, timeStride: 1 };
    const common = { spikes, startTime: f(10), stopTime: f(12), edges: EDGES, clipToStop: false, layout };
    binUnitSpikes({ ...common, values: { kind: 'binary', out: binary } });
    expect(Array.from(binary)).toEqual([1, 0, 0, 0]);
    const saturated = new Uint8Array(4);
    binUnitSpikes({ ...common, values: { kind: 'counts', out: saturated } });
    expect(Array.from(saturated)).toEqual([255, 0, 0, 0]);
  });

  it('writes one unit into a (presentation_id, time, unit_id) array and nothing else', () => {
    const nUnits = 3;
    const nBins = 4;
    const out = new Int8Array(2 * nBins * nUnits).fill(-1);
    binUnitSpikes({
      spikes: f(10.6, 20.1),
      startTime: f(10, 20),
      stopTime: f(12, 22),
      edges: EDGES,
      clipToStop: false,
      values: { kind: 'binary', out },
      layout: spikeDataLayout({ nBins, nUnits, unit: 1 }),
    });
    const cell = (p: number, j: number, u: number) => out[(p * nBins + j) * nUnits + u];
    expect([0, 1, 2, 3].map((j) => cell(0, j, 1))).toEqual([0, 1, 0, 0]);
    expect([0, 1, 2, 3].map((j) => cell(1, j, 1))).toEqual([1, 0, 0, 0]);
    // Units 0 and 2 are untouched.
    expect(Array.from(out).filter((v) => v === -1)).toHaveLength(2 * nBins * 2);
  });

  it('refuses a layout that does not fit the output array', () => {
    expect(() =>
      binUnitSpikes({
        spikes: f(),
        startTime: f(10, 20),
        stopTime: f(12, 22),
        edges: EDGES,
        clipToStop: false,
        values: { kind: 'binary', out: new Int8Array(7) },
        layout: { offset: 0, presentationStride: 4, timeStride: 1 },
      }),
    ).toThrow(RangeError);
  });
});
