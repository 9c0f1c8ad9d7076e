// The `extract` built-in: one session NWB → the files of `data/extract/session_<id>/` and
// `data/presentations_raw/session_<id>.arrow` (stages/README.md).
//
// Everything a later stage needs from the NWB except the spike times is read here, once, into
// small tables: the §1 units with their filter outcome, the §2 presentations (steps 1–4, all rows,
// so that the pooled §4 filter can run over every session without opening any NWB), and the §7
// behaviour series. Spike times are left in the NWB for bin_spikes; only their counts are taken
// (from spike_times_index, no spike is read).

import { resolve, posix } from 'node:path';
import { StageError, type BuiltinContext, type BuiltinImplementation } from '../../../engine/builtin/types.js';
import { concatenatePresentations } from '../../binned/core/concatenate.js';
import { maskInvalidPresentations } from '../../binned/core/invalid-mask.js';
import { selectSessionUnits } from '../../binned/core/session-units.js';
import { describeInputError, type CoreInputError } from '../../binned/core/types.js';
import { withNwbSession, type NwbSessionFile } from '../nwb/session.js';
import type { Column } from '../../tables/columns.js';
import { outputPath } from '../../tables/outputs.js';
import { presentationColumns } from '../../tables/presentations.js';
import { writeTableFile, writeTextFile } from '../../tables/write.js';
import { electrodesInput, intervalsInput, invalidTimesInput, unitsInput } from './adapt.js';
import { unitThresholds, type ExtractArgs } from './args.js';
import { gazeColumns, hasGaze, runningSpeedColumns } from './behaviour-files.js';
import { renderSessionJson, sessionInfo, type SessionInfo } from './session-info.js';
import { unitsColumns } from './units-file.js';

const STEPS = ['reading the session', 'units', 'presentations', 'behaviour', 'writing tables'] as const;

interface Extracted {
  readonly info: SessionInfo;
  readonly units: Column[];
  readonly presentations: Column[];
  readonly runningSpeed: Column[];
  readonly gaze: Column[] | undefined;
}

function inputError(file: string, error: CoreInputError): StageError {
  return new StageError(`${file}: ${describeInputError(error)}`, 'the session file is damaged or not an Allen session; delete it and download it again');
}

function extract(o: {
  readonly s: NwbSessionFile;
  readonly file: string;
  readonly args: ExtractArgs;
  readonly step: (i: number) => void;
}): Extracted {
  const { s, file, args, step } = o;
  const gaze = s.gaze();
  const info = sessionInfo({ file, sessionId: args.session_id, identifier: s.identifier(), sessionType: s.sessionType(), hasGaze: hasGaze(gaze) });

  step(1);
  const nwbUnits = s.units();
  const units = unitsInput(file, nwbUnits);
  const electrodes = electrodesInput(file, s.electrodes());
  const kept = selectSessionUnits({ units, electrodes, thresholds: unitThresholds(args.unit_filter) });
  if (!kept.ok) throw inputError(file, kept.error);
  const spikeCounts = Float64Array.from({ length: nwbUnits.rows }, (_, row) => s.spikeCount(row));
  const unitTable = unitsColumns({ units, electrodes, spikeCounts, kept: kept.value });

  step(2);
  // §2 steps 1–4 only: dropping spontaneous, shuffled and invalid rows (step 5) is left to
  // filter_presentations, so this file keeps every presentation with its global id.
  const all = concatenatePresentations(s.presentations().map(intervalsInput));
  if (!all.ok) throw inputError(file, all.error);
  const masked = maskInvalidPresentations(all.value, invalidTimesInput(s.invalidTimes()));
  if (!masked.ok) throw inputError(file, masked.error);
  const presentations = presentationColumns(masked.value);
  if (!presentations.ok) throw new StageError(`${file}: ${presentations.error}`, 'rename the column in the file, or report it as a bug');

  step(3);
  return {
    info,
    units: unitTable,
    presentations: presentations.value,
    runningSpeed: runningSpeedColumns(file, s.runningSpeed()),
    gaze: gazeColumns(file, gaze),
  };
}

async function run(ctx: BuiltinContext<ExtractArgs>): Promise<void> {
  const { args } = ctx;
  const file = resolve(ctx.workspace, args.nwb);
  const step = (i: number) => {
    ctx.signal.throwIfAborted();
    ctx.progress({ done: i, total: STEPS.length, unit: 'steps', message: STEPS[i] });
  };
  step(0);
  const x = await withNwbSession(file, (s) => extract({ s, file, args, step }));

  step(4);
  const out = (name: string) => outputPath(ctx, posix.join(args.out_dir, name));
  await writeTextFile({ file: out('session.json'), text: renderSessionJson(x.info) });
  await writeTableFile({ file: out('units.arrow'), columns: x.units });
  await writeTableFile({ file: out('running_speed.arrow'), columns: x.runningSpeed });
  if (x.gaze) await writeTableFile({ file: out('gaze.arrow'), columns: x.gaze });
  await writeTableFile({ file: outputPath(ctx, args.presentations_out), columns: x.presentations });
  ctx.progress({ done: STEPS.length, total: STEPS.length, unit: 'steps' });
}

const implementation: BuiltinImplementation<ExtractArgs> = { run };
export default implementation;
