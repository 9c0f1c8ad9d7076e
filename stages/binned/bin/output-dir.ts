// The write location of a stage's declared output directory. `ctx.output` knows the path exactly
// as declared in `outs:`; an argument may spell the same directory with a trailing slash.

import { StageError, type BuiltinContext } from '../../../engine/builtin/types.js';

export function outputDir(ctx: Pick<BuiltinContext, 'outs' | 'output' | 'stage'>, declared: string): string {
  const bare = declared.replace(/\/+$/, '');
  for (const candidate of [declared, bare, `${bare}/`]) {
    if (Object.hasOwn(ctx.outs, candidate)) return ctx.output(candidate);
  }
  throw new StageError(`${ctx.stage}: out_dir '${declared}' is not one of the stage's declared outputs`, `add '${bare}' to the stage's outs`);
}
