// The thin Arrow reader (stages/arrays/arrow-table.ts): nulls become NaN, int64 stays exact or is
// refused, text may be dictionary-encoded, and a missing or mistyped column is a StageError
// naming the file and the column.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Float64, makeVector, Null, tableFromArrays, tableToIPC, vectorFromArray } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import { boolColumn, numberColumn, readArrowTable, requiredNumberColumn, stringColumn } from '../../stages/arrays/arrow-table.js';
import { makeWorkspace, writeArrowFile, type Workspace } from './fixtures.js';

describe('Arrow table reader', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = makeWorkspace('pipe-arrow-');
  });
  afterEach(() => ws.remove());

  it('reads numbers with null as NaN, exact int64, text (plain or dictionary) and booleans', () => {
    const file = join(ws.dir, 't.arrow');
    writeArrowFile(file, {
      x: vectorFromArray([1.5, null, -2], new Float64()),
      id: makeVector(BigInt64Array.of(715093703n, 9007199254740991n, -1n)),
      nothing: vectorFromArray([null, null, null], new Null()),
      // tableFromArrays dictionary-encodes text.
      name: tableFromArrays({ name: ['a', 'b', 'a'] }).getChild('name')!,
      flag: vectorFromArray([true, null, false]),
    });
    const t = readArrowTable(file);
    expect(t.rows).toBe(3);
    expect(Array.from(numberColumn(t, 'x'))).toEqual([1.5, NaN, -2]);
    expect(Array.from(numberColumn(t, 'id'))).toEqual([715093703, 9007199254740991, -1]);
    expect(Array.from(numberColumn(t, 'nothing'))).toEqual([NaN, NaN, NaN]);
    expect(String(t.table.getChild('name')!.type)).toMatch(/^Dictionary/);
    expect(stringColumn(t, 'name')).toEqual(['a', 'b', 'a']);
    expect(boolColumn(t, 'flag')).toEqual([true, null, false]);
    expect(() => requiredNumberColumn(t, 'x')).toThrow(/column 'x' is null in row 1/);
  });

  it('refuses what would be read wrongly, naming the file and column', () => {
    const file = join(ws.dir, 'bad.arrow');
    writeArrowFile(file, { id: makeVector(BigInt64Array.of(9007199254740993n)), name: vectorFromArray(['x']) });
    const t = readArrowTable(file);
    expect(() => numberColumn(t, 'id')).toThrow(/bad\.arrow: column 'id' row 0: 9007199254740993 is not exact as a float64/);
    expect(() => numberColumn(t, 'name')).toThrow(/column 'name' is .*expected a number/);
    expect(() => stringColumn(t, 'id')).toThrow(/expected text/);
    expect(() => numberColumn(t, 'missing')).toThrow(StageError);
    writeFileSync(join(ws.dir, 'junk.arrow'), 'no arrow here');
    expect(() => readArrowTable(join(ws.dir, 'junk.arrow'))).toThrow(/junk\.arrow: not an Arrow IPC table/);
    expect(() => readArrowTable(join(ws.dir, 'absent.arrow'))).toThrow(/absent\.arrow: cannot read the table/);
    // The stream format (no ARROW1 footer) is readable too, though the contract writes files.
    writeFileSync(join(ws.dir, 'stream.arrow'), tableToIPC(tableFromArrays({ x: Float64Array.of(1) }), 'stream'));
    expect(Array.from(numberColumn(readArrowTable(join(ws.dir, 'stream.arrow')), 'x'))).toEqual([1]);
  });
});
