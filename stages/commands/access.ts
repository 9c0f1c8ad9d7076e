// `pipe access <stimulus> <structure> <out_dir> [--data spike_data|speed]`: the published
// dataset's access_stimulus_structure — one .npy per session from data/02_stimulus_types.
import { resolve, join } from 'node:path';
import type { ExtensionCommand } from '../../engine/cli/extension.js';
import { findWorkspace } from '../../engine/cli/workspace.js';

export const accessCommand: ExtensionCommand = {
  name: 'access',
  summary: 'export per-session .npy arrays of one stimulus type and brain structure',
  help: `Usage: pipe access <stimulus> <structure> <out_dir> [--data spike_data|speed] [--from DIR]

Writes one .npy file per session that has the structure, named
session_<id>-<stimulus>-<structure>-<data>.npy, from the per-stimulus files of the
binned dataset: spike_data as (unit_id, presentation_id, time), speed as
(presentation_id, time). Loadable with numpy.load.

Options:
      --data D            spike_data (default) or speed
      --from DIR          the per-stimulus files (default: data/02_stimulus_types in the workspace)
  -h, --help              show this help
`,
  options: { data: { type: 'string' }, from: { type: 'string' } },
  positionals: { min: 3, max: 3 },
  async run(io, { values, positionals }) {
    const [stimulus, structure, outDir] = positionals as [string, string, string];
    const ws = findWorkspace(io.cwd) ?? io.cwd;
    const dataDir = values.from ? resolve(io.cwd, values.from as string) : join(ws, 'data/02_stimulus_types');
    const { accessStimulusStructure } = await import('../binned/output/index.js');
    const written = await accessStimulusStructure({
      dataDir,
      stimulus,
      structure,
      outDir: resolve(io.cwd, outDir),
      data: (values.data as 'spike_data' | 'speed' | undefined) ?? 'spike_data',
    });
    for (const w of written) io.stdout(`${w.path}\n`);
    io.stderr(`${written.length} file${written.length === 1 ? '' : 's'} written\n`);
    return 0;
  },
};
