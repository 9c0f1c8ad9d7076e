// Finding a session file in a local directory laid out like the ecephys cache: a lab's existing
// AllenSDK cache or a mounted copy of the bucket. When it is not there the error says what the
// directory does hold, because the usual causes are a wrong directory or a session the lab
// never downloaded, and the listing tells them apart at a glance.

import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StageError } from '../../../engine/builtin/types.js';
import { compareSessionIds, sessionNwbPath } from './allen-layout.js';

const LIST_LIMIT = 20;

function listing(names: readonly string[]): string {
  if (names.length === 0) return '(nothing)';
  const shown = names.slice(0, LIST_LIMIT).join(', ');
  return names.length > LIST_LIMIT ? `${shown}, … (${names.length - LIST_LIMIT} more)` : shown;
}

async function entries(dir: string): Promise<{ name: string; isDir: boolean }[]> {
  const list = await readdir(dir, { withFileTypes: true });
  return list.map((d) => ({ name: d.name, isDir: d.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Accepts the cache directory or its manifest.json (whose BASEDIR is "."; spec §9.1). */
export function cacheRoot(dirOrManifest: string): string {
  return basename(dirOrManifest) === 'manifest.json' ? dirname(dirOrManifest) : dirOrManifest;
}

/** Absolute path of the session NWB inside the cache, or a StageError describing the cache. */
export async function locateLocalSession(cacheDir: string, id: string): Promise<string> {
  const root = cacheRoot(cacheDir);
  const file = sessionNwbPath(root, id);
  try {
    const s = await stat(file);
    if (s.isFile()) return file;
    throw new StageError(`session ${id}: ${file} exists but is not a regular file`);
  } catch (err) {
    if (err instanceof StageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
  }

  let top: { name: string; isDir: boolean }[];
  try {
    top = await entries(root);
  } catch {
    throw new StageError(
      `local cache directory ${root} does not exist or cannot be read`,
      'Point the local source at an AllenSDK ecephys cache directory (the one holding manifest.json and session_<id>/ folders).',
    );
  }

  const folder = `session_${id}`;
  if (top.some((e) => e.isDir && e.name === folder)) {
    const inside = (await entries(join(root, folder))).map((e) => e.name);
    throw new StageError(
      `session ${id} not found in local cache ${root}: ${file} is missing; ${folder}/ contains: ${listing(inside)}`,
      'The session folder exists without its NWB (AllenSDK downloads LFP and metrics files separately, and ' +
        'deletes files that failed to open). Download the session into that cache, or use the HTTP source.',
    );
  }

  const sessions = top
    .map((e) => (e.isDir ? /^session_(\d+)$/.exec(e.name)?.[1] : undefined))
    .filter((s): s is string => s !== undefined)
    .sort(compareSessionIds);
  if (sessions.length > 0) {
    throw new StageError(
      `session ${id} not found in local cache ${root}; it holds ${sessions.length} session(s): ${listing(sessions)}`,
      'Pick one of those sessions, download the missing one into the cache, or use the HTTP source.',
    );
  }
  throw new StageError(
    `session ${id} not found in local cache ${root}, which has no session_<id>/ folders; it contains: ${listing(top.map((e) => (e.isDir ? `${e.name}/` : e.name)))}`,
    'Is this the ecephys cache directory? It is the one holding manifest.json, sessions.csv and session_<id>/ folders.',
  );
}
