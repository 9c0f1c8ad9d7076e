// binarize@<id>: data/binned/session_<id>/<type>.counts.npy → data/binarized/session_<id>/<type>.npy
// for every type in the session's index (stages/README.md).

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BuiltinContext, BuiltinImplementation } from '../../../engine/builtin/types.js';
import { NpyReader } from '../../arrays/npy-reader.js';
import { countsFile, readBinnedIndex } from '../bin/binned-files.js';
import { outputDir } from '../bin/output-dir.js';
import { convertCounts } from './convert.js';

export interface BinarizeArgs {
  readonly in_dir: string;
  readonly out_dir: string;
  /** Default true (§6); false keeps the counts (§10). */
  readonly binarize?: boolean;
}

/** `<type>.npy`: the spike_data values of one type. */
export function binarizedFile(stimulusType: string): string {
  return `${stimulusType}.npy`;
}

async function run(ctx: BuiltinContext<BinarizeArgs>): Promise<void> {
  const inDir = resolve(ctx.workspace, ctx.args.in_dir);
  const outDir = outputDir(ctx, ctx.args.out_dir);
  const binarize = ctx.args.binarize ?? true;
  const index = readBinnedIndex(inDir);
  mkdirSync(outDir, { recursive: true });
  const sources = index.stimulus_types.map((t) => join(inDir, countsFile(t)));
  const cells = sources.map(cellCount);
  const total = cells.reduce((a, b) => a + b, 0);
  let before = 0;
  ctx.progress({ done: 0, total, unit: 'cells' });
  index.stimulus_types.forEach((type, i) => {
    const source = sources[i]!;
    convertCounts({
      source,
      target: join(outDir, binarizedFile(type)),
      binarize,
      signal: ctx.signal,
      onProgress: (done) => ctx.progress({ done: before + done, total, unit: 'cells' }),
    });
    before += cells[i]!;
  });
}

function cellCount(file: string): number {
  const reader = NpyReader.open(file);
  reader.close();
  return reader.length;
}

const implementation: BuiltinImplementation<BinarizeArgs> = { run };
export default implementation;
