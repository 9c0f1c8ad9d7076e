// `write_h5` / `subset_natural_visual`: one per-stimulus file (binned-dataset.md §8). Sessions in
// ascending id, structures in ascending acronym; each structure's group gets the session's
// presentations, speed and gaze (the published files repeat them per structure) and its own
// units' slice of the spike tensor, streamed in blocks of presentations: the binarized tensor of
// a session is read once, whatever the number of structures.
import { dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { BuiltinContext } from '../../../engine/builtin/types.js';
import { pipeVersion } from '../../../engine/util/package.js';
import { DEFAULT_GZIP_LEVEL, openStimulusFile, type Compression, type SpikeDataWriter } from '../output/index.js';
import { readSessionInput, type SessionInput } from './session-input.js';

interface Args {
  stimulus_type: string;
  sessions: number[];
  binned_dir: string;
  binarized_dir: string;
  behavior_dir: string;
  raw_dir?: string;
  out: string;
  compression?: 'gzip' | 'none';
  gzip_level?: number;
  structure_prefix?: string;
  provenance?: Record<string, unknown>;
}

/** Bytes of spike tensor read per block. */
const BLOCK_BYTES = 16 << 20;

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export default {
  async run(ctx: BuiltinContext<Args>): Promise<void> {
    const a = ctx.args;
    const abs = (p: string) => `${ctx.workspace}/${p}`;
    const out = ctx.output(a.out);
    await mkdir(dirname(out), { recursive: true });
    const sessions = [...a.sessions].sort((x, y) => x - y);
    const sourceHashes: Record<string, string> = {};
    for (const id of sessions) {
      const nwb = `${a.raw_dir ?? 'data/raw'}/session_${id}/session_${id}.nwb`;
      const h = ctx.inputHashes[nwb];
      if (h) sourceHashes[`session_${id}.nwb`] = `xxh3-128:${h}`;
    }
    const compression: Compression = a.compression === 'none' ? { kind: 'none' } : { kind: 'gzip', level: a.gzip_level ?? DEFAULT_GZIP_LEVEL };
    const level = compression.kind === 'gzip' ? { gzip_level: compression.level } : {};
    const parameters = { stimulus_type: a.stimulus_type, sessions, compression: a.compression ?? 'gzip', ...level, ...(a.provenance ?? {}) };
    let writer: Awaited<ReturnType<typeof openStimulusFile>> | undefined;
    let done = 0;
    try {
      for (const id of sessions) {
        ctx.signal.throwIfAborted();
        const input = readSessionInput({
          binnedDir: abs(a.binned_dir),
          binarizedDir: abs(a.binarized_dir),
          behaviorDir: abs(a.behavior_dir),
          sessionId: id,
          stimulusType: a.stimulus_type,
        });
        if (!input) {
          ctx.progress({ done: ++done, total: sessions.length, unit: 'sessions' });
          continue;
        }
        try {
          writer ??= await openStimulusFile({
            path: out,
            compression,
            spikeDtype: input.spikes.dtype === '|u1' ? 'uint8' : 'int8',
            provenance: {
              toolVersion: `pipe ${pipeVersion()} ${ctx.stage.split('@')[0]}`,
              parameters,
              sourceHashes,
            },
          });
          await writeSession(writer, input, a.structure_prefix, ctx.signal);
        } finally {
          input.spikes.close();
        }
        ctx.progress({ done: ++done, total: sessions.length, unit: 'sessions' });
      }
      // A type no session has still gets its (empty) file: every declared output exists.
      writer ??= await openStimulusFile({
        path: out,
        compression,
        provenance: { toolVersion: `pipe ${pipeVersion()} ${ctx.stage.split('@')[0]}`, parameters, sourceHashes },
      });
      await writer.close();
    } catch (e) {
      await writer?.discard();
      throw e;
    }
  },
};

async function writeSession(
  writer: Awaited<ReturnType<typeof openStimulusFile>>,
  s: SessionInput,
  prefix: string | undefined,
  signal: AbortSignal,
): Promise<void> {
  const { meta } = s;
  const structures = [...new Set(meta.structure.filter((x): x is string => x !== null))]
    .filter((x) => prefix === undefined || x.startsWith(prefix))
    .sort(byCodeUnit);
  if (structures.length === 0) return;
  const P = meta.presentation_id.length;
  const T = meta.time.length;
  const U = meta.unit_id.length;
  const presentations = Object.fromEntries(meta.columns) as Record<string, Float64Array>;
  const groups: { positions: number[]; writer: SpikeDataWriter }[] = [];
  for (const structure of structures) {
    const positions: number[] = [];
    meta.structure.forEach((x, i) => x === structure && positions.push(i));
    const spikeWriter = writer.addGroup({
      sessionId: s.sessionId,
      structure,
      presentationIds: meta.presentation_id,
      timeCentres: meta.time,
      unitIds: positions.map((i) => meta.unit_id[i]!),
      presentations,
      speed: s.speed,
      gaze: s.gaze,
    });
    groups.push({ positions, writer: spikeWriter });
  }
  const rowBytes = T * U;
  const rows = Math.max(1, Math.floor(BLOCK_BYTES / Math.max(1, rowBytes)));
  for (let p0 = 0; p0 < P; p0 += rows) {
    signal.throwIfAborted();
    const k = Math.min(rows, P - p0);
    const block = s.spikes.read(p0 * rowBytes, k * rowBytes) as Int8Array | Uint8Array;
    for (const g of groups) {
      const Us = g.positions.length;
      const sub = new (block.constructor as Int8ArrayConstructor | Uint8ArrayConstructor)(k * T * Us);
      // (k, T, U) → (k, T, Us): gather this structure's unit columns, row by row.
      for (let r = 0; r < k * T; r++) {
        const src = r * U;
        const dst = r * Us;
        for (let j = 0; j < Us; j++) sub[dst + j] = block[src + g.positions[j]!]!;
      }
      g.writer.writePresentations(p0, sub);
    }
  }
}
