// data/combined_statistics.csv: the pure formatter, and the summary read from our files.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { combinedStatisticsCsv, summarizeStimulusFile } from '../../stages/binned/output/index.js';
import { FIXTURE_GROUPS, makeTempDir, writeFixtureFile } from './fixtures.js';

describe('combinedStatisticsCsv', () => {
  it('sorts by stimulus, session id (numerically) and structure, with Python booleans', () => {
    const csv = combinedStatisticsCsv([
      {
        stimulusType: 'natural_scenes',
        groups: [{ sessionId: 9, structure: 'VISp', nPresentations: 5, nUnits: 3, hasGaze: false }],
      },
      {
        stimulusType: 'gabors',
        groups: [
          { sessionId: 100, structure: 'VISp', nPresentations: 40, nUnits: 2, hasGaze: true },
          { sessionId: 7, structure: 'VISp', nPresentations: 41, nUnits: 1, hasGaze: false },
          { sessionId: 100, structure: 'CA1', nPresentations: 40, nUnits: 12, hasGaze: true },
        ],
      },
    ]);
    expect(csv).toBe(
      [
        'stimulus_type,session_id,brain_structure,n_presentations,n_units,has_gaze_data',
        'gabors,7,VISp,41,1,False',
        'gabors,100,CA1,40,12,True',
        'gabors,100,VISp,40,2,True',
        'natural_scenes,9,VISp,5,3,False',
        '',
      ].join('\n'),
    );
  });

  it('is only the header for no files, and quotes a name that needs it', () => {
    expect(combinedStatisticsCsv([])).toBe('stimulus_type,session_id,brain_structure,n_presentations,n_units,has_gaze_data\n');
    const csv = combinedStatisticsCsv([{ stimulusType: 'x', groups: [{ sessionId: 1, structure: 'a,"b"', nPresentations: 1, nUnits: 1, hasGaze: false }] }]);
    expect(csv.split('\n')[1]).toBe('x,1,"a,""b""",1,1,False');
  });
});

describe('summarizeStimulusFile', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
  });
  afterEach(() => cleanup());

  it('reads every group of a file, named after the file', async () => {
    await mkdir(join(dir, '02_stimulus_types'));
    const path = join(dir, '02_stimulus_types', 'drifting_gratings.h5');
    await writeFixtureFile({ path });
    const summary = await summarizeStimulusFile(path);
    expect(summary).toEqual({
      stimulusType: 'drifting_gratings',
      groups: FIXTURE_GROUPS.map((g) => ({
        sessionId: g.sessionId,
        structure: g.structure,
        nPresentations: g.P,
        nUnits: g.unitIds.length,
        hasGaze: g.gaze,
      })),
    });
    expect(combinedStatisticsCsv([summary]).split('\n').slice(1, 4)).toEqual([
      'drifting_gratings,7,VISp,5,1,False',
      'drifting_gratings,100,CA1,4,3,True',
      'drifting_gratings,100,VISp,4,2,True',
    ]);
  });
});
