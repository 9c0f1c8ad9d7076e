// The targets for this 2-core machine, each with the measurement it is judged on.
import type { DatasetResult, EngineResult, HashingResult, ScalingResult, TargetResult } from './results.js';

export interface Measurements {
  readonly dataset: DatasetResult;
  readonly engine: EngineResult;
  readonly hashing: HashingResult;
  readonly scaling: ScalingResult;
}

interface TargetSpec {
  readonly id: string;
  readonly label: (m: Measurements) => string;
  readonly op: '<=' | '>=';
  readonly target: number;
  readonly unit: string;
  readonly measured: (m: Measurements) => number;
}

export const TARGETS: readonly TargetSpec[] = [
  {
    id: 'pipeline-to-floor',
    label: (m) => `one real-size session NWB → all per-stimulus outputs, × the I/O floor (${m.dataset.coldCache ? 'cold' : 'warm'} cache)`,
    op: '<=',
    target: 2,
    unit: '×',
    measured: (m) => m.dataset.pipelineToFloor,
  },
  {
    id: 'pipeline-peak-rss',
    label: () => 'peak RSS of that pipe repro',
    op: '<=',
    target: 1500,
    unit: 'MB',
    measured: (m) => m.dataset.pipeline.rssMB ?? NaN,
  },
  {
    id: 'jobs2-speedup',
    label: (m) => `${m.scaling.sessions.length} sessions, --jobs 2 vs --jobs 1`,
    op: '>=',
    target: 1.7,
    unit: '×',
    measured: (m) => m.scaling.speedup,
  },
  {
    id: 'noop-repro-sessions',
    label: (m) => `no-op pipe repro, ${m.engine.sessionsPipeline.sessions}-session pipeline (median)`,
    op: '<=',
    target: 300,
    unit: 'ms',
    measured: (m) => m.engine.sessionsPipeline.noopRepro.medianMs,
  },
  {
    id: 'status-dag',
    label: (m) => `pipe status, ${m.engine.dag.items.toLocaleString('en-US')}-stage DAG (median)`,
    op: '<=',
    target: 1000,
    unit: 'ms',
    measured: (m) => m.engine.dag.status.medianMs,
  },
  {
    id: 'recheck-unchanged',
    label: (m) => `re-check of an unchanged ${(m.hashing.bytes / 1e9).toFixed(2)} GB input (stat cache, median)`,
    op: '<=',
    target: 10,
    unit: 'ms',
    measured: (m) => m.hashing.recheck.medianMs,
  },
  {
    id: 'first-hash',
    label: (m) => `first-time hash of that input (${m.hashing.coldCache ? 'cold' : 'warm'} cache)`,
    op: '>=',
    target: 1,
    unit: 'GB/s',
    measured: (m) => m.hashing.firstHashGBps,
  },
];

export function evaluateTargets(m: Measurements): TargetResult[] {
  return TARGETS.map((t) => {
    const measured = t.measured(m);
    const pass = Number.isFinite(measured) && (t.op === '<=' ? measured <= t.target : measured >= t.target);
    return { id: t.id, label: t.label(m), op: t.op, target: t.target, measured, unit: t.unit, pass };
  });
}
