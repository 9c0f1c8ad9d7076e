// Everything one session contributes to one stimulus file, read from the intermediate files
// (stages/README.md): the binned metadata, speed and gaze at the bins, and a reader over the
// binarized spike tensor.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StageError } from '../../../engine/builtin/types.js';
import { NpyReader } from '../../arrays/npy-reader.js';
import { readBinnedIndex, readTypeMetadata, type BinnedTypeMetadata } from '../bin/binned-files.js';
import { gazeFile, speedFile } from '../behavior/behaviour-files.js';
import { binarizedFile } from '../binarize/run.js';
import { GAZE_VARIABLES, type GazeArrays } from '../output/index.js';

export interface SessionInput {
  readonly sessionId: number;
  readonly meta: BinnedTypeMetadata;
  readonly speed: Float32Array;
  readonly gaze: GazeArrays | null;
  /** (presentation_id, time, unit_id), int8 0/1 or uint8 counts. */
  readonly spikes: NpyReader;
}

const sessionDir = (root: string, id: number) => join(root, `session_${id}`);

/** The session's data for the type, or null when the session has none (§5). */
export function readSessionInput(o: { binnedDir: string; binarizedDir: string; behaviorDir: string; sessionId: number; stimulusType: string }): SessionInput | null {
  const binned = sessionDir(o.binnedDir, o.sessionId);
  if (!readBinnedIndex(binned).stimulus_types.includes(o.stimulusType)) return null;
  const meta = readTypeMetadata(binned, o.stimulusType);
  const P = meta.presentation_id.length;
  const T = meta.time.length;
  const behaviour = sessionDir(o.behaviorDir, o.sessionId);
  const speedReader = NpyReader.open(join(behaviour, speedFile(o.stimulusType)));
  try {
    expectShape(speedReader, [T, P]);
    const speed = speedReader.read(0, T * P) as Float32Array;
    let gaze: GazeArrays | null = null;
    const gazePath = join(behaviour, gazeFile(o.stimulusType));
    if (existsSync(gazePath)) {
      const g = NpyReader.open(gazePath);
      try {
        expectShape(g, [GAZE_VARIABLES.length, T, P]);
        const all = g.read(0, GAZE_VARIABLES.length * T * P) as Float32Array;
        gaze = Object.fromEntries(GAZE_VARIABLES.map((name, i) => [name, all.slice(i * T * P, (i + 1) * T * P)])) as GazeArrays;
      } finally {
        g.close();
      }
    }
    const spikes = NpyReader.open(join(sessionDir(o.binarizedDir, o.sessionId), binarizedFile(o.stimulusType)));
    expectShape(spikes, [P, T, meta.unit_id.length]);
    return { sessionId: o.sessionId, meta, speed, gaze, spikes };
  } finally {
    speedReader.close();
  }
}

function expectShape(r: NpyReader, shape: readonly number[]): void {
  const got = r.header.shape;
  if (got.length !== shape.length || got.some((n, i) => n !== shape[i])) {
    throw new StageError(`${r.path}: shape (${got.join(', ')}), expected (${shape.join(', ')}) from the binned metadata`, 'the intermediate files disagree; rerun with pipe repro --force');
  }
}
