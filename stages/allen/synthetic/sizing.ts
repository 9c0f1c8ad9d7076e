// How `scale` maps to the size of a synthetic session.
//
// scale = 1 is a real session: ~2,800 units (allen-nwb-layout.md §3: 2,779 and 2,890 rows),
// 6 probes × 384 channels, the full ~3 h stimulus timeline with the real presentation counts
// (§5.2), ~10^8 spikes. Smaller scales shrink unit counts, presentation counts and spontaneous
// blocks proportionally; every quirk (blank sweeps, outliers, truncated repeat, …) is kept by
// per-stimulus minimum counts (timeline/plan.ts).
//
// Below TINY_SCALE the file itself must stay far below 1 MB, which the real structure forbids:
// a 900-frame movie repeat alone is ~300 kB of table rows, and 2,304 electrode rows ~200 kB. Tiny
// sessions therefore show 30 frames (1 s) per movie repeat and keep every 48th channel of each
// probe (8 of 384, with their real positions). Everything else keeps the real layout.

export const TINY_SCALE = 0.01;

/** Units of a real session (including noise units). */
export const REAL_UNITS = 2800;
export const CHANNELS_PER_PROBE = 384;

export interface Sizing {
  readonly scale: number;
  /** Units in /units, noise units included. */
  readonly units: number;
  /** Electrode rows per probe (384 real; a subset of the real channels in tiny sessions). */
  readonly channelsPerProbe: number;
  /** Frames per movie repeat; undefined = the real 900 / 3600. */
  readonly movieFrames: number | undefined;
  /** Small sessions (scale < TINY_SCALE): shortened movies, fewer channels, brisk pacing. */
  readonly tiny: boolean;
  /** Presentation counts (movie: repeats) per stimulus, overriding the scaled real counts. */
  readonly presentations: Readonly<Partial<Record<string, number>>>;
}

export interface SizingOptions {
  readonly scale: number;
  readonly units?: number;
  readonly presentations?: Readonly<Partial<Record<string, number>>>;
}

export function sizingFor(opts: SizingOptions): Sizing {
  const { scale } = opts;
  if (!(scale > 0 && scale <= 2)) throw new RangeError(`scale must be in (0, 2], got ${scale}`);
  const tiny = scale < TINY_SCALE;
  return {
    scale,
    units: opts.units ?? Math.max(12, Math.round(REAL_UNITS * scale)),
    channelsPerProbe: tiny ? 8 : CHANNELS_PER_PROBE,
    movieFrames: tiny ? 30 : undefined,
    tiny,
    presentations: opts.presentations ?? {},
  };
}

/** A real count scaled down, but never below `min`. */
export function scaled(real: number, scale: number, min: number): number {
  return Math.max(min, Math.round(real * scale));
}
