// Writes one synthetic `session_<id>.nwb` in the on-disk layout of the Allen Visual Coding –
// Neuropixels session files (shared/specs/allen-nwb-layout.md).
//
// Phases: plan everything in memory (timeline, probes, units, spike counts; all small), write the
// file with the JavaScript clock pinned (HDF5 modification times, see ./clock.ts), then patch the
// object headers h5wasm cannot produce (./hdf5/header-patch.ts). The same options give the same
// bytes: all randomness comes from labelled streams of `seed`, object ids included.

import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PinnedClock } from './clock.js';
import { planChannels, planProbes } from './ephys/probes.js';
import { passesDefaultFilter, planUnits } from './ephys/units.js';
import { patchObjectHeaders } from './hdf5/header-patch.js';
import { H5Writer } from './hdf5/writer.js';
import { Nwb } from './nwb/conventions.js';
import { writeElectrodes, writeProbes } from './nwb/electrodes.js';
import { writeEyeTracking, writeRigMetadata } from './nwb/eye.js';
import { drawOptoPulses, writeOptotagging } from './nwb/optotagging.js';
import { presentationStarts, writeInvalidTimes, writePresentationTables, writeStimulusTimestamps } from './nwb/presentations.js';
import { drawDates, writeRoot } from './nwb/root.js';
import { writeRunning } from './nwb/running.js';
import { writeUnits } from './nwb/units.js';
import { Rng } from './random.js';
import { sizingFor } from './sizing.js';
import { SpikeModel } from './spikes/generate.js';
import { buildSegments } from './spikes/segments.js';
import { drawTuning } from './spikes/tuning.js';
import type { SessionType } from './timeline/catalog.js';
import { drawTextColumns } from './timeline/cells.js';
import { drawInvalidTimes } from './timeline/invalid.js';
import { buildTimeline } from './timeline/schedule.js';

export interface SyntheticSessionOptions {
  /** Directory to write into (created if missing); the file is `<dir>/session_<sessionId>.nwb`. */
  readonly dir: string;
  readonly sessionId: number;
  readonly sessionType: SessionType;
  readonly seed: number;
  /** (0, 2]: 1 is a real-size session; below 0.01 a tiny one (see ./sizing.ts). */
  readonly scale: number;
  /** Eye tracking and gaze mapping modules (default true); false as in sessions without them. */
  readonly withGaze?: boolean;
  /** /intervals/invalid_times (default true); real FC sessions may lack it. */
  readonly withInvalidTimes?: boolean;
  /** /processing/optotagging (default true). */
  readonly withOptotagging?: boolean;
  /** Overrides the number of units (noise included) implied by `scale`. */
  readonly units?: number;
  /** Overrides presentation counts per stimulus name (movies: repeats). */
  readonly presentations?: Readonly<Partial<Record<string, number>>>;
  /** Called as units' spikes and waveforms are written (at most ~100 times). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SyntheticSessionSummary {
  readonly path: string;
  readonly bytes: number;
  /** Rows of /units, noise units included. */
  readonly units: number;
  /** Units that AllenSDK's default filter keeps (binned-dataset.md §1). */
  readonly unitsPassingFilter: number;
  readonly spikes: number;
  /** Rows over all `*_presentations` tables (spontaneous included). */
  readonly presentations: number;
  readonly presentationsByStimulus: Readonly<Record<string, number>>;
  /** Time covered by the spike trains (s). */
  readonly sessionSeconds: number;
}

export async function writeSyntheticSession(opts: SyntheticSessionOptions): Promise<SyntheticSessionSummary> {
  if (!Number.isSafeInteger(opts.sessionId) || opts.sessionId <= 0) throw new RangeError(`sessionId must be a positive integer, got ${opts.sessionId}`);
  if (!Number.isSafeInteger(opts.seed)) throw new RangeError(`seed must be an integer, got ${opts.seed}`);
  const { seed, sessionId, sessionType } = opts;
  const stream = (label: string): Rng => Rng.of(seed, label);
  const sizing = sizingFor({ scale: opts.scale, ...(opts.units !== undefined ? { units: opts.units } : {}), ...(opts.presentations !== undefined ? { presentations: opts.presentations } : {}) });

  // ---- plan ----
  const dates = drawDates(stream('dates'));
  const timeline = buildTimeline({ sessionType, sizing, rng: stream('timeline') });
  const probes = planProbes(stream('probes'));
  const channels = planChannels({ probes, channelsPerProbe: sizing.channelsPerProbe, rng: stream('channels') });
  const units = planUnits({ count: sizing.units, probes, channels, rng: stream('units') });
  const opto = opts.withOptotagging === false ? undefined : drawOptoPulses({ t0: timeline.end + Math.max(0.5, 60 * sizing.scale), scale: sizing.scale, brisk: sizing.tiny, rng: stream('optotagging') });
  const lastEvent = opto === undefined ? timeline.end : (opto.stop[opto.stop.length - 1] as number);
  const sessionSeconds = lastEvent + Math.max(0.5, 20 * sizing.scale);
  const segments = buildSegments(timeline, sessionSeconds);
  const tunings = Array.from({ length: units.count }, (_, u) => drawTuning(Rng.of(seed, 'tuning', u)));
  const model = new SpikeModel(segments, seed);
  const counts = Float64Array.from(tunings, (t, u) => model.count(u, t));
  const invalid = opts.withInvalidTimes === false ? [] : drawInvalidTimes({ timeline, sessionId, probes, full: !sizing.tiny, rng: stream('invalid-times') });
  const textColumns = drawTextColumns(timeline.tables, stream('text-columns'));
  const starts = presentationStarts(timeline.tables);
  const behaviourFrom = Math.max(0, timeline.start - (sizing.tiny ? 0.1 : 1));

  // ---- write ----
  await mkdir(opts.dir, { recursive: true });
  const file = path.join(opts.dir, `session_${sessionId}.nwb`);
  await H5Writer.load();
  const clock = new PinnedClock(dates.fileCreateMs);
  const progressEvery = Math.max(1, Math.floor(units.count / 100));
  let spikes = 0;
  try {
    clock.run(() => {
      const h5 = H5Writer.create(file);
      try {
        const nwb = new Nwb(h5, stream('object-ids'));
        writeRoot(nwb, { sessionId, sessionType, dates, rng: stream('subject') });
        writeProbes(nwb, probes);
        writeElectrodes(nwb, { probes, channels });
        writeStimulusTimestamps(nwb, starts);
        writePresentationTables(nwb, { tables: timeline.tables, starts, textColumns });
        if (invalid.length > 0) writeInvalidTimes(nwb, invalid);
        writeRunning(nwb, { from: behaviourFrom, to: sessionSeconds, rng: stream('running') });
        writeRigMetadata(nwb, stream('rig'));
        if (opts.withGaze !== false) writeEyeTracking(nwb, { from: behaviourFrom, to: sessionSeconds, rng: stream('eye') });
        if (opto !== undefined) writeOptotagging(nwb, opto);
        spikes = writeUnits(nwb, {
          units,
          channels,
          channelsPerProbe: sizing.channelsPerProbe,
          tunings,
          counts,
          model,
          sessionSeconds,
          seed,
          onUnit: (done, total) => {
            if (opts.onProgress !== undefined && (done % progressEvery === 0 || done === total)) clock.outside(() => opts.onProgress?.(done, total));
          },
        }).spikes;
      } finally {
        h5.close();
      }
    });
    patchObjectHeaders(file, await H5Writer.objectAddresses(file));
  } catch (e) {
    await rm(file, { force: true });
    throw e;
  }

  let unitsPassingFilter = 0;
  for (let u = 0; u < units.count; u++) if (passesDefaultFilter(units, channels, u)) unitsPassingFilter++;
  const presentationsByStimulus = Object.fromEntries(timeline.tables.map((t) => [t.name, t.start.length]));
  return {
    path: file,
    bytes: (await stat(file)).size,
    units: units.count,
    unitsPassingFilter,
    spikes,
    presentations: starts.length,
    presentationsByStimulus,
    sessionSeconds,
  };
}
