// `statistics`: data/combined_statistics.csv from the per-stimulus files' metadata (§8).
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import type { BuiltinContext } from '../../../engine/builtin/types.js';
import { combinedStatisticsCsv, summarizeStimulusFile } from '../output/index.js';

interface Args {
  in_dir: string;
  stimulus_types: string[];
  out: string;
}

export default {
  async run(ctx: BuiltinContext<Args>): Promise<void> {
    const files = [];
    for (const [i, type] of ctx.args.stimulus_types.entries()) {
      files.push(await summarizeStimulusFile(join(ctx.workspace, ctx.args.in_dir, `${type}.h5`)));
      ctx.progress({ done: i + 1, total: ctx.args.stimulus_types.length, unit: 'files' });
    }
    await writeFile(ctx.output(ctx.args.out), combinedStatisticsCsv(files));
  },
};
