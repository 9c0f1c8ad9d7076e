// Command-line options of `npm run bench` (node dist/bench/run.js [options]).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DagShape } from './lib/dag-pipeline.js';
import { ROOT } from './lib/pipe-cli.js';

export const USAGE = `Usage: node dist/bench/run.js [--quick] [--work DIR] [--out FILE] [--warm] [--runs N] [--keep]
       node dist/bench/run.js --readme [FILE]

  --quick      tiny inputs, few sessions, a small DAG: checks that the benchmark works (the test
               suite runs this); its figures say nothing about speed
  --work DIR   where generated data goes (default bench/work, or bench/work/quick with --quick)
  --out FILE   results JSON (default bench/results.json; with --quick, DIR/results.json)
  --warm       never drop the page cache (default: drop it before cold measurements when
               running as root; --quick never drops it)
  --runs N     repetitions of each short timing (default 7; 3 with --quick)
  --keep       keep the dataset and scaling workspaces (several GB) after the run
  --readme     measure nothing: print the README's "Latest figures" section (Markdown) from
               FILE (default bench/results.json)
`;

/** Bad command-line input or a missing input file: reported as a message, without a stack. */
export class BenchUsageError extends Error {}

export interface BenchOptions {
  readonly mode: 'full' | 'quick';
  readonly workDir: string;
  readonly out: string;
  readonly dropCaches: boolean;
  readonly runs: number;
  readonly keep: boolean;
  /** Synthetic scale of the sessions the dataset and scaling sections read. */
  readonly sessionScale: number;
  /** The session of the dataset section, then the second one of the scaling section. */
  readonly sessionIds: readonly [number, number];
  /** How many published sessions the engine's pipeline has, and their scale. */
  readonly pipelineSessions: number;
  readonly pipelineScale: number;
  readonly dag: DagShape;
  readonly fullRunDag: DagShape;
  /** Rounds of the --jobs 1 / --jobs 2 comparison. */
  readonly scalingRounds: number;
}

export function parseOptions(argv: readonly string[]): BenchOptions | { readonly help: true } | { readonly readme: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        quick: { type: 'boolean' },
        work: { type: 'string' },
        out: { type: 'string' },
        warm: { type: 'boolean' },
        runs: { type: 'string' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        readme: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new BenchUsageError(`${(e as Error).message} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (values.readme) return { readme: positionals[0] ?? join(ROOT, 'bench/results.json') };
  if (positionals.length) throw new BenchUsageError(`unexpected argument '${positionals[0]}' (see --help)`);
  const quick = values.quick === true;
  const workDir = values.work ?? join(ROOT, 'bench/work', quick ? 'quick' : '');
  const runs = values.runs === undefined ? (quick ? 3 : 7) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new BenchUsageError(`--runs must be a positive whole number, got '${values.runs}'`);
  return {
    mode: quick ? 'quick' : 'full',
    workDir,
    out: values.out ?? (quick ? join(workDir, 'results.json') : join(ROOT, 'bench/results.json')),
    dropCaches: !quick && values.warm !== true,
    runs,
    keep: values.keep === true,
    // One brain_observatory_1.1 session and one functional_connectivity session (with gaze), as
    // in the default pipeline.
    sessionIds: [715093703, 766640955],
    sessionScale: quick ? 0.001 : 1,
    pipelineSessions: quick ? 2 : 58,
    pipelineScale: 0.001,
    dag: quick ? { items: 10, chain: 10 } : { items: 1000, chain: 10 },
    fullRunDag: quick ? { items: 5, chain: 10 } : { items: 100, chain: 10 },
    scalingRounds: quick ? 1 : 2,
  };
}
