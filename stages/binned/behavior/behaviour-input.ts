// A session's behaviour series from extract's directory (stages/README.md,
// `data/extract/session_<id>/`), shaped as the core's §7 functions take them.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StageError } from '../../../engine/builtin/types.js';
import { readTableFile } from '../../tables/index.js';
import type { BehaviourSeries, RawGazeMappingInput } from '../core/index.js';

export const RUNNING_SPEED_FILE = 'running_speed.arrow';
export const GAZE_FILE = 'gaze.arrow';
export const SESSION_FILE = 'session.json';

const REPAIR = 're-run extract for this session';

export async function readRunningSpeed(sessionDir: string): Promise<{ readonly file: string; readonly series: BehaviourSeries }> {
  const file = join(sessionDir, RUNNING_SPEED_FILE);
  const t = await readTableFile(file);
  return { file, series: { timestamps: t.numbers('timestamps'), data: t.numbers('velocity') } };
}

/**
 * Whether the session has gaze (§7: both gaze modules): session.json's `has_gaze`, or without
 * session.json, whether gaze.arrow exists. A session.json that promises gaze without the file is
 * an extract output out of step.
 */
export function hasGaze(sessionDir: string): boolean {
  const sessionFile = join(sessionDir, SESSION_FILE);
  const gazeFile = join(sessionDir, GAZE_FILE);
  if (!existsSync(sessionFile)) return existsSync(gazeFile);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(sessionFile, 'utf8')) as unknown;
  } catch (e) {
    throw new StageError(`${sessionFile}: cannot read (${(e as Error).message})`, REPAIR);
  }
  const flag = (json as { has_gaze?: unknown } | null)?.has_gaze;
  if (typeof flag !== 'boolean') throw new StageError(`${sessionFile}: 'has_gaze' is not true or false`, REPAIR);
  if (flag && !existsSync(gazeFile)) throw new StageError(`${sessionFile} says the session has gaze, but ${gazeFile} is missing`, REPAIR);
  return flag;
}

/**
 * gaze.arrow as the core's RawGazeMappingInput. The file holds the six §7 variables already
 * separated; the core takes the NWB layout, where screen coordinates are (N, 2) = [y, x], so the
 * columns are interleaved back into that layout and the core picks them apart again — one rule
 * for which column is x, kept in one place (core/behaviour.ts).
 */
export async function readGaze(sessionDir: string): Promise<{ readonly file: string; readonly gaze: RawGazeMappingInput }> {
  const file = join(sessionDir, GAZE_FILE);
  const t = await readTableFile(file);
  const timestamps = t.numbers('timestamps');
  const column = (name: string) => t.numbers(name);
  const pairs = (y: Float64Array, x: Float64Array) => {
    const data = new Float64Array(2 * y.length);
    for (let k = 0; k < y.length; k++) {
      data[2 * k] = y[k]!;
      data[2 * k + 1] = x[k]!;
    }
    return { timestamps, data };
  };
  return {
    file,
    gaze: {
      eye_area: { timestamps, data: column('raw_eye_area') },
      pupil_area: { timestamps, data: column('raw_pupil_area') },
      screen_coordinates: pairs(column('raw_screen_coordinates_y_cm'), column('raw_screen_coordinates_x_cm')),
      screen_coordinates_spherical: pairs(column('raw_screen_coordinates_spherical_y_deg'), column('raw_screen_coordinates_spherical_x_deg')),
    },
  };
}
