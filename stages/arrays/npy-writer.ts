// Streaming `.npy` writer: the file is created at its final size for a known shape, then blocks
// of elements are written at element offsets, in any order. A session's tensor for one stimulus
// can be hundreds of MB, so no caller has to hold an array whole.
//
// I/O is synchronous on purpose: the stages that write tensors run in worker threads, and the
// unit-block path of bin_spikes writes tens of thousands of short rows, where an await per write
// would cost more than the write itself.

import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { BYTES_PER_ELEMENT, dtypeOf, elementCount, encodeNpyHeader, type NpyArray, type NpyArrayOf, type NpyDtype } from './npy-format.js';

/** Typed arrays use the host's byte order, and the files are little-endian ('<' dtypes). */
export function requireLittleEndianHost(): void {
  if (endianness() !== 'LE') throw new Error('.npy I/O assumes a little-endian host');
}

export class NpyWriter<D extends NpyDtype> {
  /** Number of elements of the whole array. */
  readonly length: number;
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    readonly dtype: D,
    readonly shape: readonly number[],
    /** Byte offset of element 0. */
    readonly dataOffset: number,
    fd: number,
  ) {
    this.length = elementCount(shape);
    this.fd = fd;
  }

  /**
   * Creates (truncating) `path` with the header and its full data size; elements never written
   * read as zero (the file is extended with ftruncate, which leaves a sparse hole).
   */
  static create<D extends NpyDtype>(options: { readonly path: string; readonly dtype: D; readonly shape: readonly number[] }): NpyWriter<D> {
    requireLittleEndianHost();
    const header = encodeNpyHeader(options);
    const fd = openSync(options.path, 'w');
    try {
      writeFully(fd, header, 0);
      ftruncateSync(fd, header.length + elementCount(options.shape) * BYTES_PER_ELEMENT[options.dtype]);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    return new NpyWriter(options.path, options.dtype, [...options.shape], header.length, fd);
  }

  /** Writes `data` as the elements starting at flat (C-order) index `at`. */
  write(data: NpyArrayOf[D], at = 0): void {
    if (this.fd === undefined) throw new Error(`${this.path}: write after close`);
    if (dtypeOf(data) !== this.dtype) throw new TypeError(`${this.path}: writing ${dtypeOf(data)} elements into a ${this.dtype} array`);
    if (!Number.isSafeInteger(at) || at < 0 || at + data.length > this.length) {
      throw new RangeError(`${this.path}: elements ${at}..${at + data.length} outside 0..${this.length}`);
    }
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    writeFully(this.fd, bytes, this.dataOffset + at * BYTES_PER_ELEMENT[this.dtype]);
  }

  /** Idempotent. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}

function writeFully(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  }
}

/** Writes a whole (small) array in one go; the dtype is the typed array's. */
export function writeNpy(options: { readonly path: string; readonly shape: readonly number[]; readonly data: NpyArray }): void {
  const { path, shape, data } = options;
  if (elementCount(shape) !== data.length) throw new RangeError(`${path}: shape [${shape.join(', ')}] does not hold ${data.length} elements`);
  const writer = NpyWriter.create({ path, dtype: dtypeOf(data), shape });
  try {
    writer.write(data as never, 0);
  } finally {
    writer.close();
  }
}
