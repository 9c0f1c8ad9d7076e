// The `filter_presentations` built-in: every session's raw presentations table (written by
// extract, §2 steps 1–4) → `data/presentations/filtered/session_<id>.arrow` per session and the
// two §4 report CSVs (stages/README.md).
//
// The §4 medians pool all sessions, so this is one stage over all of them; but its result is
// one file per session, so that a change which leaves a session's rows as they were leaves that
// session's file byte-identical and its downstream fresh. The raw tables are read twice (once
// for the durations, once to filter) rather than all held in memory: 58 sessions of ~70k rows
// each would be gigabytes, while one session at a time is a few megabytes.

import { access } from 'node:fs/promises';
import { posix, resolve } from 'node:path';
import { StageError, type BuiltinContext, type BuiltinImplementation } from '../../../engine/builtin/types.js';
import { renderFilterSummaryCsv, renderMedianDurationsCsv } from '../core/filter-report.js';
import { applyMedianFilter, filterSummary, pooledMedians, sessionDurations, type SessionDurations } from '../core/median-filter.js';
import { filterRows, type PresentationTable } from '../core/presentation-table.js';
import { isExcludedStimulus } from '../core/presentations.js';
import { collapseWholeMovies } from '../core/whole-movies.js';
import { outputPath } from '../../tables/outputs.js';
import { presentationColumns, readPresentationsFile } from '../../tables/presentations.js';
import { writeTableFile, writeTextFile } from '../../tables/write.js';
import { durationTolerances, sessionIds, type FilterArgs } from './args.js';

/** §2.5 (drop spontaneous, shuffled, invalid) then §3 (one row per movie repeat). */
function wholeMovieTable(raw: PresentationTable): PresentationTable {
  return collapseWholeMovies(filterRows(raw, (r) => !isExcludedStimulus(raw.stimulusName[r]!)));
}

async function checkPresent(files: readonly string[]): Promise<void> {
  for (const file of files) {
    try {
      await access(file);
    } catch {
      throw new StageError(
        `the raw presentations table ${file} is missing`,
        'run extract for that session first (and list the file under deps), or remove the session from sessions',
      );
    }
  }
}

async function run(ctx: BuiltinContext<FilterArgs>): Promise<void> {
  const { args } = ctx;
  const ids = sessionIds(args);
  const tolerances = durationTolerances(args);
  const rawFile = (id: number) => resolve(ctx.workspace, args.raw_dir, `session_${id}.arrow`);
  // Fail before minutes of reading, naming the first missing file.
  await checkPresent(ids.map(rawFile));

  const total = 2 * ids.length;
  let done = 0;
  const tick = (message: string) => {
    ctx.signal.throwIfAborted();
    ctx.progress({ done, total, unit: 'tables', message });
    done++;
  };

  const durations: SessionDurations[] = [];
  for (const id of ids) {
    tick(`durations of session ${id}`);
    // The durations depend on names, times and (through §3's repeats) frame only.
    const raw = await readPresentationsFile(rawFile(id), { parameters: ['frame'] });
    durations.push(sessionDurations(id, wholeMovieTable(raw)));
  }
  const medians = pooledMedians(durations);

  for (const id of ids) {
    tick(`filtering session ${id}`);
    const table = applyMedianFilter({ table: wholeMovieTable(await readPresentationsFile(rawFile(id))), medians, tolerances });
    const columns = presentationColumns(table);
    // The raw table was written from these same columns, so a clash here is a bug.
    if (!columns.ok) throw new Error(`${rawFile(id)}: ${columns.error}`);
    await writeTableFile({ file: outputPath(ctx, posix.join(args.out_dir, 'filtered', `session_${id}.arrow`)), columns: columns.value });
  }

  // Full-precision medians: the spec's default (§4, "shortest round-trip decimal").
  await writeTextFile({
    file: outputPath(ctx, posix.join(args.out_dir, 'presentations_median_durations.csv')),
    text: renderMedianDurationsCsv(medians),
  });
  await writeTextFile({
    file: outputPath(ctx, posix.join(args.out_dir, 'presentations_filtered_summary.csv')),
    text: renderFilterSummaryCsv(filterSummary({ sessions: durations, medians, tolerances })),
  });
  ctx.progress({ done: total, total, unit: 'tables' });
}

const implementation: BuiltinImplementation<FilterArgs> = { run };
export default implementation;
