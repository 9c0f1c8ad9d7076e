// Where to write a file that a stage produces, given its workspace-relative path.
//
// A pipeline may declare each file as an output or only the directory that holds them (`outs:
// [data/extract/session_1]`); stages/README.md lists the files inside such directories. The
// engine maps declared outputs to write locations (BuiltinContext.outs, possibly a staging
// area), so a file inside a declared directory is written under that directory's location.
// Shared by the stages that write tables; it would sit equally well next to BuiltinContext.

import { join, posix } from 'node:path';
import type { BuiltinContext } from '../../engine/builtin/types.js';

function normalize(p: string): string {
  return posix.normalize(p.replace(/\\/g, '/')).replace(/\/+$/, '');
}

/**
 * The write location of `file` (workspace-relative): its own declared output, or its place
 * inside the closest declared ancestor directory. Undeclared → the engine's StageError.
 */
export function outputPath(ctx: Pick<BuiltinContext, 'outs' | 'output'>, file: string): string {
  const wanted = normalize(file);
  let best: { readonly declared: string; readonly location: string } | undefined;
  for (const [declared, location] of Object.entries(ctx.outs)) {
    const d = normalize(declared);
    if (d === wanted) return location;
    if (wanted.startsWith(`${d}/`) && (best === undefined || d.length > best.declared.length)) best = { declared: d, location };
  }
  if (best) return join(best.location, ...wanted.slice(best.declared.length + 1).split('/'));
  return ctx.output(wanted);
}
