// The `with:` schemas of the three stages, as the engine applies them (ajv, draft-07): the
// arguments of stages/README.md pass, typos and wrong types are caught before anything runs.

import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { binSpikes } from '../../stages/binned/bin/descriptor.js';
import { binarize } from '../../stages/binned/binarize/descriptor.js';
import { interpolateBehavior } from '../../stages/binned/behavior/descriptor.js';

const ajv = new Ajv({ allErrors: true, strict: false });

describe('stage argument schemas', () => {
  it('bin_spikes: ids as number or digits, optional parameters typed, nothing unknown', () => {
    const valid = ajv.compile(binSpikes.schema);
    const base = {
      session_id: 715093703,
      nwb: 'data/raw/session_715093703/session_715093703.nwb',
      units: 'data/extract/session_715093703/units.arrow',
      presentations: 'data/presentations/filtered/session_715093703.arrow',
      out_dir: 'data/binned/session_715093703',
    };
    expect(valid(base)).toBe(true);
    expect(valid({ ...base, session_id: '715093703', bin_width: 0.01, relevant_parameters: { flashes: ['color'] }, stimulus_types: ['flashes'] })).toBe(true);
    expect(valid({ ...base, session_id: 'abc' })).toBe(false);
    expect(valid({ ...base, bin_width: 0 })).toBe(false);
    expect(valid({ ...base, relevant_parameters: { flashes: 'color' } })).toBe(false);
    expect(valid({ ...base, bin_widht: 0.02 })).toBe(false);
    const { nwb: _, ...withoutNwb } = base;
    expect(valid(withoutNwb)).toBe(false);
  });

  it('binarize and interpolate_behavior', () => {
    const b = ajv.compile(binarize.schema);
    expect(b({ in_dir: 'data/binned/session_1', out_dir: 'data/binarized/session_1' })).toBe(true);
    expect(b({ in_dir: 'a', out_dir: 'b', binarize: false })).toBe(true);
    expect(b({ in_dir: 'a', out_dir: 'b', binarize: 'no' })).toBe(false);
    const i = ajv.compile(interpolateBehavior.schema);
    expect(i({ session_dir: 'data/extract/session_1', binned_dir: 'data/binned/session_1', out_dir: 'data/behavior/session_1' })).toBe(true);
    expect(i({ session_dir: 'a', binned_dir: 'b' })).toBe(false);
    expect(i({ session_dir: 'a', binned_dir: 'b', out_dir: 'c', gaze: true })).toBe(false);
  });
});
