// The README's "Latest figures" section, rendered from a results JSON (`node dist/bench/run.js
// --readme [FILE]`), so the figures in the README are the benchmark's own, not copied by hand.
import type { Results, StageRow } from './results.js';

const MB = 1e6;

function fixed(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '' : x.toFixed(digits);
}

/** 2 significant digits with an SI suffix, for throughputs: 8.5M, 229M. */
function si(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  for (const [scale, suffix] of [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) if (Math.abs(x) >= scale) return `${Number((x / scale).toPrecision(2))}${suffix}`;
  return String(Number(x.toPrecision(2)));
}

const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;

export function renderReadmeFigures(r: Results): string {
  const m = r.machine;
  const d = r.dataset;
  const e = r.engine;
  const h = r.hashing;
  const out: string[] = [];
  out.push(
    `${m.date.slice(0, 10)}, ${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / 1e9).toFixed(1)} GB RAM, ${m.os}, node ${m.node}, ` +
      `commit ${r.revision.commit?.slice(0, 7) ?? 'unknown'}${r.revision.dirty ? ' (plus uncommitted changes)' : ''}; \`${r.command}\`, ${Math.round(r.totalS / 60)} min.`,
  );
  out.push('');
  out.push('| target | goal | measured | |');
  out.push('|---|---|---|---|');
  for (const t of r.targets) {
    const digits = t.unit === 'MB' ? 0 : t.unit === 'ms' ? (t.measured < 1 ? 2 : 0) : 2;
    const extra =
      t.id === 'pipeline-to-floor'
        ? ` (${fixed(d.pipeline.wallS, 1)} s vs ${fixed(d.floor.floorS, 2)} s)`
        : t.id === 'jobs2-speedup'
          ? ` (${fixed(r.scaling.jobs1.wallS, 1)} s vs ${fixed(r.scaling.jobs2.wallS, 1)} s)`
          : t.id === 'first-hash'
            ? ` (raw read: ${fixed(h.diskReadGBps, 2)} GB/s)`
            : '';
    out.push(`| ${t.label} | ${t.op === '<=' ? '≤' : '≥'} ${t.target} ${t.unit} | ${fixed(t.measured, digits)} ${t.unit}${extra} | ${t.pass ? 'met' : '**missed**'} |`);
  }
  out.push('');
  out.push('| stage, each its own `pipe repro` | items | wall s | CPU s | peak RSS MB | spikes/s | cells/s | out MB/s |');
  out.push('|---|---|---|---|---|---|---|---|');
  const row = (s: StageRow) => `| ${s.stage} | ${s.items} | ${fixed(s.wallS, 1)} | ${fixed(s.cpuS, 1)} | ${fixed(s.rssMB, 0)} | ${si(s.spikesPerS)} | ${si(s.cellsPerS)} | ${fixed(s.outMBPerS, 0)} |`;
  out.push(`| download (copy; excluded) | 1 | ${fixed(d.download.wallS, 1)} | ${fixed(d.download.cpuS, 1)} | ${fixed(d.download.rssMB, 0)} | | | ${fixed(d.download.mbPerS, 0)} |`);
  for (const s of d.stages) out.push(row(s));
  out.push(
    `| **pipeline** (one \`pipe repro\`) | ${d.pipeline.timeline.length} | ${fixed(d.pipeline.wallS, 1)} | ${fixed(d.pipeline.cpuS, 1)} | ${fixed(d.pipeline.rssMB, 0)} | ${si(d.pipeline.spikesPerS)} | ${si(d.pipeline.cellsPerS)} | ${fixed(d.pipeline.outMBPerS, 0)} |`,
  );
  out.push(`| the same, \`compression: none\` | ${d.pipeline.timeline.length} | ${fixed(d.uncompressed.wallS, 1)} | ${fixed(d.uncompressed.cpuS, 1)} | ${fixed(d.uncompressed.rssMB, 0)} | | | |`);
  out.push(`| **I/O floor** (one process) | | ${fixed(d.floor.process.wallS, 1)} | ${fixed(d.floor.process.cpuS, 1)} | ${fixed(d.floor.process.rssMB, 0)} | ${si(d.floor.spikesRead / d.floor.floorS)} | | |`);
  out.push('');
  out.push(
    `Outputs ${(d.finalOutputBytes / MB).toFixed(0)} MB (${(d.uncompressed.finalOutputBytes / MB).toFixed(0)} MB uncompressed), intermediates ${(d.intermediateBytes / MB).toFixed(0)} MB. ` +
      `Floor: reading ${d.floor.spikesRead.toLocaleString('en-US')} spike times and the presentation tables ${fixed(d.floor.readS, 2)} s, writing ${(d.floor.bytesWritten / MB).toFixed(0)} MB ${fixed(d.floor.writeS, 2)} s. ` +
      `The pipeline ran fewer items than cores for ${fixed(d.pipeline.underusedS, 1)} s of its ${fixed(d.pipeline.runS, 1)} s.`,
  );
  out.push('');
  const sp = e.sessionsPipeline;
  out.push(
    `Engine: \`node -e 0\` ${ms(e.nodeStartup.medianMs)}; ${sp.sessions} sessions (${sp.items} items): no-op \`repro\` ${ms(sp.noopRepro.medianMs)}, \`status\` ${ms(sp.status.medianMs)}; ` +
      `${e.dag.items.toLocaleString('en-US')} items: \`pipe dag\` ${ms(e.dag.dag.medianMs)}, \`repro --dry\` before any run ${ms(e.dag.dryBeforeRun.medianMs)}, ` +
      `\`status\` ${ms(e.dag.status.medianMs)}, no-op \`repro\` ${ms(e.dag.noopRepro.medianMs)}; full run of ${e.dag.fullRun.items.toLocaleString('en-US')} items ${fixed(e.dag.fullRun.wallS, 1)} s.`,
  );
  out.push(
    `Hashing: raw read ${fixed(h.diskReadGBps, 2)} GB/s ${h.coldCache ? 'cold' : 'warm'}, first hash ${fixed(h.firstHashGBps, 2)} GB/s ${h.coldCache ? 'cold' : 'warm'} and ` +
      `${fixed(h.firstHashWarmGBps, 2)} GB/s warm, XXH3 in memory ${fixed(h.hashCpuOnlyGBps, 2)} GB/s; re-check ${fixed(h.recheck.medianMs, 2)} ms in process, ${ms(h.recheckStatus.medianMs)} through \`pipe status\`.`,
  );
  return out.join('\n') + '\n';
}
