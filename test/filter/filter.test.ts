// The `filter_presentations` built-in run in-process over hand-built raw tables of two sessions
// (raw-tables.ts): §2.5 exclusions, §3 whole movies, the §4 pooled median and its strict
// tolerance, the per-session files and the exact report CSVs.

import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import type { FilterArgs } from '../../stages/binned/filter/args.js';
import { filterPresentationsDescriptor } from '../../stages/binned/filter/descriptor.js';
import implementation from '../../stages/binned/filter/run.js';
import { readTableFile, type TableFile } from '../../stages/tables/read.js';
import { makeTempDir, type TempDir } from '../nwb/helpers.js';
import { expectArrowFile } from '../extract/arrow-file.js';
import { withNulls } from '../tables.js';
import { stageContext } from '../stage-context.js';
import { SESSION_10, SESSION_20, writeRawTable, type RawRow } from './raw-tables.js';

const RAW_DIR = 'data/presentations_raw';
const OUT_DIR = 'data/presentations';
const filtered = (id: number) => `${OUT_DIR}/filtered/session_${id}.arrow`;

/** Binary-fraction tolerances: the boundary cases of raw-tables.ts are then exact. */
const ARGS: FilterArgs = { sessions: [20, 10], raw_dir: RAW_DIR, out_dir: OUT_DIR, tolerance: 0.25, movie_tolerance: 0.5 };

let ws: TempDir;
beforeEach(() => {
  ws = makeTempDir('pipe-filter-');
});
afterEach(() => ws.remove());

async function writeSessions(sessions: Readonly<Record<number, readonly RawRow[]>>): Promise<void> {
  for (const [id, rows] of Object.entries(sessions)) await writeRawTable(ws.file(`${RAW_DIR}/session_${id}.arrow`), rows);
}

async function runFilter(args: FilterArgs = ARGS) {
  const ctx = stageContext({ workspace: ws.dir, args, deps: [RAW_DIR], outs: [OUT_DIR] });
  await implementation.run(ctx);
  return ctx;
}


function rows(t: TableFile) {
  const start = t.numbers('start_time');
  const stop = t.numbers('stop_time');
  const duration = withNulls(t, 'duration');
  const block = withNulls(t, 'stimulus_block');
  const frame = withNulls(t, 'frame');
  const names = t.strings('stimulus_name');
  return Array.from(t.numbers('presentation_id'), (id, i) => ({
    id,
    name: names[i],
    start: start[i],
    stop: stop[i],
    duration: duration[i],
    block: block[i],
    frame: frame[i],
  }));
}

describe('filter_presentations over two sessions', () => {
  beforeEach(async () => {
    await writeSessions({ 10: SESSION_10, 20: SESSION_20 });
  });

  it('keeps, per session, exactly the rows within tolerance of the pooled median (even count: mean of the middle two)', async () => {
    await runFilter();
    // flashes pooled: 1, 1.125, 1.25, 1.5, 1.625, 2 → median 1.375; kept iff |d - 1.375| < 0.25.
    // natural_movie_one pooled repeats: 1.5, 2, 1.5, 1.5 → 1.5; the 2.0 repeat is exactly 0.5 off.
    expect(rows(await readTableFile(ws.file(filtered(10))))).toEqual([
      { id: 2, name: 'flashes', start: 6, stop: 7.5, duration: 1.5, block: 1, frame: null },
      // A repeat: its first frame's id and block, min start, max stop, summed duration, null frame.
      { id: 3, name: 'natural_movie_one', start: 10, stop: 11.5, duration: 1.5, block: 2, frame: null },
    ]);
    expect(rows(await readTableFile(ws.file(filtered(20))))).toEqual([
      // Filtered on its own median (1.0), not natural_movie_one's (§4).
      { id: 1, name: 'natural_movie_one_more_repeats', start: 3, stop: 4, duration: 1, block: 2, frame: null },
      { id: 3, name: 'flashes', start: 5, stop: 6.25, duration: 1.25, block: 1, frame: null },
      { id: 5, name: 'natural_movie_one', start: 9, stop: 10.5, duration: 1.5, block: 3, frame: null },
      { id: 8, name: 'natural_movie_one', start: 10.5, stop: 12, duration: 1.5, block: 3, frame: null },
    ]);
  });

  it('keeps the raw columns, text companions included, as IPC files', async () => {
    await runFilter();
    const t10 = expectArrowFile(ws.file(filtered(10)));
    expect(t10.schema.fields.map((f) => f.name)).toEqual([
      'presentation_id',
      'stimulus_name',
      'start_time',
      'stop_time',
      'duration',
      'stimulus_block',
      'frame',
      'size',
      'size__text',
    ]);
    expect(String(t10.schema.fields[0]!.type)).toBe('Int64');
    expect([...t10.getChild('size__text')!]).toEqual(['[20.0, 20.0]', null]);
    // Session 20 never had text cells: no companion.
    expect(expectArrowFile(ws.file(filtered(20))).schema.fields.map((f) => f.name)).not.toContain('size__text');
  });

  it('writes the two report CSVs exactly, names in first appearance over sessions in ascending id', async () => {
    await runFilter();
    expect(readFileSync(ws.file(`${OUT_DIR}/presentations_median_durations.csv`), 'utf8')).toBe(
      'stimulus_name,median_duration\n' + 'flashes,1.375\n' + 'natural_movie_one,1.5\n' + 'natural_movie_one_more_repeats,1.0\n',
    );
    expect(readFileSync(ws.file(`${OUT_DIR}/presentations_filtered_summary.csv`), 'utf8')).toBe(
      'stimulus_name,num_presentations_before,num_presentations_after,num_presentations_removed,percent_presentations_removed\n' +
        'flashes,6,2,4,66.67\n' +
        'natural_movie_one,4,3,1,25.0\n' +
        'natural_movie_one_more_repeats,1,1,0,0.0\n',
    );
  });

  it('leaves an unchanged session’s file byte-identical when only another session changes', async () => {
    await runFilter();
    const before10 = readFileSync(ws.file(filtered(10)));
    const before20 = readFileSync(ws.file(filtered(20)));
    // A stimulus that session 10 does not have: no median of session 10 moves.
    await writeSessions({ 20: [...SESSION_20, { name: 'gabors', start: 20, stop: 20.25, block: 5 }] });
    await runFilter();
    expect(readFileSync(ws.file(filtered(10))).equals(before10)).toBe(true);
    expect(readFileSync(ws.file(filtered(20))).equals(before20)).toBe(false);
    expect(readFileSync(ws.file(`${OUT_DIR}/presentations_median_durations.csv`), 'utf8')).toContain('gabors,0.25\n');
  });

  it('changes the other session’s rows when a change moves the pooled median', async () => {
    // Session 20's 2.0 flash becomes 1.0: pooled 1, 1, 1.125, 1.25, 1.5, 1.625 → median 1.1875.
    await writeSessions({ 20: SESSION_20.map((r) => (r.start === 0 ? { ...r, stop: 1 } : r)) });
    await runFilter();
    const t10 = rows(await readTableFile(ws.file(filtered(10))));
    expect(t10.filter((r) => r.name === 'flashes').map((r) => r.duration)).toEqual([1]);
  });

  it('reports its progress over both passes', async () => {
    const ctx = await runFilter();
    expect(ctx.progressEvents.at(-1)).toMatchObject({ done: 4, total: 4 });
  });

  it('names the missing raw table of a listed session', async () => {
    const err = await runFilter({ ...ARGS, sessions: [10, 30] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as StageError).message).toContain(ws.file(`${RAW_DIR}/session_30.arrow`));
  });

  it('refuses a session listed twice (it would count twice in the medians)', async () => {
    await expect(runFilter({ ...ARGS, sessions: [10, 20, 10] })).rejects.toThrow(StageError);
  });
});

describe('filter_presentations with the default tolerances (0.001 s, 0.01 s for movies)', () => {
  it('removes a 5 ms deviation from a non-movie but keeps it in a movie repeat', async () => {
    const movieRepeat = (start: number, last: number): RawRow[] => [
      { name: 'natural_movie_three', start, stop: start + 15, frame: 0, block: 2 },
      { name: 'natural_movie_three', start: start + 15, stop: start + 15 + last, frame: 1, block: 2 },
    ];
    await writeSessions({
      1: [
        { name: 'gabors', start: 0, stop: 0.25, block: 1 },
        { name: 'gabors', start: 1, stop: 1.25, block: 1 },
        { name: 'gabors', start: 2, stop: 2.25, block: 1 },
        { name: 'gabors', start: 3, stop: 3.255, block: 1 },
        ...movieRepeat(10, 15),
        ...movieRepeat(40, 15),
        ...movieRepeat(70, 15.005),
      ],
    });
    await runFilter({ sessions: [1], raw_dir: RAW_DIR, out_dir: OUT_DIR });
    const t = rows(await readTableFile(ws.file(filtered(1))));
    expect(t.map((r) => r.id)).toEqual([0, 1, 2, 4, 6, 8]);
    expect(readFileSync(ws.file(`${OUT_DIR}/presentations_filtered_summary.csv`), 'utf8')).toContain('gabors,4,3,1,25.0\n');
  });
});

describe('the filter_presentations descriptor', () => {
  it('is named and versioned, with a closed argument schema', async () => {
    expect(filterPresentationsDescriptor).toMatchObject({ name: 'filter_presentations', version: '1' });
    expect(filterPresentationsDescriptor.schema).toMatchObject({
      additionalProperties: false,
      required: ['sessions', 'raw_dir', 'out_dir'],
      properties: { tolerance: { default: 0.001 }, movie_tolerance: { default: 0.01 } },
    });
    expect((await filterPresentationsDescriptor.load()).run).toBe(implementation.run);
  });
});
