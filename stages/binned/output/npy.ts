// NumPy `.npy` files, format version 1.0, written as a stream of blocks.
//
// Layout (numpy.lib.format, "NPY format version 1.0"): the magic string "\x93NUMPY", the version
// bytes 1 and 0, a little-endian uint16 HEADER_LEN, then HEADER_LEN bytes of ASCII: a Python dict
// literal with the keys 'descr', 'fortran_order' and 'shape', padded with spaces and ended by a
// newline so that magic + version + length + header is a multiple of 64 bytes (NumPy ≥ 1.14 pads
// to 64 so the data can be memory-mapped aligned; readers accept any padding). The raw array
// bytes follow in C order. Version 1.0 limits HEADER_LEN to 65535, far above what a dtype and a
// few dimensions need.

import { open, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';

/** The dtypes we write; all little-endian ('|' = byte order not applicable). */
export type NpyDtype = '|i1' | '|u1' | '<f4' | '<f8' | '<i8';

export const NPY_ITEM_SIZE: Readonly<Record<NpyDtype, number>> = { '|i1': 1, '|u1': 1, '<f4': 4, '<f8': 8, '<i8': 8 };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const PREAMBLE_BYTES = MAGIC.length + 2 + 2;
const ALIGNMENT = 64;

/** Magic, version, length and padded header dict: everything before the data. */
export function npyHeader(options: { readonly dtype: NpyDtype; readonly shape: readonly number[] }): Uint8Array {
  for (const n of options.shape) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`invalid npy dimension ${n}`);
  }
  // Python's repr of a tuple: a 1-tuple needs its trailing comma.
  const dims = options.shape.map(String);
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  const dict = `{'descr': '${options.dtype}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = PREAMBLE_BYTES + dict.length + 1; // + the final newline
  const total = Math.ceil(unpadded / ALIGNMENT) * ALIGNMENT;
  const headerLength = total - PREAMBLE_BYTES;
  if (headerLength > 0xffff) throw new RangeError('npy header too long for format version 1.0');
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerLength & 0xff;
  out[9] = headerLength >> 8;
  const text = dict.padEnd(headerLength - 1, ' ') + '\n';
  for (let i = 0; i < text.length; i++) out[PREAMBLE_BYTES + i] = text.charCodeAt(i);
  return out;
}

/**
 * A `.npy` file being written: the header at creation, then `write` blocks of data in C order,
 * then `close`, which checks that exactly shape × item size bytes arrived.
 */
export class NpyWriter {
  private written = 0;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    private readonly dataBytes: number,
  ) {}

  static async create(options: {
    readonly path: string;
    readonly dtype: NpyDtype;
    readonly shape: readonly number[];
  }): Promise<NpyWriter> {
    // Typed arrays use the host byte order, and every dtype we declare is little-endian.
    if (endianness() !== 'LE') throw new Error('writing .npy files needs a little-endian host');
    const header = npyHeader(options);
    const dataBytes = options.shape.reduce((a, b) => a * b, NPY_ITEM_SIZE[options.dtype]);
    const handle = await open(options.path, 'w');
    try {
      await handle.write(header);
    } catch (e) {
      await handle.close();
      throw e;
    }
    return new NpyWriter(handle, options.path, dataBytes);
  }

  async write(block: ArrayBufferView): Promise<void> {
    if (this.closed) throw new Error(`${this.path} was already closed`);
    if (this.written + block.byteLength > this.dataBytes) {
      throw new RangeError(`${this.path}: more than the ${this.dataBytes} data bytes its shape declares`);
    }
    await this.handle.write(new Uint8Array(block.buffer, block.byteOffset, block.byteLength));
    this.written += block.byteLength;
  }

  /** Closes the file; throws if fewer bytes than the shape declares were written. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
    if (this.written !== this.dataBytes) {
      throw new Error(`${this.path}: ${this.written} of ${this.dataBytes} data bytes written`);
    }
  }

  /** Closes the file without the size check, e.g. after a failure. */
  async discard(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/** Writes a whole array at once. */
export async function writeNpy(options: {
  readonly path: string;
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  readonly data: ArrayBufferView;
}): Promise<void> {
  const writer = await NpyWriter.create(options);
  try {
    await writer.write(options.data);
  } catch (e) {
    await writer.discard();
    throw e;
  }
  await writer.close();
}
