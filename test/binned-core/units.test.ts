import { describe, expect, it } from 'vitest';
import {
  groupByStructure,
  selectSessionUnits,
  type ElectrodesInput,
  type UnitsInput,
} from '../../stages/binned/core/index.js';

// Channels: 100 probeB; 101–105 probeA. 101 has no structure (""), 102 "None", 104 is invalid.
const electrodes: ElectrodesInput = {
  id: [100, 101, 102, 103, 104, 105],
  location: ['VISp', '', 'None', 'CA1', 'VISp', 'LGd'],
  valid_data: [1, 1, 1, 1, 0, 1],
  group_name: ['probeB', 'probeA', 'probeA', 'probeA', 'probeA', 'probeA'],
  probe_vertical_position: [20, 40, 60, 20, 80, 20],
  probe_horizontal_position: [11, 27, 43, 59, 11, 43],
};

interface Row {
  id: number;
  channel: number;
  quality?: string;
  amp?: number;
  presence?: number;
  isi?: number;
}

function units(rows: Row[]): UnitsInput {
  return {
    id: rows.map((r) => r.id),
    quality: rows.map((r) => r.quality ?? 'good'),
    amplitude_cutoff: Float64Array.from(rows, (r) => r.amp ?? 0.01),
    presence_ratio: Float64Array.from(rows, (r) => r.presence ?? 0.99),
    isi_violations: Float64Array.from(rows, (r) => r.isi ?? 0.1),
    peak_channel_id: rows.map((r) => r.channel),
  };
}

const ROWS: Row[] = [
  { id: 10, channel: 100 }, // kept: probeB
  { id: 11, channel: 101 }, // no structure
  { id: 12, channel: 102 }, // "None" structure
  { id: 13, channel: 103 }, // kept: probeA v20 h59
  { id: 14, channel: 104 }, // invalid channel
  { id: 15, channel: 999 }, // peak channel not in electrodes
  { id: 16, channel: 105, quality: 'noise' },
  { id: 17, channel: 105, amp: NaN },
  { id: 18, channel: 105, presence: NaN },
  { id: 19, channel: 105, isi: NaN },
  { id: 20, channel: 105, amp: 0.1, presence: 0.95, isi: 0.5 }, // exactly at every threshold: kept
  { id: 21, channel: 103 }, // kept: same channel as row 3, so a tie broken by row order
  { id: 22, channel: 105, amp: 0.10000000000000002 }, // just above the cutoff
  { id: 23, channel: 105, presence: 0.9499999999999998 },
  { id: 24, channel: 105, isi: 0.5000000000000001 },
];

describe('session units (§1)', () => {
  it('keeps units with a valid, located peak channel, good quality and passing metrics', () => {
    const result = selectSessionUnits({ units: units(ROWS), electrodes });
    if (!result.ok) throw new Error('unexpected error');
    // probeA before probeB; within probeA v20: h43 (unit 20) before h59 (units 13, 21 in row order).
    expect(Array.from(result.value.ids)).toEqual([20, 13, 21, 10]);
    expect(Array.from(result.value.rows)).toEqual([10, 3, 11, 0]);
    expect(result.value.structures).toEqual(['LGd', 'CA1', 'CA1', 'VISp']);
  });

  it('fails a unit with a NaN metric, unless that test is disabled with null', () => {
    const nanRows = ROWS.filter((r) => r.id >= 17 && r.id <= 19);
    const strict = selectSessionUnits({ units: units(nanRows), electrodes });
    expect(strict.ok && strict.value.ids.length).toBe(0);
    const relaxed = selectSessionUnits({
      units: units(nanRows),
      electrodes,
      thresholds: { maxAmplitudeCutoff: null, minPresenceRatio: 0.95, maxIsiViolations: 0.5 },
    });
    expect(relaxed.ok && Array.from(relaxed.value.ids)).toEqual([17]);
  });

  it('applies custom thresholds', () => {
    const result = selectSessionUnits({
      units: units(ROWS),
      electrodes,
      thresholds: { maxAmplitudeCutoff: 0.05, minPresenceRatio: 0.95, maxIsiViolations: 0.5 },
    });
    // Unit 20 (amplitude_cutoff 0.1) now fails; the others have 0.01.
    expect(result.ok && Array.from(result.value.ids)).toEqual([13, 21, 10]);
  });

  it('accepts valid_data as booleans', () => {
    const result = selectSessionUnits({
      units: units(ROWS),
      electrodes: { ...electrodes, valid_data: [true, true, true, true, false, true] },
    });
    expect(result.ok && Array.from(result.value.ids)).toEqual([20, 13, 21, 10]);
  });

  it('orders by probe name as strings, then vertical and horizontal position numerically', () => {
    const e: ElectrodesInput = {
      id: [1, 2, 3, 4],
      location: ['A', 'B', 'C', 'D'],
      valid_data: [1, 1, 1, 1],
      group_name: ['probeB', 'probeA', 'probeA', 'probeA'],
      probe_vertical_position: [20, 100, 20, 100],
      probe_horizontal_position: [11, 43, 59, 11],
    };
    const result = selectSessionUnits({
      units: units([1, 2, 3, 4].map((c) => ({ id: c * 10, channel: c }))),
      electrodes: e,
    });
    // 100 sorts after 20 numerically (a string sort would put "100" first).
    expect(result.ok && Array.from(result.value.ids)).toEqual([30, 40, 20, 10]);
  });

  it('reports a column of the wrong length', () => {
    const bad = { ...units(ROWS), quality: ['good'] };
    const result = selectSessionUnits({ units: bad, electrodes });
    expect(result).toEqual({
      ok: false,
      error: { kind: 'length-mismatch', table: 'units', column: 'quality', expected: ROWS.length, actual: 1 },
    });
  });

  it('groups units by structure in ascending acronym order, keeping session order inside', () => {
    const result = selectSessionUnits({ units: units(ROWS), electrodes });
    if (!result.ok) throw new Error('unexpected error');
    const groups = groupByStructure(result.value);
    expect(groups.map((g) => [g.structure, Array.from(g.positions)])).toEqual([
      ['CA1', [1, 2]],
      ['LGd', [0]],
      ['VISp', [3]],
    ]);
  });
});
