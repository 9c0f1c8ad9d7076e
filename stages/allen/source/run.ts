// The `download` built-in: puts session_<id>.nwb at its declared output, from
// - allen: the public bucket layout, streamed, resumed and verified (../download/);
// - local: a directory laid out like an AllenSDK ecephys cache, copied, never modified;
// - synthetic: generated in the exact Allen layout (../synthetic/), sized like the real session.
// Every file that came from outside is opened and its /identifier checked against the session id,
// as AllenSDK does, before it is accepted.
import { mkdir, rename } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { StageError, type BuiltinContext } from '../../../engine/builtin/types.js';
import { ALLEN_S3_BASE_URL, copyLocalFile, downloadFile, locateLocalSession, sessionNwbUrl, type TransferProgress } from '../download/index.js';
import { formatCount, formatDuration } from '../../../engine/log/format.js';
import { withNwbSession } from '../nwb/index.js';
import { writeSyntheticSession } from '../synthetic/index.js';
import { publishedSession, publishedSessionIds } from './sessions.js';

interface Args {
  session_id: number;
  out: string;
  source: { kind: 'allen' | 'local' | 'synthetic'; base_url?: string; dir?: string; retries?: number; stall_timeout_s?: number };
  synthetic?: { seed?: number; scale?: number };
}

async function checkIdentifier(file: string, id: number): Promise<void> {
  const identifier = await withNwbSession(file, (s) => s.identifier());
  if (identifier.trim() !== String(id)) {
    throw new StageError(`${file}: /identifier is '${identifier}', but this is session ${id}`, 'the source holds a different session under this name; check params.source');
  }
}

/** `downloading session 1: 48.2 MB/s, 1m05s left`: what a person watching a transfer wants. */
function transferNote(what: string, p: TransferProgress): string {
  const rate = p.bytesPerSecond > 0 ? `, ${formatCount(p.bytesPerSecond, 'bytes')}/s` : '';
  const eta = p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds) ? `, ${formatDuration(p.etaSeconds * 1000)} left` : '';
  return `${what}${rate}${eta}`;
}

/** Each session gets its own seed, derived from the base seed and its id (FNV-1a, 32 bit). */
export function sessionSeed(base: number, id: number): number {
  let h = 0x811c9dc5;
  for (const c of `${base}:${id}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

export default {
  async run(ctx: BuiltinContext<Args>): Promise<void> {
    const { session_id: id, source } = ctx.args;
    const dest = ctx.output(ctx.args.out);
    await mkdir(dirname(dest), { recursive: true });
    const label = `session ${id}`;
    switch (source.kind) {
      case 'synthetic': {
        const facts = publishedSession(id);
        if (!facts) {
          throw new StageError(
            `session ${id} is not one of the 58 sessions of the published dataset, so there is nothing to model a synthetic session on`,
            `use ids such as ${publishedSessionIds().slice(0, 4).join(', ')} (see stages/allen/published-sessions.json)`,
          );
        }
        const written = await writeSyntheticSession({
          dir: dirname(dest),
          sessionId: id,
          sessionType: facts.sessionType,
          seed: sessionSeed(ctx.args.synthetic?.seed ?? 1, id),
          scale: ctx.args.synthetic?.scale ?? 0.05,
          withGaze: facts.hasGaze,
          onProgress: (done, total) => ctx.progress({ done, total, unit: 'units', message: 'writing synthetic session' }),
        });
        if (written.path !== dest) await rename(written.path, dest);
        ctx.log(`synthetic ${facts.sessionType} session: ${written.units} units (${written.unitsPassingFilter} pass the filter), ${written.spikes} spikes, ${written.bytes} bytes`);
        return;
      }
      case 'local': {
        if (!source.dir) throw new StageError('params.source.dir is empty', 'set it to a local ecephys cache directory (or its manifest.json) when source.kind is local');
        const src = await locateLocalSession(resolve(ctx.workspace, source.dir), String(id));
        await copyLocalFile({
          src,
          dest,
          label,
          verify: (tmp) => checkIdentifier(tmp, id),
          onProgress: (p) => ctx.progress({ done: p.done, total: p.total, unit: 'bytes', message: transferNote(`copying ${label}`, p) }),
          signal: ctx.signal,
        });
        return;
      }
      case 'allen': {
        // Partial downloads live outside the staging area, which is cleared between runs, so an
        // interrupted multi-GB download resumes where it stopped.
        const partial = join(ctx.workspace, '.pipe', 'downloads', `session_${id}.nwb`);
        await downloadFile({
          url: sessionNwbUrl(source.base_url ?? ALLEN_S3_BASE_URL, String(id)),
          dest: partial,
          label,
          verify: (tmp) => checkIdentifier(tmp, id),
          onProgress: (p) => ctx.progress({ done: p.done, total: p.total, unit: 'bytes', message: transferNote(`downloading ${label}`, p) }),
          signal: ctx.signal,
          ...(source.retries !== undefined ? { retries: source.retries } : {}),
          ...(source.stall_timeout_s !== undefined ? { stallTimeoutMs: source.stall_timeout_s * 1000 } : {}),
        });
        await rename(partial, dest);
        return;
      }
      default: {
        const never: never = source.kind;
        throw new StageError(`unknown source kind ${String(never)}`);
      }
    }
  },
};
