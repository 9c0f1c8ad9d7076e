// The synthetic session files the dataset benchmarks read, generated once with `pipe synthetic`
// and reused by later runs (a real-size one takes ~40 s and 2.3–2.6 GB). They are laid out like
// an AllenSDK ecephys cache, `<dir>/session_<id>/session_<id>.nwb`, so the pipeline's `local`
// source reads them as it would read a lab's cache.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PIPE } from './pipe-cli.js';
import { runOk } from './proc.js';
import { remove } from './fsx.js';

export interface SessionFile {
  readonly id: number;
  readonly path: string;
  readonly bytes: number;
  /** Seconds spent generating it in this run; null when an earlier run's file was reused. */
  readonly generatedS: number | null;
}

interface Marker {
  readonly id: number;
  readonly scale: number;
  readonly bytes: number;
}

export function sessionPath(cacheDir: string, id: number): string {
  return join(cacheDir, `session_${id}`, `session_${id}.nwb`);
}

/**
 * Reuses the file when the marker written after its generation matches the wanted scale and the
 * file's size (a generation killed half-way leaves no marker, or a file of another size).
 */
export async function ensureSession(o: { readonly cacheDir: string; readonly id: number; readonly scale: number; readonly log: (s: string) => void }): Promise<SessionFile> {
  const dir = join(o.cacheDir, `session_${o.id}`);
  const file = sessionPath(o.cacheDir, o.id);
  const markerFile = join(dir, 'bench-marker.json');
  try {
    const marker = JSON.parse(readFileSync(markerFile, 'utf8')) as Marker;
    const bytes = statSync(file).size;
    if (marker.id === o.id && marker.scale === o.scale && marker.bytes === bytes) return { id: o.id, path: file, bytes, generatedS: null };
  } catch {
    // absent or unreadable: generate
  }
  remove(dir);
  mkdirSync(dir, { recursive: true });
  o.log(`generating synthetic session ${o.id} at scale ${o.scale} (once; later runs reuse it)`);
  const r = await runOk({ cmd: process.execPath, args: [PIPE, 'synthetic', String(o.id), '--scale', String(o.scale), '--out', dir], cwd: dir, what: 'pipe synthetic' });
  const bytes = statSync(file).size;
  writeFileSync(markerFile, JSON.stringify({ id: o.id, scale: o.scale, bytes } satisfies Marker));
  return { id: o.id, path: file, bytes, generatedS: r.wallS };
}
