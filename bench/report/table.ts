// The plain-text report printed by `npm run bench` (the same numbers as results.json).
import type { ProcessCost, Results, StageRow, Timing } from './results.js';

const GB = 1e9;
const MB = 1e6;

function fixed(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

/** 3 significant digits with an SI suffix: 1.23M, 45.6k. */
function si(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  const units: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [scale, suffix] of units) if (Math.abs(x) >= scale) return `${(x / scale).toPrecision(3)}${suffix}`;
  return x.toPrecision(3);
}

function ms(t: Timing): string {
  return `${Math.round(t.medianMs)} ms (runs: ${t.runsMs.map((r) => Math.round(r)).join(', ')})`;
}

function grid(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function costCells(c: ProcessCost): string[] {
  return [fixed(c.wallS, 2), fixed(c.cpuS, 2), fixed(c.rssMB, 0), fixed(c.othersCpuS, 1)];
}

/** A warning when other processes took more than a tenth of the machine during `c`. */
function contention(c: ProcessCost, cores: number, what: string): string[] {
  if (c.othersCpuS === null || c.othersCpuS <= 0.1 * c.wallS * cores) return [];
  return [`   WARNING: other processes used ${c.othersCpuS.toFixed(1)} CPU-s during ${what} (${((100 * c.othersCpuS) / (c.wallS * cores)).toFixed(0)}% of the machine): its figures are slower than on an idle machine.`];
}

export function renderReport(r: Results): string {
  const m = r.machine;
  const d = r.dataset;
  const e = r.engine;
  const h = r.hashing;
  const out: string[] = [];
  out.push(`pipe benchmark (${r.mode} mode), ${m.date}`);
  out.push(`machine: ${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / GB).toFixed(1)} GB RAM, ${m.os}, node ${m.node}, load average at start ${m.loadAverageAtStart.join(' ')}`);
  out.push(`code: ${r.revision.commit ?? 'unknown commit'}${r.revision.dirty ? ' plus uncommitted changes' : ''}`);
  if (r.mode === 'quick') out.push('QUICK MODE: tiny inputs; the figures only show that the benchmark works, not how fast pipe is.');
  out.push('');

  out.push(`== Dataset: session ${d.session} (${(d.nwbBytes / GB).toFixed(2)} GB NWB), one pipe repro after the download`);
  out.push(
    `   ${d.spikesTotal.toLocaleString('en-US')} spikes (${d.spikesKept.toLocaleString('en-US')} in the units kept by the filter), ` +
      `${d.outputCells.toLocaleString('en-US')} output cells; final outputs ${(d.finalOutputBytes / MB).toFixed(1)} MB, ` +
      `intermediates ${(d.intermediateBytes / MB).toFixed(1)} MB; page cache ${d.coldCache ? 'dropped before the pipeline and floor runs' : 'warm (could not be dropped)'}`,
  );
  const row = (s: StageRow): string[] => [s.stage, String(s.items), ...costCells(s), fixed(s.stageS, 2), si(s.spikesPerS), si(s.cellsPerS), fixed(s.outMBPerS, 1)];
  out.push(
    ...grid(
      ['stage (each its own pipe repro)', 'items', 'wall s', 'CPU s', 'peak RSS MB', 'others CPU s', 'stage s', 'spikes/s', 'cells/s', 'out MB/s'],
      [
        ['download (copy; excluded)', '1', ...costCells(d.download), '-', '-', '-', fixed(d.download.mbPerS, 1)],
        ...d.stages.map(row),
        ['sum of the stages above', '', fixed(d.stages.reduce((a, s) => a + s.wallS, 0), 2), fixed(d.stages.reduce((a, s) => a + (s.cpuS ?? 0), 0), 2), '', '', fixed(d.stages.reduce((a, s) => a + s.stageS, 0), 2), '', '', ''],
        ['PIPELINE (one pipe repro)', '', ...costCells(d.pipeline), '', si(d.pipeline.spikesPerS), si(d.pipeline.cellsPerS), fixed(d.pipeline.outMBPerS, 1)],
        ['I/O FLOOR (one process)', '', ...costCells(d.floor.process), '', si(d.floor.spikesRead / d.floor.floorS), '', ''],
      ],
    ).map((l) => `   ${l}`),
  );
  out.push(`   stage s: engine-reported time of the stage's items; wall s includes process start-up and the engine's checks;`);
  out.push(`   others CPU s: CPU time the rest of the machine used meanwhile (0 on an idle machine).`);
  out.push(...contention(d.pipeline, m.cores, 'the pipeline run'), ...contention(d.floor.process, m.cores, 'the I/O floor'));
  out.push(
    `   I/O floor: read ${d.floor.spikesRead.toLocaleString('en-US')} spike times + presentation tables ${fixed(d.floor.readS, 2)} s, ` +
      `write ${(d.floor.bytesWritten / MB).toFixed(1)} MB uncompressed ${fixed(d.floor.writeS, 2)} s = ${fixed(d.floor.floorS, 2)} s ` +
      `(writing the ${(d.floor.intermediateBytes / MB).toFixed(1)} MB of intermediates too would add ${fixed(d.floor.writeIntermediateS, 2)} s)`,
  );
  out.push(`   the pipeline run used fewer than ${m.cores} job slots for ${fixed(d.pipeline.underusedS, 1)} s of its ${fixed(d.pipeline.runS, 1)} s (serial stretches of the DAG)`);
  out.push(`   pipeline / floor: ${fixed(d.pipelineToFloor, 1)}×; the post-download pipe status (one re-hash of the new NWB) took ${fixed(d.postDownloadStatusS, 2)} s`);
  out.push(
    `   the same run with compression: none: ${fixed(d.uncompressed.wallS, 1)} s wall, ${fixed(d.uncompressed.cpuS, 1)} s CPU ` +
      `(${(d.uncompressed.finalOutputBytes / MB).toFixed(0)} MB of outputs instead of ${(d.finalOutputBytes / MB).toFixed(0)} MB), ` +
      `${fixed(d.uncompressed.wallS / d.floor.floorS, 1)}× the floor`,
  );
  out.push('');

  out.push('== Engine');
  const sp = e.sessionsPipeline;
  out.push(`   node -e 0 (process start-up)                  ${ms(e.nodeStartup)}`);
  out.push(`   ${sp.sessions}-session pipeline (${sp.items} items, scale ${sp.syntheticScale}${sp.buildS === null ? ', reused' : `, built in ${fixed(sp.buildS, 0)} s`}):`);
  out.push(`     no-op pipe repro                            ${ms(sp.noopRepro)}`);
  out.push(`     pipe status                                 ${ms(sp.status)}`);
  out.push(`   ${e.dag.items.toLocaleString('en-US')}-item DAG (${e.dag.yamlStages} chained fan-out stages):`);
  out.push(`     pipe dag (analysis)                         ${ms(e.dag.dag)}`);
  out.push(`     pipe repro --dry before any run (planning)  ${ms(e.dag.dryBeforeRun)}`);
  out.push(`     pipe status, all fresh                      ${ms(e.dag.status)}`);
  out.push(`     no-op pipe repro                            ${ms(e.dag.noopRepro)}`);
  out.push(`     (after-a-full-run state written in ${fixed(e.dag.stateSetupS, 1)} s; see bench/lib/dag-state.ts)`);
  out.push(`   full pipe repro of a ${e.dag.fullRun.items.toLocaleString('en-US')}-item DAG: ${fixed(e.dag.fullRun.wallS, 1)} s wall, ${fixed(e.dag.fullRun.cpuS, 1)} s CPU; then pipe status ${ms(e.dag.fullRun.status)}`);
  out.push('');

  out.push(`== Hashing ${(h.bytes / GB).toFixed(2)} GB (${h.coldCache ? 'cold' : 'warm'} page cache for the first two)`);
  out.push(`   ${"raw read (the hasher's pattern, no hash)".padEnd(46)}${fixed(h.diskReadGBps, 2)} GB/s`);
  out.push(`   first hash (PathHasher, empty stat cache)     ${fixed(h.firstHashGBps, 2)} GB/s`);
  out.push(`   first hash, file in page cache                ${fixed(h.firstHashWarmGBps, 2)} GB/s`);
  out.push(`   XXH3-128 of a buffer in memory (CPU bound)    ${fixed(h.hashCpuOnlyGBps, 2)} GB/s`);
  out.push(`   re-check, unchanged (stat cache, in process)  ${fixed(h.recheck.medianMs, 3)} ms (runs: ${h.recheck.runsMs.map((x) => x.toFixed(2)).join(', ')})`);
  out.push(`   re-check through pipe status                  ${ms(h.recheckStatus)}`);
  out.push('');

  const s = r.scaling;
  out.push(`== Scaling: sessions ${s.sessions.join(' + ')}, every stage after the download (${s.rounds} round${s.rounds === 1 ? '' : 's'}, order 1 2${s.rounds > 1 ? ' 2 1' : ''}; mean)`);
  out.push(
    ...grid(
      ['', 'wall s', 'CPU s', 'peak RSS MB', 'others CPU s', 'runs s'],
      [
        ['--jobs 1', ...costCells(s.jobs1), s.jobs1RunsS.map((x) => x.toFixed(1)).join(', ')],
        ['--jobs 2', ...costCells(s.jobs2), s.jobs2RunsS.map((x) => x.toFixed(1)).join(', ')],
      ],
    ).map((l) => `   ${l}`),
  );
  out.push(`   speedup: ${fixed(s.speedup, 2)}×; the last --jobs 2 run had fewer than 2 items running for ${fixed(s.jobs2UnderusedS, 1)} s of its ${fixed(s.jobs2RunS, 1)} s`);
  out.push(...contention(s.jobs1, m.cores, '--jobs 1'), ...contention(s.jobs2, m.cores, '--jobs 2'));
  out.push('');

  out.push('== Targets');
  for (const t of r.targets) {
    const value = t.unit === 'ms' && t.measured < 10 ? t.measured.toFixed(3) : t.measured.toFixed(2);
    out.push(`   ${t.pass ? 'PASS' : 'MISS'}  ${t.label}: ${value} ${t.unit} (target ${t.op} ${t.target} ${t.unit})`);
  }
  out.push('');
  out.push(`total benchmark time ${fixed(r.totalS / 60, 1)} min; reproduce with: ${r.command}`);
  return out.join('\n') + '\n';
}
