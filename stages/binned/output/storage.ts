// How data variables are stored (binned-dataset.md §10): chunked + deflate by default, or
// contiguous and uncompressed like the published files (`compression: none`). Coordinates are
// always contiguous: they are small and every reader loads them whole.

/** The `compression` parameter. */
export type Compression =
  | { readonly kind: 'gzip'; /** zlib level 1–9. */ readonly level?: number }
  | { readonly kind: 'none' };

/**
 * Level 4, h5py's default. Measured through this writer on a 504 MB int8 spike_data tensor
 * (6000 × 14 × 6000, 0/1 at ~10% density with lognormal per-unit rates), chunk-aligned blocks,
 * CPU time of the writing process (h5wasm's zlib is single-threaded wasm):
 *
 *   level 1: ~55–80 MB/s, 75 MB file   level 4: ~30–45 MB/s, 57 MB   level 6: ~10 MB/s, 50 MB
 *   none:    ~500 MB/s, 504 MB
 *
 * Level 6 and up cost 3× the time of level 4 for 13% less; level 1 is the choice when writing
 * speed matters more than 30% larger files. Sparser data compresses faster (2% density: ~80 MB/s
 * at level 4, 21 MB).
 */
export const DEFAULT_GZIP_LEVEL = 4;
export const DEFAULT_COMPRESSION: Compression = { kind: 'gzip', level: DEFAULT_GZIP_LEVEL };

/**
 * Target uncompressed chunk size. Below the 1 MiB default chunk cache of HDF5 (and so of h5py and
 * h5netcdf), so that a reader walking one chunk row or column never re-inflates a chunk, and
 * large enough that per-chunk overhead (B-tree entry, deflate stream) stays negligible: on the
 * tensor above, 64 KiB and 1 MiB chunks gave the same file size (±1%) and write speeds within
 * the run-to-run noise. With
 * it, h5py reads one presentation of that tensor in ~35 ms and one unit in ~70 ms.
 */
export const TARGET_CHUNK_BYTES = 256 * 1024;

export type Storage =
  | { readonly layout: 'contiguous' }
  | { readonly layout: 'chunked'; readonly chunks: readonly number[]; readonly gzipLevel: number };

export function validateCompression(c: Compression): void {
  if (c.kind === 'gzip' && c.level !== undefined && !(Number.isInteger(c.level) && c.level >= 1 && c.level <= 9)) {
    throw new RangeError(`gzip level must be an integer from 1 to 9, got ${c.level}`);
  }
}

/** Storage of a data variable of `shape`, keeping the axes in `wholeAxes` unsplit. */
export function dataStorage(options: {
  readonly compression: Compression;
  readonly shape: readonly number[];
  readonly itemSize: number;
  readonly wholeAxes?: readonly number[];
}): Storage {
  const { compression } = options;
  switch (compression.kind) {
    case 'none':
      return { layout: 'contiguous' };
    case 'gzip':
      return {
        layout: 'chunked',
        chunks: chooseChunkShape({ ...options, targetBytes: TARGET_CHUNK_BYTES }),
        gzipLevel: compression.level ?? DEFAULT_GZIP_LEVEL,
      };
    default: {
      const never: never = compression;
      throw new Error(`unknown compression ${JSON.stringify(never)}`);
    }
  }
}

/**
 * A chunk shape of at most `targetBytes` (unless the unsplit axes alone exceed it).
 *
 * The splittable axes shrink by halving, always the one that is currently the largest *fraction*
 * of its extent, so they shrink in proportion and the chunk keeps the dataset's aspect ratio. For
 * spike_data (presentation_id, time, unit_id) with time kept whole, reading one presentation then
 * costs U·pc·T bytes of chunks and reading one unit P·uc·T: the two are balanced, each a small
 * fraction of the dataset, instead of one of them being the whole dataset.
 */
export function chooseChunkShape(options: {
  readonly shape: readonly number[];
  readonly itemSize: number;
  readonly targetBytes: number;
  readonly wholeAxes?: readonly number[];
}): number[] {
  const { shape, itemSize, targetBytes } = options;
  const whole = new Set(options.wholeAxes ?? []);
  // HDF5 refuses a chunk dimension of 0 even for an empty extent.
  const chunk = shape.map((n) => Math.max(1, n));
  const bytes = (): number => chunk.reduce((a, b) => a * b, itemSize);
  while (bytes() > targetBytes) {
    let pick = -1;
    let pickFraction = 0;
    chunk.forEach((c, axis) => {
      if (whole.has(axis) || c === 1) return;
      const fraction = c / Math.max(1, shape[axis]!);
      if (fraction > pickFraction || (fraction === pickFraction && c > chunk[pick]!)) {
        pick = axis;
        pickFraction = fraction;
      }
    });
    if (pick < 0) break;
    chunk[pick] = Math.ceil(chunk[pick]! / 2);
  }
  return chunk;
}
