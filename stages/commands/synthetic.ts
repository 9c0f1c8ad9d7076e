// `pipe synthetic <session_id> [--scale S] [--seed N] [--out DIR]`: writes one synthetic session
// file in the exact Allen layout, sized and typed like the published session (for benchmarks and
// for trying the pipeline at real scale).
import { resolve } from 'node:path';
import type { ExtensionCommand } from '../../engine/cli/extension.js';
import { StageError } from '../../engine/builtin/types.js';
import { formatCount, formatDuration } from '../../engine/log/format.js';

export const syntheticCommand: ExtensionCommand = {
  name: 'synthetic',
  summary: 'write a synthetic session_<id>.nwb in the exact Allen layout',
  help: `Usage: pipe synthetic <session_id> [--scale S] [--seed N] [--out DIR]

Writes DIR/session_<id>.nwb (default DIR: the current directory) in the on-disk
layout of the Allen Visual Coding – Neuropixels session files, typed and sized like
the published session <id>. --scale 1 is a real-size session (~2,800 units, ~10^8
spikes, 2–3 GB); the default pipeline uses 0.05. The same seed gives the same bytes.

Options:
      --scale S           size relative to a real session, in (0, 2] (default 1)
      --seed N            base seed (default 1, as in the default pipeline)
      --out DIR           directory to write into
  -h, --help              show this help
`,
  options: { scale: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(io, { values, positionals }) {
    const id = Number(positionals[0]);
    const scale = values.scale === undefined ? 1 : Number(values.scale);
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isInteger(id) || id <= 0) throw new StageError(`'${positionals[0]}' is not a session id`);
    if (!(scale > 0 && scale <= 2)) throw new StageError(`--scale must be in (0, 2], got '${String(values.scale)}'`);
    if (!Number.isInteger(seed)) throw new StageError(`--seed must be a whole number, got '${String(values.seed)}'`);
    const { publishedSession, publishedSessionIds } = await import('../allen/source/sessions.js');
    const facts = publishedSession(id);
    if (!facts) throw new StageError(`session ${id} is not one of the published sessions`, `for example: ${publishedSessionIds().slice(0, 4).join(', ')}`);
    const { writeSyntheticSession } = await import('../allen/synthetic/index.js');
    const { sessionSeed } = await import('../allen/source/run.js');
    const t0 = performance.now();
    let last = 0;
    const written = await writeSyntheticSession({
      dir: resolve(io.cwd, (values.out as string | undefined) ?? '.'),
      sessionId: id,
      sessionType: facts.sessionType,
      seed: sessionSeed(seed, id),
      scale,
      withGaze: facts.hasGaze,
      onProgress: (done, total) => {
        const now = performance.now();
        if (now - last > 2000 || done === total) {
          last = now;
          io.stderr(`${Math.round((100 * done) / total)}% of units written (${formatDuration(now - t0)})\n`);
        }
      },
    });
    io.stdout(
      `${written.path}: ${facts.sessionType}, ${written.units} units (${written.unitsPassingFilter} pass the filter), ` +
        `${written.spikes} spikes, ${written.presentations} presentations, ${formatCount(written.bytes, 'bytes')} in ${formatDuration(performance.now() - t0)}\n`,
    );
    return 0;
  },
};
