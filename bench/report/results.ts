// The shape of bench/results.json. Seconds (S), milliseconds (Ms), bytes, MB (10^6 bytes) and
// GB/s (10^9 bytes per second) are named in each field, so the file reads without this source.
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import type { Revision } from '../lib/revision.js';

export const RESULTS_SCHEMA = 1;

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly freeMemoryBytesAtStart: number;
  readonly loadAverageAtStart: readonly number[];
  readonly node: string;
  readonly os: string;
  readonly date: string;
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    freeMemoryBytesAtStart: freemem(),
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    os: `${platform()} ${release()}`,
    date: new Date().toISOString(),
  };
}

/** One measured process. */
export interface ProcessCost {
  readonly wallS: number;
  readonly cpuS: number | null;
  readonly rssMB: number | null;
  /** CPU seconds other processes on the machine used meanwhile (see lib/proc.ts). */
  readonly othersCpuS: number | null;
}

/** The ProcessCost fields of a measured run (and nothing else: no stdout in the results). */
export function costOf(m: ProcessCost): ProcessCost {
  return { wallS: m.wallS, cpuS: m.cpuS, rssMB: m.rssMB, othersCpuS: m.othersCpuS };
}

export interface StageRow extends ProcessCost {
  readonly stage: string;
  readonly items: number;
  /** Engine-reported time of the stage's items (stage-done durationMs), summed. */
  readonly stageS: number;
  readonly outBytes: number;
  readonly spikesPerS: number | null;
  readonly cellsPerS: number | null;
  readonly outMBPerS: number | null;
}

export interface FloorResult {
  /** Open the NWB, read the units index, every unit's spike times and the presentation tables. */
  readonly readS: number;
  readonly spikesRead: number;
  readonly bytesRead: number;
  /** Write finalBytes uncompressed through h5wasm. */
  readonly writeS: number;
  readonly bytesWritten: number;
  readonly floorS: number;
  /** Context: also writing the intermediates' bytes (not part of the floor). */
  readonly writeIntermediateS: number;
  readonly intermediateBytes: number;
  readonly process: ProcessCost;
}

export interface DatasetResult {
  readonly session: number;
  readonly nwbBytes: number;
  readonly coldCache: boolean;
  readonly spikesTotal: number;
  /** Spikes of the units that pass the §1 filter: what bin_spikes reads. */
  readonly spikesKept: number;
  readonly outputCells: number;
  readonly finalOutputBytes: number;
  readonly intermediateBytes: number;
  readonly download: ProcessCost & { readonly mbPerS: number };
  /** `pipe status` right after the download: re-hashes the just-written NWB once (see dataset.ts). */
  readonly postDownloadStatusS: number;
  /** One `pipe repro` of every stage after download, in one process, default --jobs. */
  readonly pipeline: ProcessCost & {
    readonly spikesPerS: number;
    readonly cellsPerS: number;
    readonly outMBPerS: number;
    /** When each item ran, in seconds from the run's start (NDJSON `t`), to see the critical path. */
    readonly timeline: readonly TimelineItem[];
    /** Seconds of the run with fewer items running than --jobs (cores). */
    readonly underusedS: number;
    readonly runS: number;
  };
  readonly stages: readonly StageRow[];
  /**
   * Context for the gap to the floor: the same run with `-S params.compression=none` (contiguous,
   * uncompressed outputs, as the published files), page cache dropped first the same way.
   */
  readonly uncompressed: ProcessCost & { readonly finalOutputBytes: number };
  readonly floor: FloorResult;
  readonly pipelineToFloor: number;
}

export interface Timing {
  readonly medianMs: number;
  readonly runsMs: readonly number[];
}

export interface EngineResult {
  /** `node -e 0`: the part of every CLI timing no pipe code can remove. */
  readonly nodeStartup: Timing;
  readonly sessionsPipeline: {
    readonly sessions: number;
    readonly items: number;
    readonly syntheticScale: number;
    readonly buildS: number | null;
    readonly noopRepro: Timing;
    readonly status: Timing;
  };
  readonly dag: {
    /** Stage items (what "a 10,000-stage DAG" counts). */
    readonly items: number;
    /** Stages in pipeline.yaml, chained; each a fan-out over items / yamlStages keys. */
    readonly yamlStages: number;
    /** `pipe dag` (analysis + rendering). */
    readonly dag: Timing;
    /** `pipe repro --dry` before any run: analysis + planning of every item. */
    readonly dryBeforeRun: Timing;
    /** Seconds to write the after-a-full-run state (see dag-state.ts). */
    readonly stateSetupS: number;
    readonly status: Timing;
    readonly noopRepro: Timing;
    /** A real full `pipe repro` of a smaller DAG of the same shape (context). */
    readonly fullRun: { readonly items: number; readonly wallS: number; readonly cpuS: number | null; readonly status: Timing };
  };
}

export interface HashingResult {
  readonly file: string;
  readonly bytes: number;
  readonly coldCache: boolean;
  readonly diskReadGBps: number;
  readonly firstHashGBps: number;
  readonly firstHashWarmGBps: number;
  /** XXH3-128 of an in-memory buffer: the hasher's CPU ceiling. */
  readonly hashCpuOnlyGBps: number;
  /** PathHasher.hash of the unchanged file with a stat cache loaded from disk. */
  readonly recheck: Timing;
  /** The same through the CLI: `pipe status` of a workspace whose only dep is that file. */
  readonly recheckStatus: Timing;
}

export interface TimelineItem {
  readonly item: string;
  readonly startS: number;
  readonly endS: number;
}

export interface ScalingResult {
  readonly sessions: readonly number[];
  readonly rounds: number;
  /** Mean wall and CPU over the rounds; peak RSS the highest. */
  readonly jobs1: ProcessCost;
  readonly jobs2: ProcessCost;
  readonly jobs1RunsS: readonly number[];
  readonly jobs2RunsS: readonly number[];
  /** Mean --jobs 1 wall / mean --jobs 2 wall. */
  readonly speedup: number;
  /** The last --jobs 2 run: when each item ran, and for how long fewer than 2 items ran. */
  readonly jobs2Timeline: readonly TimelineItem[];
  readonly jobs2UnderusedS: number;
  readonly jobs2RunS: number;
}

export interface TargetResult {
  readonly id: string;
  readonly label: string;
  readonly op: '<=' | '>=';
  readonly target: number;
  readonly measured: number;
  readonly unit: string;
  readonly pass: boolean;
}

export interface Results {
  readonly schema: number;
  readonly mode: 'full' | 'quick';
  readonly machine: Machine;
  readonly revision: Revision;
  readonly command: string;
  readonly totalS: number;
  readonly dataset: DatasetResult;
  readonly engine: EngineResult;
  readonly hashing: HashingResult;
  readonly scaling: ScalingResult;
  readonly targets: readonly TargetResult[];
}
