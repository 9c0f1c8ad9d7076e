// `npm run bench`: the dataset stages on a real-size synthetic session against the I/O floor, the
// engine's fixed costs, hashing, and --jobs scaling; a plain-text report on stdout and every
// number in bench/results.json. See bench/README.md for what each figure means.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { BenchUsageError, USAGE, parseOptions, type BenchOptions } from './options.js';
import { remove } from './lib/fsx.js';
import { pageCache } from './lib/page-cache.js';
import { PIPE, ROOT } from './lib/pipe-cli.js';
import { hasGnuTime } from './lib/proc.js';
import { revision } from './lib/revision.js';
import { ensureSession } from './lib/sessions.js';
import { timeNodeStartup } from './lib/timing.js';
import { checkResults } from './report/check.js';
import { machine, RESULTS_SCHEMA, type Results } from './report/results.js';
import { renderReadmeFigures } from './report/markdown.js';
import { renderReport } from './report/table.js';
import { evaluateTargets } from './report/targets.js';
import { benchDag } from './sections/dag.js';
import { benchDataset } from './sections/dataset.js';
import { benchHashing } from './sections/hashing.js';
import { benchScaling } from './sections/scaling.js';
import { benchSessionsPipeline } from './sections/sessions-pipeline.js';

const log = (s: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

function commandLine(o: BenchOptions): string {
  if (o.mode === 'full' && relative(ROOT, o.workDir) === join('bench', 'work')) return 'npm run bench';
  return `node dist/bench/run.js ${process.argv.slice(2).join(' ')}`.trim();
}

async function bench(o: BenchOptions): Promise<Results> {
  const started = performance.now();
  const at = machine();
  const measured = revision();
  const cache = pageCache({ wanted: o.dropCaches });
  const cacheDir = join(o.workDir, 'sessions');
  log(`${o.mode} mode; work dir ${o.workDir}; page cache ${cache.cold ? 'can be dropped (cold measurements)' : 'stays warm'}`);

  const sessions = [];
  for (const id of o.sessionIds) sessions.push(await ensureSession({ cacheDir, id, scale: o.sessionScale, log }));
  const [first] = sessions;

  // The engine's sub-second timings first, before the dataset and scaling sections write and
  // delete ~15 GB: in two runs that measured them last, node -e 0 took 160 ms instead of the
  // usual ~107 ms, a slow phase that repetition does not average out. Whether the write-back
  // or the shared host caused it, measuring first removes the one cause the benchmark controls.
  const engine = {
    nodeStartup: await timeNodeStartup(o.runs),
    sessionsPipeline: await benchSessionsPipeline({ workDir: o.workDir, sessions: o.pipelineSessions, scale: o.pipelineScale, runs: o.runs, log }),
    dag: await benchDag({ workDir: o.workDir, shape: o.dag, fullRunShape: o.fullRunDag, runs: o.runs, log }),
  };
  const hashing = await benchHashing({ file: first!.path, bytes: first!.bytes, workDir: o.workDir, cache, runs: o.runs, log });
  const dataset = await benchDataset({ workDir: o.workDir, cacheDir, session: first!, cache, log });
  const scaling = await benchScaling({ workDir: o.workDir, cacheDir, sessions, cache, rounds: o.scalingRounds, log });
  if (!o.keep) for (const ws of ['dataset', 'scaling']) remove(join(o.workDir, ws));

  const measurements = { dataset, engine, hashing, scaling };
  return {
    schema: RESULTS_SCHEMA,
    mode: o.mode,
    machine: at,
    revision: measured,
    command: commandLine(o),
    totalS: (performance.now() - started) / 1000,
    ...measurements,
    targets: evaluateTargets(measurements),
  };
}

async function main(): Promise<number> {
  const parsed = parseOptions(process.argv.slice(2));
  if ('help' in parsed) {
    process.stdout.write(USAGE);
    return 0;
  }
  if ('readme' in parsed) {
    if (!existsSync(parsed.readme)) throw new BenchUsageError(`--readme: no results file at ${parsed.readme}; run npm run bench first (it writes bench/results.json)`);
    const results = JSON.parse(readFileSync(parsed.readme, 'utf8')) as Results;
    const problems = checkResults(results);
    if (problems.length) throw new BenchUsageError(`--readme: ${parsed.readme} is not a complete results file:\n  ${problems.join('\n  ')}`);
    process.stdout.write(renderReadmeFigures(results));
    return 0;
  }
  if (!existsSync(PIPE)) throw new Error(`${PIPE} is missing: run npm run build (npm run bench does)`);
  if (!hasGnuTime()) throw new Error('/usr/bin/time (GNU time) is needed for CPU time and peak RSS');
  mkdirSync(parsed.workDir, { recursive: true });
  const results = await bench(parsed);
  process.stdout.write(renderReport(results));
  const problems = checkResults(JSON.parse(JSON.stringify(results)));
  if (problems.length) {
    process.stderr.write(`bench: incomplete results, not written:\n  ${problems.join('\n  ')}\n`);
    return 1;
  }
  mkdirSync(dirname(parsed.out), { recursive: true });
  writeFileSync(parsed.out, JSON.stringify(results, null, 2) + '\n');
  log(`results written to ${parsed.out}`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (e) {
  process.stderr.write(`bench: ${e instanceof BenchUsageError ? e.message : ((e as Error)?.stack ?? String(e))}\n`);
  process.exitCode = e instanceof BenchUsageError ? 2 : 1;
}
