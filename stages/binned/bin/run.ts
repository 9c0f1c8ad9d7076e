// bin_spikes@<id>: one session's spike counts per output stimulus type (binned-dataset.md §5–§6),
// written to data/binned/session_<id>/ as stages/README.md describes.

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StageError, type BuiltinContext, type BuiltinImplementation } from '../../../engine/builtin/types.js';
import { withNwbSession, type NwbSessionFile } from '../../allen/nwb/index.js';
import { NpyWriter } from '../../arrays/npy-writer.js';
import { firstUnordered } from '../core/index.js';
import { resolveSettings, type BinSpikesArgs } from './args.js';
import { countsFile, writeBinnedIndex, writeTypeMetadata } from './binned-files.js';
import { planTypes, typeMetadata } from './plan.js';
import { readPresentationTable } from './presentations-input.js';
import { binSession } from './session-binning.js';
import { readKeptUnits, type KeptUnit } from './units-input.js';
import { outputDir } from './output-dir.js';

async function run(ctx: BuiltinContext<BinSpikesArgs>): Promise<void> {
  const args = ctx.args;
  const settings = resolveSettings(args);
  const input = (p: string) => resolve(ctx.workspace, p);
  const nwbFile = input(args.nwb);
  const units = await readKeptUnits(input(args.units));
  const presentationsFile = input(args.presentations);
  const plans = planTypes({ table: await readPresentationTable(presentationsFile), types: settings.types, binWidth: settings.binWidth, file: presentationsFile });
  const outDir = outputDir(ctx, args.out_dir);
  mkdirSync(outDir, { recursive: true });

  // §1: a session without kept units contributes nothing to any type.
  const present = units.length === 0 ? [] : plans;
  if (units.length === 0) ctx.log(`no kept units in ${args.units}: no stimulus type has data`);

  for (const plan of present) {
    writeTypeMetadata(outDir, typeMetadata({ plan, sessionId: settings.sessionId, binWidth: settings.binWidth, units }));
  }
  if (present.length > 0) {
    await withNwbSession(nwbFile, (session) => {
      checkUnitsMatch(session, units, nwbFile, args.units);
      const writers = present.map((plan) =>
        NpyWriter.create({ path: join(outDir, countsFile(plan.name)), dtype: '|u1', shape: [plan.selected.id.length, plan.nBins, units.length] }),
      );
      try {
        ctx.progress({ done: 0, total: units.length, unit: 'units' });
        binSession({
          plans: present,
          nUnits: units.length,
          spikesOf: (u) => spikeTrain(session, units[u]!, nwbFile),
          writers,
          signal: ctx.signal,
          onProgress: (done) => ctx.progress({ done, total: units.length, unit: 'units' }),
        });
      } finally {
        for (const w of writers) w.close();
      }
    });
  }
  writeBinnedIndex(outDir, { session_id: settings.sessionId, stimulus_types: present.map((p) => p.name) });
}

/** units.arrow must describe this NWB: same unit id in each referenced row. */
function checkUnitsMatch(session: NwbSessionFile, units: readonly KeptUnit[], nwbFile: string, unitsFile: string): void {
  const table = session.units();
  for (const u of units) {
    if (!Number.isInteger(u.nwbRow) || u.nwbRow < 0 || u.nwbRow >= table.rows || table.id[u.nwbRow] !== u.unitId) {
      throw new StageError(
        `${unitsFile}: unit ${u.unitId} (NWB row ${u.nwbRow}) is not in ${nwbFile}`,
        're-run extract for this session: its units table was made from another file',
      );
    }
  }
}

/** The merge sweep needs ascending times; a file that breaks this would be binned wrongly. */
function spikeTrain(session: NwbSessionFile, unit: KeptUnit, nwbFile: string): Float64Array {
  const spikes = session.spikeTimes(unit.nwbRow);
  const i = firstUnordered(spikes);
  if (i >= 0) {
    throw new StageError(
      `${nwbFile}: /units/spike_times of unit ${unit.unitId} (row ${unit.nwbRow}) are not ascending: ` +
        `value ${i} is ${spikes[i]} after ${i > 0 ? spikes[i - 1] : 'nothing'}`,
      'the file is damaged or was not written by the Allen SDK; re-download it',
    );
  }
  return spikes;
}

const implementation: BuiltinImplementation<BinSpikesArgs> = { run };
export default implementation;
