// stages/tables: Arrow IPC files written from typed columns and read back, deterministic bytes,
// null handling, the Arrow JS quirks (int64 as BigInt, chunked columns), and the errors a stale
// or foreign file produces.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Float64, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import type { PresentationTable } from '../../stages/binned/core/presentation-table.js';
import { encodeTable, notNaN, outputPath, presentationColumns, readPresentationsFile, readTableFile, writeTableFile, type Column } from '../../stages/tables/index.js';
import { makeTempDir, type TempDir } from '../nwb/helpers.js';
import { stageContext } from '../stage-context.js';
import { expectArrowFile } from './arrow-file.js';

const BIG = 2n ** 62n + 1n; // beyond float64's exact integers

const COLUMNS: Column[] = [
  { name: 'id', type: 'int64', values: BigInt64Array.of(1n, -2n, BIG, 4n) },
  { name: 'small_id', type: 'int64', values: [7, 8, 9, 10], valid: [1, 1, 0, 1] },
  { name: 'row', type: 'int32', values: Int32Array.of(0, 1, 2, 3), valid: [true, false, true, true] },
  { name: 'x', type: 'float64', values: Float64Array.of(0.5, NaN, -Infinity, -0), valid: [1, 0, 1, 1] },
  { name: 'nan_kept', type: 'float64', values: Float64Array.of(NaN, 1, 2, 3) },
  { name: 'name', type: 'utf8', values: ['VISp', null, 'é ü ∆', undefined] },
  { name: 'ok', type: 'bool', values: [true, false, true, true] },
];

describe('Arrow IPC table files', () => {
  let tmp: TempDir;
  beforeAll(() => {
    tmp = makeTempDir('pipe-tables-');
  });
  afterAll(() => tmp?.remove());

  it('writes an IPC file (ARROW1 at both ends) that apache-arrow reads with the same types and values', async () => {
    const file = tmp.file('t/all.arrow');
    await writeTableFile({ file, columns: COLUMNS });
    const t = expectArrowFile(file);
    expect(t.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'id:Int64',
      'small_id:Int64',
      'row:Int32',
      'x:Float64',
      'nan_kept:Float64',
      'name:Utf8',
      'ok:Bool',
    ]);
    expect(t.getChild('id')?.toArray()).toEqual(BigInt64Array.of(1n, -2n, BIG, 4n));
    expect([...t.getChild('small_id')!]).toEqual([7n, 8n, null, 10n]);
    expect([...t.getChild('row')!]).toEqual([0, null, 2, 3]);
    expect([...t.getChild('x')!]).toEqual([0.5, null, -Infinity, -0]);
    expect([...t.getChild('name')!]).toEqual(['VISp', null, 'é ü ∆', null]);
    expect([...t.getChild('ok')!]).toEqual([true, false, true, true]);
  });

  it('reads columns back as typed arrays: NaN for nulls, validity masks, BigInt for int64', async () => {
    const file = tmp.file('read.arrow');
    await writeTableFile({ file, columns: COLUMNS });
    const t = await readTableFile(file);
    expect(t.rows).toBe(4);
    expect(t.names).toEqual(COLUMNS.map((c) => c.name));
    expect(t.bigints('id')).toEqual(BigInt64Array.of(1n, -2n, BIG, 4n));
    expect(t.numbers('small_id')).toEqual(Float64Array.of(7, 8, NaN, 10));
    expect(t.validity('small_id')).toEqual(Uint8Array.of(1, 1, 0, 1));
    expect(t.int32s('row')).toEqual(Int32Array.of(0, 0, 2, 3));
    expect(t.validity('row')).toEqual(Uint8Array.of(1, 0, 1, 1));
    expect(t.numbers('x')).toEqual(Float64Array.of(0.5, NaN, -Infinity, -0));
    expect(Object.is(t.numbers('x')[3], -0)).toBe(true);
    // A NaN that is not declared null is a value (a measured NaN sample), not a null.
    expect(t.numbers('nan_kept')).toEqual(Float64Array.of(NaN, 1, 2, 3));
    expect(t.validity('nan_kept')).toBeUndefined();
    expect(t.strings('name')).toEqual(['VISp', null, 'é ü ∆', null]);
    expect(t.bools('ok')).toEqual(Uint8Array.of(1, 0, 1, 1));
  });

  it('gives the same bytes for the same table, whatever sits under a null or inside a NaN', () => {
    const a = encodeTable(COLUMNS);
    expect(Buffer.from(encodeTable(COLUMNS)).equals(Buffer.from(a))).toBe(true);
    // A NaN with another payload, and garbage under the null slots: the same table.
    const odd = new Float64Array(4);
    new DataView(odd.buffer).setBigUint64(0, 0x7ff8_0000_dead_beefn, true);
    odd[1] = 1;
    odd[2] = 2;
    odd[3] = 3;
    const variant = COLUMNS.map((c): Column => {
      if (c.name === 'nan_kept') return { ...c, values: odd } as Column;
      if (c.name === 'x') return { ...c, values: Float64Array.of(0.5, 12345, -Infinity, -0) } as Column;
      if (c.name === 'small_id') return { ...c, values: [7, 8, 999, 10] } as Column;
      return c;
    });
    expect(Buffer.from(encodeTable(variant)).equals(Buffer.from(a))).toBe(true);
    // And a real change is a different file.
    const changed = COLUMNS.map((c) => (c.name === 'ok' ? { ...c, values: [true, true, true, true] } : c)) as Column[];
    expect(Buffer.from(encodeTable(changed)).equals(Buffer.from(a))).toBe(false);
  });

  it('keeps column types in a table without rows', async () => {
    const file = tmp.file('empty.arrow');
    await writeTableFile({ file, columns: COLUMNS.map((c) => ({ ...c, values: c.type === 'int64' ? new BigInt64Array(0) : [], valid: undefined }) as Column) });
    const t = await readTableFile(file);
    expect(t.rows).toBe(0);
    expect(t.type('id')).toBe('int64');
    expect(t.numbers('x')).toEqual(new Float64Array(0));
    expect(t.strings('name')).toEqual([]);
  });

  it('reads a column spread over several record batches, nulls included', async () => {
    const part = (values: (number | null)[], text: (string | null)[]) =>
      new Table({ v: vectorFromArray(values, new Float64()), s: vectorFromArray(text, new Utf8()) });
    // The second chunk's text is not ASCII, so both ways of decoding text are taken.
    const two = part([1, null, 3], ['gabors', null, '[20.0, 20.0]']).concat(part([null, 5], ['é', 'x']));
    expect(two.batches).toHaveLength(2);
    const file = tmp.file('chunks.arrow');
    writeFileSync(file, tableToIPC(two, 'file'));
    const t = await readTableFile(file);
    expect(t.numbers('v')).toEqual(Float64Array.of(1, NaN, 3, NaN, 5));
    expect(t.validity('v')).toEqual(Uint8Array.of(1, 0, 1, 0, 1));
    expect(t.strings('s')).toEqual(['gabors', null, '[20.0, 20.0]', 'é', 'x']);
  });

  it('refuses columns of different lengths, duplicate names and ids that float64 cannot hold', () => {
    expect(() => encodeTable([COLUMNS[0]!, { name: 'short', type: 'int32', values: [1] }])).toThrow(/short/);
    expect(() => encodeTable([COLUMNS[3]!, COLUMNS[3]!])).toThrow(/duplicate/);
    expect(() => encodeTable([{ name: 'id', type: 'int64', values: [2 ** 53 + 2] }])).toThrow(RangeError);
    expect(() => encodeTable([{ name: 'r', type: 'int32', values: [0.5] }])).toThrow(RangeError);
  });

  it('reports a missing column, a wrong type, an int64 beyond 2^53 and a non-Arrow file, naming the file', async () => {
    const file = tmp.file('errors.arrow');
    await writeTableFile({ file, columns: COLUMNS });
    const t = await readTableFile(file);
    for (const read of [() => t.numbers('nope'), () => t.strings('x'), () => t.bools('name'), () => t.numbers('name'), () => t.numbers('id')]) {
      let caught: unknown;
      try {
        read();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(StageError);
      expect((caught as StageError).message).toContain(file);
      expect((caught as StageError).hint).toBeTruthy();
    }
    const notArrow = tmp.file('not.arrow');
    writeFileSync(notArrow, 'stimulus_name,duration\n');
    await expect(readTableFile(notArrow)).rejects.toThrow(StageError);
    await expect(readTableFile(tmp.file('missing.arrow'))).rejects.toThrow(/missing\.arrow/);
  });

  it('marks NaN as null with notNaN', () => {
    expect(notNaN([1, NaN, Infinity])).toEqual(Uint8Array.of(1, 0, 1));
  });
});

describe('output locations', () => {
  const ws = '/ws';
  const ctx = stageContext({ workspace: ws, args: {}, outs: ['data/extract/session_1', 'data/extract', 'data/p/raw.arrow'] });

  it('uses a declared file, or the closest declared directory holding it', () => {
    expect(outputPath(ctx, 'data/p/raw.arrow')).toBe(join(ws, 'data/p/raw.arrow'));
    expect(outputPath(ctx, 'data/extract/session_1/units.arrow')).toBe(join(ws, 'data/extract/session_1/units.arrow'));
    expect(outputPath(ctx, './data/extract/session_1/')).toBe(join(ws, 'data/extract/session_1'));
  });

  it('follows the engine’s map, which may point a directory at a staging area', () => {
    const staged = { ...ctx, outs: { 'data/extract/session_1': '/staging/x' } };
    expect(outputPath(staged, 'data/extract/session_1/sub/units.arrow')).toBe('/staging/x/sub/units.arrow');
  });

  it('refuses an undeclared path (a prefix of a name is not a directory)', () => {
    expect(() => outputPath(ctx, 'data/extract_other/a.arrow')).toThrow(StageError);
    expect(() => outputPath(ctx, 'data/p/raw.arrow2')).toThrow(StageError);
  });
});

describe('presentations table files', () => {
  let tmp: TempDir;
  beforeAll(() => {
    tmp = makeTempDir('pipe-presentations-');
  });
  afterAll(() => tmp?.remove());

  const table: PresentationTable = {
    length: 3,
    id: Int32Array.of(0, 1, 2),
    stimulusName: ['spontaneous', 'dot_motion', 'gabors'],
    startTime: Float64Array.of(0, 1, 2),
    stopTime: Float64Array.of(1, 2, 2.25),
    duration: Float64Array.of(1, 1, NaN),
    params: new Map([
      ['size', { values: Float64Array.of(NaN, NaN, 5), text: [undefined, '[20.0, 20.0]', undefined] }],
      ['Speed', { values: Float64Array.of(NaN, 0.5, NaN) }],
      ['stimulus_block', { values: Float64Array.of(NaN, 1, 2) }],
      ['Dir', { values: Float64Array.of(NaN, 90, NaN) }],
      ['color', { values: Float64Array.of(NaN, NaN, NaN), text: [undefined, undefined, undefined] }],
    ]),
  };

  it('puts stimulus_block first and the other parameters in code-unit order, text companions after their column', () => {
    const columns = presentationColumns(table);
    if (!columns.ok) throw new Error(columns.error);
    expect(columns.value.map((c) => `${c.name}:${c.type}`)).toEqual([
      'presentation_id:int64',
      'stimulus_name:utf8',
      'start_time:float64',
      'stop_time:float64',
      'duration:float64',
      'stimulus_block:float64',
      'Dir:float64',
      'Speed:float64',
      'color:float64',
      'size:float64',
      'size__text:utf8',
    ]);
  });

  it('writes stimulus_block even when no table has it, all null', () => {
    const columns = presentationColumns({ ...table, params: new Map() });
    expect(columns.ok && columns.value.map((c) => c.name)).toEqual(['presentation_id', 'stimulus_name', 'start_time', 'stop_time', 'duration', 'stimulus_block']);
  });

  it('reads back into the same PresentationTable', async () => {
    const columns = presentationColumns(table);
    if (!columns.ok) throw new Error(columns.error);
    const file = tmp.file('p.arrow');
    await writeTableFile({ file, columns: columns.value });
    const back = await readPresentationsFile(file);
    expect(back.id).toEqual(table.id);
    expect(back.stimulusName).toEqual(table.stimulusName);
    expect(back.duration).toEqual(table.duration);
    expect(back.params.get('size')).toEqual(table.params.get('size'));
    expect(back.params.get('Dir')).toEqual(table.params.get('Dir'));
    // A column without any text cell has no companion, so it reads back without text.
    expect(back.params.get('color')).toEqual({ values: Float64Array.of(NaN, NaN, NaN) });
    expect([...back.params.keys()]).toEqual(['stimulus_block', 'Dir', 'Speed', 'color', 'size']);
    // Writing what was read gives the same file.
    const again = presentationColumns(back);
    if (!again.ok) throw new Error(again.error);
    expect(Buffer.from(encodeTable(again.value)).equals(readFileSync(file))).toBe(true);
  });

  it('reads only the parameters asked for, with their text', async () => {
    const columns = presentationColumns(table);
    if (!columns.ok) throw new Error(columns.error);
    const file = tmp.file('some.arrow');
    await writeTableFile({ file, columns: columns.value });
    const some = await readPresentationsFile(file, { parameters: ['size', 'frame'] });
    expect([...some.params.keys()]).toEqual(['size']);
    expect(some.params.get('size')).toEqual(table.params.get('size'));
    expect(some.startTime).toEqual(table.startTime);
  });

  it('reports a parameter whose name is taken by a fixed column or a text companion', () => {
    const clash = presentationColumns({ ...table, params: new Map([['duration', { values: Float64Array.of(1, 2, 3) }]]) });
    expect(clash).toEqual({ ok: false, error: expect.stringContaining("'duration'") });
    const companion = presentationColumns({
      ...table,
      params: new Map([
        ['size', table.params.get('size')!],
        ['size__text', { values: Float64Array.of(1, 2, 3) }],
      ]),
    });
    expect(companion.ok).toBe(false);
  });

  it('refuses a file that is not a presentations table', async () => {
    const file = tmp.file('units.arrow');
    await writeTableFile({ file, columns: [{ name: 'unit_id', type: 'int64', values: [1] }] });
    await expect(readPresentationsFile(file)).rejects.toThrow(/presentation_id/);
  });
});
