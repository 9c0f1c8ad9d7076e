// The tiny hand-made session the binned-stage tests share: presentations, units with spikes
// placed on purpose (see the comments), and how to run bin_spikes on it in a workspace.

import type { BinSpikesArgs } from '../../stages/binned/bin/args.js';
import { binSpikes } from '../../stages/binned/bin/descriptor.js';
import { stageContext } from '../stage-context.js';
import { writePresentationsArrow, writeUnitsArrow, writeUnitsNwb, type PresentationRow, type UnitRow, type Workspace } from './fixtures.js';

export const BINNED = 'data/binned/session_42';

/** Static gratings (0.2502 s → 14 bins) and one movie (two repeats, D = 0.1 s → 5 bins). */
export const PRESENTATIONS: PresentationRow[] = [
  { presentation_id: 3, stimulus_name: 'static_gratings', start_time: 100, stop_time: 100.2502, duration: 0.2502, stimulus_block: 1, params: { orientation: 0, phase: 0.5, spatial_frequency: 0.04 } },
  { presentation_id: 4, stimulus_name: 'static_gratings', start_time: 101, stop_time: 101.2502, duration: 0.2502, stimulus_block: 1, params: { orientation: 90, phase: 0, spatial_frequency: 0.08 } },
  // A blank sweep (orientation is text, hence null): dropped by §5's null filter for gratings.
  { presentation_id: 5, stimulus_name: 'static_gratings', start_time: 102, stop_time: 102.2502, duration: 0.2502, stimulus_block: 1, params: { orientation: '[0, 90]', phase: 0, spatial_frequency: 0.08 } },
  // Whole movies after §3: frame is null, duration the sum of the frames'.
  { presentation_id: 7, stimulus_name: 'natural_movie_one', start_time: 200, stop_time: 200.1, duration: 0.1, stimulus_block: 2, params: { frame: null } },
  { presentation_id: 8, stimulus_name: 'natural_movie_one', start_time: 201, stop_time: 201.05, duration: 0.05, stimulus_block: 2, params: { frame: null } },
];

const saturating = Array.from({ length: 300 }, (_, i) => 101.105 + i * 1e-6);

/** NWB row order 10, 11, 12; session order 12, 10; unit 11 is not kept. */
export const UNITS: UnitRow[] = [
  { unit_id: 10, structure: 'CA1', order: 1, spikes: [101, ...saturating, 200.09, 201.03] },
  { unit_id: 11, structure: 'VISp', order: null, spikes: [100.1, 200.05] },
  // 100 + 3 * 0.02 is exactly the inner edge between bins 2 and 3 of presentation 3.
  { unit_id: 12, structure: 'VISp', order: 0, spikes: [99.99, 100.005, 100 + 3 * 0.02, 100.275, 100.5, 102.01, 200.01, 201.05, 201.07] },
];

export async function writeSession(ws: Workspace, o: { presentations?: PresentationRow[]; units?: UnitRow[] } = {}): Promise<BinSpikesArgs> {
  const units = o.units ?? UNITS;
  await writeUnitsNwb(ws.path('data/raw/session_42/session_42.nwb'), units);
  writeUnitsArrow(ws.path('data/extract/session_42/units.arrow'), units);
  writePresentationsArrow(ws.path('data/presentations/filtered/session_42.arrow'), o.presentations ?? PRESENTATIONS);
  return {
    session_id: 42,
    nwb: 'data/raw/session_42/session_42.nwb',
    units: 'data/extract/session_42/units.arrow',
    presentations: 'data/presentations/filtered/session_42.arrow',
    out_dir: BINNED,
  };
}

export async function runBinSpikes(ws: Workspace, args: BinSpikesArgs) {
  const ctx = stageContext({ workspace: ws.dir, args, outs: [BINNED] });
  const impl = await binSpikes.load();
  await impl.run(ctx as never);
  return ctx;
}
