// `.npy` reader by element ranges: opens the file, parses the header, and reads any slice of
// elements with a positioned read, so a stage can walk a multi-hundred-MB tensor a block at a
// time (what memory-mapping would give, without the mapping).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  BYTES_PER_ELEMENT,
  decodeNpyHeader,
  elementCount,
  NPY_PREAMBLE_BYTES,
  npyHeaderLength,
  NpyFormatError,
  typedView,
  type NpyArrayOf,
  type NpyDtype,
  type NpyHeader,
} from './npy-format.js';
import { requireLittleEndianHost } from './npy-writer.js';

export class NpyReader {
  /** Number of elements. */
  readonly length: number;
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    readonly header: NpyHeader,
    fd: number,
  ) {
    this.length = elementCount(header.shape);
    this.fd = fd;
  }

  /** Opens and checks the header and the file size; NpyFormatError (naming the file) if wrong. */
  static open(path: string): NpyReader {
    requireLittleEndianHost();
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw new NpyFormatError(`${path}: cannot open (${(e as Error).message})`);
    }
    try {
      const preamble = readExactly(fd, 0, NPY_PREAMBLE_BYTES);
      const header = decodeNpyHeader(readExactly(fd, 0, npyHeaderLength(preamble)));
      const expected = header.dataOffset + elementCount(header.shape) * BYTES_PER_ELEMENT[header.dtype];
      const size = fstatSync(fd).size;
      if (size !== expected) throw new NpyFormatError(`file is ${size} bytes, its header describes ${expected}`);
      return new NpyReader(path, header, fd);
    } catch (e) {
      closeSync(fd);
      if (e instanceof NpyFormatError) throw new NpyFormatError(`${path}: ${e.message}`);
      throw e;
    }
  }

  get dtype(): NpyDtype {
    return this.header.dtype;
  }

  get shape(): readonly number[] {
    return this.header.shape;
  }

  /** Elements [start, start + count) in C order, as a fresh typed array of the file's dtype. */
  read(start: number, count: number): NpyArrayOf[NpyDtype] {
    if (this.fd === undefined) throw new Error(`${this.path}: read after close`);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || start < 0 || count < 0 || start + count > this.length) {
      throw new RangeError(`${this.path}: elements ${start}..${start + count} outside 0..${this.length}`);
    }
    const size = BYTES_PER_ELEMENT[this.dtype];
    let bytes: Uint8Array;
    try {
      bytes = readExactly(this.fd, this.header.dataOffset + start * size, count * size);
    } catch (e) {
      // The size was checked at open: the file changed since.
      if (e instanceof NpyFormatError) throw new NpyFormatError(`${this.path}: ${e.message}`);
      throw e;
    }
    return typedView(this.dtype, bytes.buffer, bytes.byteOffset, count);
  }

  /** Like `read`, but checks the dtype so the result is typed for the caller. */
  readAs<D extends NpyDtype>(dtype: D, start: number, count: number): NpyArrayOf[D] {
    if (this.dtype !== dtype) throw new NpyFormatError(`${this.path}: holds ${this.dtype}, expected ${dtype}`);
    return this.read(start, count) as NpyArrayOf[D];
  }

  /** Idempotent. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}

function readExactly(fd: number, position: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, bytes, done, length - done, position + done);
    if (n === 0) throw new NpyFormatError(`unexpected end of file at byte ${position + done}`);
    done += n;
  }
  return bytes;
}

/** A whole (small) array: header and elements. */
export function readNpy(path: string): { readonly header: NpyHeader; readonly data: NpyArrayOf[NpyDtype] } {
  const reader = NpyReader.open(path);
  try {
    return { header: reader.header, data: reader.read(0, reader.length) };
  } finally {
    reader.close();
  }
}
