import { describe, expect, it } from 'vitest';
import { parseCell, parseStringCell } from '../../stages/binned/core/index.js';

describe('cell parsing (§2.2)', () => {
  it.each([
    ['0.04', 0.04],
    ['-1.0', -1],
    ['+3', 3],
    [' 1.5e-3 ', 0.0015],
    ['1E+2', 100],
    ['2e5', 200000],
    ['5.', 5],
    ['.5', 0.5],
    ['\t0.25\n', 0.25],
  ])('reads the decimal string %j as %d', (raw, expected) => {
    expect(parseStringCell(raw)).toBe(expected);
  });

  it('keeps the sign of zero', () => {
    expect(Object.is(parseStringCell('-0.0'), -0)).toBe(true);
  });

  it.each([
    ['inf', Infinity],
    ['-inf', -Infinity],
    [' inf ', Infinity],
    ['+inf', Infinity],
  ])('reads %j as an infinity', (raw, expected) => {
    expect(parseStringCell(raw)).toBe(expected);
  });

  it.each(['N/A', '', 'nan', 'NaN', ' nan ', '   '])('reads %j as null', (raw) => {
    expect(parseStringCell(raw)).toBeNull();
  });

  it.each(['[20.0, 20.0]', '[1.0, 1.0, 1.0]', 'circle', 'None', 'deg', '0x10', '1e', '1 2', '-', 'Infinity1'])(
    'keeps the text %j as text',
    (raw) => {
      expect(parseStringCell(raw)).toBe(raw);
    },
  );

  it('treats float64 cells: NaN is null, infinities and numbers stay', () => {
    expect(parseCell(NaN)).toBeNull();
    expect(parseCell(Infinity)).toBe(Infinity);
    expect(parseCell(0.08)).toBe(0.08);
    expect(parseCell('0.08')).toBe(0.08);
  });
});
