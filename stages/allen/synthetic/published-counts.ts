// The per-session counts of the published binned dataset (shared
// data/published/derived_per_session_counts.tsv: one row per session and stimulus with the kept
// units and presentations), and sizing a synthetic session like one of them.
//
// Published presentations are counted after the median-duration filter and blank removal, and
// movies in repeats; units after AllenSDK's default filter. A synthetic session sized from them
// gets those presentation counts and enough units that about as many pass the filter.

import { readFile } from 'node:fs/promises';
import type { SessionType } from './timeline/catalog.js';

export interface PublishedSessionCounts {
  readonly sessionId: number;
  readonly sessionType: SessionType;
  /** Units kept by the default filter (the same for every stimulus of a session). */
  readonly unitsKept: number;
  /** Presentations per stimulus (movies: repeats), as published. */
  readonly presentations: Readonly<Record<string, number>>;
  /** Whether the published files carry gaze data for the session. */
  readonly hasGaze: boolean;
}

/**
 * Stimuli shown only in functional_connectivity sessions (drifting_gratings_contrast is not one:
 * eight published BO sessions show it too).
 */
const FC_ONLY = new Set(['dot_motion', 'drifting_gratings_75_repeats', 'natural_movie_one_more_repeats']);

/** Fraction of units passing the default filter in synthetic sessions (~1/3, as in the real data). */
export const EXPECTED_PASS_FRACTION = 0.34;

export async function loadPublishedCounts(tsvPath: string): Promise<Map<number, PublishedSessionCounts>> {
  return parsePublishedCounts(await readFile(tsvPath, 'utf8'));
}

export function parsePublishedCounts(tsv: string): Map<number, PublishedSessionCounts> {
  const lines = tsv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split('\t');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`published counts: no column ${name}`);
    return i;
  };
  const [iSession, iStimulus, iPresentations, iUnits, iGaze] = [col('session_id'), col('stimulus'), col('n_presentations'), col('n_units'), col('gaze_nc_bytes')];
  const acc = new Map<number, { units: number; gaze: boolean; presentations: Record<string, number> }>();
  for (const line of lines) {
    const cells = line.split('\t');
    const sessionId = Number(cells[iSession]);
    const entry = acc.get(sessionId) ?? { units: Number(cells[iUnits]), gaze: false, presentations: {} };
    entry.presentations[cells[iStimulus] as string] = Number(cells[iPresentations]);
    entry.gaze ||= (cells[iGaze] ?? '').trim() !== '';
    acc.set(sessionId, entry);
  }
  const out = new Map<number, PublishedSessionCounts>();
  for (const [sessionId, e] of [...acc.entries()].sort(([a], [b]) => a - b)) {
    const fc = Object.keys(e.presentations).some((s) => FC_ONLY.has(s));
    out.set(sessionId, {
      sessionId,
      sessionType: fc ? 'functional_connectivity' : 'brain_observatory_1.1',
      unitsKept: e.units,
      presentations: e.presentations,
      hasGaze: e.gaze,
    });
  }
  return out;
}

/** Options for writeSyntheticSession that size a session like a published one (use scale 1). */
export function sizeLikePublished(counts: PublishedSessionCounts): {
  readonly sessionType: SessionType;
  readonly units: number;
  readonly presentations: Readonly<Record<string, number>>;
  readonly withGaze: boolean;
} {
  return {
    sessionType: counts.sessionType,
    withGaze: counts.hasGaze,
    units: Math.max(12, Math.round(counts.unitsKept / EXPECTED_PASS_FRACTION)),
    presentations: counts.presentations,
  };
}
