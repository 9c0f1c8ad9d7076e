// Well-formedness of a results object: every row present, every figure a finite number. The
// benchmark refuses to write results that fail this, and the test suite runs it on a quick run,
// so neither a refactoring nor a changed pipeline can quietly drop a row.
import { TARGETS } from './targets.js';

export const DATASET_STAGES = [
  'extract',
  'filter_presentations',
  'bin_spikes',
  'binarize',
  'interpolate_behavior',
  'write_h5',
  'subset_natural_visual',
  'statistics',
] as const;

type Json = unknown;

function at(value: Json, path: string): Json {
  let v: Json = value;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, Json>)[key];
  }
  return v;
}

const POSITIVE = [
  'machine.cores', 'machine.memoryBytes',
  'dataset.session', 'dataset.nwbBytes', 'dataset.spikesTotal', 'dataset.spikesKept', 'dataset.outputCells',
  'dataset.finalOutputBytes', 'dataset.intermediateBytes', 'dataset.download.wallS', 'dataset.postDownloadStatusS',
  'dataset.pipeline.wallS', 'dataset.pipeline.spikesPerS', 'dataset.pipeline.cellsPerS', 'dataset.pipeline.outMBPerS',
  'dataset.floor.readS', 'dataset.floor.spikesRead', 'dataset.floor.writeS', 'dataset.floor.floorS', 'dataset.floor.bytesWritten',
  'dataset.floor.process.wallS', 'dataset.pipelineToFloor', 'dataset.pipeline.runS', 'dataset.uncompressed.wallS', 'dataset.uncompressed.cpuS',
  'engine.nodeStartup.medianMs',
  'engine.sessionsPipeline.sessions', 'engine.sessionsPipeline.items', 'engine.sessionsPipeline.noopRepro.medianMs', 'engine.sessionsPipeline.status.medianMs',
  'engine.dag.items', 'engine.dag.yamlStages', 'engine.dag.dag.medianMs', 'engine.dag.dryBeforeRun.medianMs', 'engine.dag.stateSetupS',
  'engine.dag.status.medianMs', 'engine.dag.noopRepro.medianMs', 'engine.dag.fullRun.items', 'engine.dag.fullRun.wallS', 'engine.dag.fullRun.status.medianMs',
  'hashing.bytes', 'hashing.diskReadGBps', 'hashing.firstHashGBps', 'hashing.firstHashWarmGBps', 'hashing.hashCpuOnlyGBps',
  'hashing.recheck.medianMs', 'hashing.recheckStatus.medianMs',
  'scaling.jobs1.wallS', 'scaling.jobs2.wallS', 'scaling.speedup', 'scaling.jobs2RunS',
];

/** Problems found, empty when the results are complete. */
export function checkResults(r: Json): string[] {
  const problems: string[] = [];
  if (at(r, 'schema') !== 1) problems.push('schema is not 1');
  if (!['full', 'quick'].includes(at(r, 'mode') as string)) problems.push('mode is neither full nor quick');
  for (const key of ['machine.cpu', 'machine.node', 'machine.date', 'command']) {
    if (typeof at(r, key) !== 'string' || (at(r, key) as string).length === 0) problems.push(`${key} is not a string`);
  }
  for (const key of POSITIVE) {
    const v = at(r, key);
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) problems.push(`${key} is ${JSON.stringify(v)}, not a positive number`);
  }
  const stages = at(r, 'dataset.stages');
  const names = Array.isArray(stages) ? stages.map((s) => at(s, 'stage')) : [];
  // In the order they ran (upstream first, ties by name), so compared as sets.
  if (JSON.stringify([...names].sort()) !== JSON.stringify([...DATASET_STAGES].sort())) {
    problems.push(`dataset.stages are ${JSON.stringify(names)}, expected ${JSON.stringify(DATASET_STAGES)}`);
  }
  for (const s of Array.isArray(stages) ? stages : []) {
    for (const key of ['items', 'wallS', 'stageS', 'outBytes', 'outMBPerS']) {
      const v = at(s, key);
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) problems.push(`dataset.stages[${String(at(s, 'stage'))}].${key} is ${JSON.stringify(v)}`);
    }
  }
  const targets = at(r, 'targets');
  const ids = Array.isArray(targets) ? targets.map((t) => at(t, 'id')) : [];
  if (JSON.stringify(ids) !== JSON.stringify(TARGETS.map((t) => t.id))) problems.push(`targets are ${JSON.stringify(ids)}`);
  for (const t of Array.isArray(targets) ? targets : []) {
    if (typeof at(t, 'pass') !== 'boolean' || typeof at(t, 'measured') !== 'number' || !Number.isFinite(at(t, 'measured') as number)) {
      problems.push(`target ${String(at(t, 'id'))} has no measured value or verdict`);
    }
  }
  return problems;
}
