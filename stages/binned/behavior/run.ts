// interpolate_behavior@<id>: running speed and gaze at every bin centre of every binned
// presentation (binned-dataset.md §7), one pair of files per stimulus type of the session.

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StageError, type BuiltinContext, type BuiltinImplementation } from '../../../engine/builtin/types.js';
import { NpyWriter } from '../../arrays/npy-writer.js';
import { alignGaze, alignRunningSpeed, describeInputError, type CoreInputError, type Result } from '../core/index.js';
import { readBinnedIndex, readTypeMetadata } from '../bin/binned-files.js';
import { outputDir } from '../bin/output-dir.js';
import { GAZE_VARIABLES, gazeFile, speedFile } from './behaviour-files.js';
import { hasGaze, readGaze, readRunningSpeed } from './behaviour-input.js';

export interface InterpolateBehaviorArgs {
  readonly session_dir: string;
  readonly binned_dir: string;
  readonly out_dir: string;
}

async function run(ctx: BuiltinContext<InterpolateBehaviorArgs>): Promise<void> {
  const sessionDir = resolve(ctx.workspace, ctx.args.session_dir);
  const binnedDir = resolve(ctx.workspace, ctx.args.binned_dir);
  const outDir = outputDir(ctx, ctx.args.out_dir);
  mkdirSync(outDir, { recursive: true });
  const types = readBinnedIndex(binnedDir).stimulus_types;
  const running = await readRunningSpeed(sessionDir);
  const gaze = hasGaze(sessionDir) ? await readGaze(sessionDir) : null;

  ctx.progress({ done: 0, total: types.length, unit: 'types' });
  types.forEach((type, i) => {
    ctx.signal.throwIfAborted();
    const meta = readTypeMetadata(binnedDir, type);
    const startTime = meta.columns.get('start_time');
    if (!startTime) throw new StageError(`${join(binnedDir, `${type}.json`)}: no start_time column`, 're-run bin_spikes for this session');
    const at = { startTime, centres: meta.time };
    const shape = [meta.time.length, startTime.length];

    const speed = orFail(alignRunningSpeed({ runningSpeed: running.series, at }), running.file);
    const speedWriter = NpyWriter.create({ path: join(outDir, speedFile(type)), dtype: '<f4', shape });
    try {
      speedWriter.write(speed, 0);
    } finally {
      speedWriter.close();
    }

    if (gaze) {
      const aligned = orFail(alignGaze({ rawGazeMapping: gaze.gaze, hasFilteredGazeMapping: true, at }), gaze.file);
      // Not null: hasFilteredGazeMapping is true and the raw mapping is given.
      const series = aligned!;
      const gazeWriter = NpyWriter.create({ path: join(outDir, gazeFile(type)), dtype: '<f4', shape: [GAZE_VARIABLES.length, ...shape] });
      try {
        GAZE_VARIABLES.forEach((name, k) => gazeWriter.write(series[name], k * speed.length));
      } finally {
        gazeWriter.close();
      }
    }
    ctx.progress({ done: i + 1, total: types.length, unit: 'types' });
  });
}

/** The core reports series by their NWB path; the message adds the file they were read from. */
function orFail<T>(result: Result<T, CoreInputError>, file: string): T {
  if (result.ok) return result.value;
  throw new StageError(`${file}: ${describeInputError(result.error)}`, 'the session has unusable behaviour data; re-run extract, or exclude the session');
}

const implementation: BuiltinImplementation<InterpolateBehaviorArgs> = { run };
export default implementation;
