// Loading the published per-session counts and sizing a synthetic session like one of them.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPublishedCounts, parsePublishedCounts, sizeLikePublished } from '../../stages/allen/synthetic/index.js';
import { SHARED_DIR } from './helpers.js';

const TSV = path.join(SHARED_DIR, 'data/published/derived_per_session_counts.tsv');

describe.skipIf(!existsSync(TSV))('published per-session counts', () => {
  it('reads the 58 sessions with their type, kept units, presentations and gaze', async () => {
    const counts = await loadPublishedCounts(TSV);
    expect(counts.size).toBe(58);
    expect(counts.get(715093703)).toEqual({
      sessionId: 715093703,
      sessionType: 'brain_observatory_1.1',
      unitsKept: 884,
      hasGaze: false,
      presentations: { drifting_gratings: 597, flashes: 150, gabors: 3644, natural_movie_one: 20, natural_movie_three: 9, natural_scenes: 5899, static_gratings: 5809 },
    });
    const fc = counts.get(766640955);
    expect(fc).toMatchObject({ sessionType: 'functional_connectivity', unitsKept: 842, hasGaze: true });
    // A BO session that also showed drifting_gratings_contrast stays BO.
    expect(counts.get(761418226)).toMatchObject({ sessionType: 'brain_observatory_1.1', hasGaze: true });
    expect(counts.get(761418226)?.presentations['drifting_gratings_contrast']).toBe(540);
  });

  it('sizes a session so that about as many units pass the filter', async () => {
    const session = (await loadPublishedCounts(TSV)).get(715093703);
    if (session === undefined) throw new Error('session 715093703 missing');
    const like = sizeLikePublished(session);
    expect(like.sessionType).toBe('brain_observatory_1.1');
    expect(like.withGaze).toBe(false);
    expect(like.units * 0.34).toBeCloseTo(884, -1);
    expect(like.presentations['gabors']).toBe(3644);
  });
});

describe('parsePublishedCounts', () => {
  it('reports a missing column', () => {
    expect(() => parsePublishedCounts('session_id\tstimulus\n1\tgabors\n')).toThrow(/no column n_presentations/);
  });
});
