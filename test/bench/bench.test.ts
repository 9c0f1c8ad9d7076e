// The benchmark itself stays out of the suite (it takes many minutes and gigabytes); this keeps
// its script from rotting: a quick run (tiny sessions, two-session pipeline, small DAG) must
// finish and write a complete, well-formed results JSON and print every target. No timings are
// asserted: the machine is shared, and quick-mode figures mean nothing anyway.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PIPE, ROOT } from '../rig.js';
import { checkResults, DATASET_STAGES } from '../../bench/report/check.js';
import { TARGETS } from '../../bench/report/targets.js';

const RUN = join(ROOT, 'dist/bench/run.js');

function runBench(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench: bad input', () => {
  it('a wrong option, a bad --runs or a missing results file is a one-line message and exit 2', async () => {
    const missing = join(tmpdir(), 'pipe-no-such-results.json');
    for (const [args, message] of [
      [['--bogus'], /^bench: Unknown option '--bogus'.* \(see --help\)\n$/],
      [['--runs', '0'], /^bench: --runs must be a positive whole number, got '0'\n$/],
      [['--readme', missing], new RegExp(`^bench: --readme: no results file at ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; run npm run bench first`)],
    ] as const) {
      const r = await runBench(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('npm run bench --quick', () => {
  const work = mkdtempSync(join(tmpdir(), 'pipe-bench-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes well-formed results with every row and prints every target', { timeout: 15 * 60_000 }, async () => {
    expect(existsSync(PIPE) && existsSync(RUN), 'run npm run build first').toBe(true);
    const out = join(work, 'results.json');
    const r = await runBench(['--quick', '--work', work, '--out', out]);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);

    const results = JSON.parse(readFileSync(out, 'utf8')) as Record<string, any>;
    expect(checkResults(results)).toEqual([]);
    expect(results.mode).toBe('quick');
    expect(results.dataset.coldCache).toBe(false); // quick mode never drops the page cache
    expect(results.dataset.stages.map((s: { stage: string }) => s.stage).sort()).toEqual([...DATASET_STAGES].sort());
    expect(results.targets.map((t: { id: string }) => t.id)).toEqual(TARGETS.map((t) => t.id));
    // Counts that follow from the inputs, not from the clock.
    expect(results.dataset.spikesKept).toBeLessThanOrEqual(results.dataset.spikesTotal);
    expect(results.engine.sessionsPipeline.sessions).toBe(2);
    expect(results.engine.dag.items).toBe(100);
    expect(results.scaling.sessions).toHaveLength(2);

    for (const heading of ['== Dataset', '== Engine', '== Hashing', '== Scaling', '== Targets', 'I/O FLOOR', 'pipeline / floor']) {
      expect(r.stdout).toContain(heading);
    }
    for (const t of results.targets as { label: string }[]) expect(r.stdout).toMatch(new RegExp(`(PASS|MISS)  ${t.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // The run must not touch the committed results.
    expect(results.command).toContain('--quick');

    // The README's figures are rendered from the same file: every target, every stage.
    const readme = await runBench(['--readme', out]);
    expect(readme.code, readme.stderr).toBe(0);
    for (const t of results.targets as { label: string }[]) expect(readme.stdout).toContain(`| ${t.label} |`);
    for (const s of DATASET_STAGES) expect(readme.stdout).toMatch(new RegExp(`^\\| ${s} \\| \\d+ \\|`, 'm'));
    expect(readme.stdout).toContain('compression: none');
  });
});
