// Loading h5wasm, and the one thing its high-level API cannot do: create a large dataset without
// handing it the whole contents.
//
// h5wasm is imported lazily (style.md §10): code that only needs the types of this module does not
// load 4 MB of wasm. Its Node build uses Emscripten NODERAWFS, so HDF5's POSIX I/O goes straight
// to the host file and the wasm heap only holds the block being read or written.

import { openSync, closeSync } from 'node:fs';
import { devNull } from 'node:os';
import type { Dataset, Group } from 'h5wasm/node';
import { withPinnedClock } from './pinned-clock.js';

export type H5Wasm = typeof import('h5wasm/node');
export type H5Module = Awaited<H5Wasm['ready']>;
export interface H5Runtime {
  readonly lib: H5Wasm;
  readonly module: H5Module;
}

let loading: Promise<H5Runtime> | undefined;

export function loadH5(): Promise<H5Runtime> {
  loading ??= import('h5wasm/node').then(async (lib) => ({ lib, module: await lib.ready }));
  return loading;
}

export interface UninitialisedDatasetSpec {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
}

/**
 * Creates a contiguous dataset whose storage is allocated at its first write (HDF5's default
 * "late" allocation for contiguous layout), so that the caller can fill it with `write_slice`.
 *
 * Why this is not `Group.create_dataset`: h5wasm's create_dataset always ends with one H5Dwrite
 * of the full extent (hdf5_util.cc `create_dataset`), so it needs the whole contents in the wasm
 * heap, and a contiguous dataset cannot be created empty and extended later (HDF5 refuses
 * "extendible contiguous non-external dataset"). Its C binding is therefore called with a NULL
 * buffer: H5Dcreate2 succeeds, the H5Dwrite that follows fails with "no input buffer" before any
 * I/O, and that status is discarded by the binding. HDF5 prints that expected error stack to
 * stderr, so Emscripten's stderr stream is pointed at the null device for the call. The dataset
 * is then checked, so a real failure of H5Dcreate2 is still reported.
 */
export function createUninitialisedContiguous(rt: H5Runtime, group: Group, spec: UninitialisedDatasetSpec): Dataset {
  const path = `${group.path === '/' ? '' : group.path}/${spec.name}`;
  const metadata = {
    ...rt.lib.dtype_to_metadata(spec.dtype),
    shape: spec.shape.map(BigInt),
    maxshape: spec.shape.map(BigInt),
    chunks: null,
    compression: 0,
    compression_opts: [],
    track_order: true,
  };
  // The binding takes h5wasm's internal write metadata; this is what Group.create_dataset passes.
  const writeMetadata = metadata as unknown as Parameters<H5Module['create_dataset']>[3];
  withPinnedClock(() => withSilencedHdf5Errors(rt, () => rt.module.create_dataset(group.file_id, path, 0n, writeMetadata)));
  const created = group.get(spec.name);
  const shape = created instanceof rt.lib.Dataset ? created.shape : null;
  if (!shape || shape.length !== spec.shape.length || shape.some((n, i) => n !== spec.shape[i])) {
    throw new Error(`HDF5 could not create dataset ${path} with shape [${spec.shape.join(', ')}]`);
  }
  return created as Dataset;
}

/**
 * Runs `call` with the wasm HDF5's stderr (Emscripten stream 2, a NODERAWFS stream that writes to
 * host fd `nfd`) sent to the null device. If the stream does not look as expected (another
 * Emscripten version), the call runs unchanged and the diagnostic is merely visible.
 */
function withSilencedHdf5Errors<T>(rt: H5Runtime, call: () => T): T {
  const fs = rt.module.FS as unknown as { getStream?: (fd: number) => { nfd?: unknown } | null };
  const stream = typeof fs.getStream === 'function' ? fs.getStream(2) : null;
  if (!stream || typeof stream.nfd !== 'number') return call();
  const saved = stream.nfd;
  const sink = openSync(devNull, 'w');
  stream.nfd = sink;
  try {
    return call();
  } finally {
    stream.nfd = saved;
    closeSync(sink);
  }
}
