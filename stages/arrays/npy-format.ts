// The NumPy `.npy` header (format version 1.0; numpy/lib/format.py, "Format Version 1.0"):
//
//   "\x93NUMPY" | major 1 | minor 0 | header length (uint16, little-endian) | header text
//
// The header text is the repr of a Python dict, `{'descr': '<f4', 'fortran_order': False,
// 'shape': (3, 4), }`, padded with spaces and ended by '\n' so that the data starts at a multiple
// of 64 bytes (NumPy's alignment; it lets numpy.load memory-map the data aligned). Only C order
// and the five dtypes the pipeline writes are supported. The reader also accepts versions 2.0 and
// 3.0 (a 4-byte header length), which NumPy writes for very long headers.

import { StageError } from '../../engine/builtin/types.js';

/** The dtypes the pipeline's tensors use (stages/README.md). */
export type NpyDtype = '|u1' | '|i1' | '<f4' | '<f8' | '<i8';

/** The typed array that holds each dtype's elements. */
export interface NpyArrayOf {
  '|u1': Uint8Array;
  '|i1': Int8Array;
  '<f4': Float32Array;
  '<f8': Float64Array;
  '<i8': BigInt64Array;
}

export type NpyArray = NpyArrayOf[NpyDtype];

export const BYTES_PER_ELEMENT: Readonly<Record<NpyDtype, number>> = {
  '|u1': 1,
  '|i1': 1,
  '<f4': 4,
  '<f8': 8,
  '<i8': 8,
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ALIGNMENT = 64;

export interface NpyHeader {
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  /** Byte offset of the first element. */
  readonly dataOffset: number;
}

/** Number of elements of a shape (1 for the 0-d shape `()`). */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`invalid .npy dimension ${d}`);
    n *= d;
  }
  return n;
}

/** Python's repr of a tuple of ints: `()`, `(3,)`, `(3, 4)`. */
function shapeRepr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The complete header (magic through the final '\n') for a C-order array. */
export function encodeNpyHeader(options: { readonly dtype: NpyDtype; readonly shape: readonly number[] }): Uint8Array {
  elementCount(options.shape); // validates the dimensions
  const dict = `{'descr': '${options.dtype}', 'fortran_order': False, 'shape': ${shapeRepr(options.shape)}, }`;
  const prefix = MAGIC.length + 2 + 2;
  // +1 for the terminating newline, then pad up to the alignment.
  const total = Math.ceil((prefix + dict.length + 1) / ALIGNMENT) * ALIGNMENT;
  const headerLength = total - prefix;
  if (headerLength > 0xffff) throw new RangeError('.npy header too long for format version 1.0');
  const bytes = new Uint8Array(total);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  bytes[8] = headerLength & 0xff;
  bytes[9] = headerLength >> 8;
  const text = dict.padEnd(headerLength - 1, ' ') + '\n';
  for (let i = 0; i < text.length; i++) bytes[prefix + i] = text.charCodeAt(i);
  return bytes;
}

/** A file that is not the .npy this code can read: the user fixes it by re-creating the file. */
export class NpyFormatError extends StageError {
  constructor(message: string) {
    super(message, 're-run the stage that wrote this file (it is missing, damaged or from another tool)');
  }
}

/** Leading bytes that tell the header's total length (`npyHeaderLength`). */
export const NPY_PREAMBLE_BYTES = 12;

/** Parses the header at the start of `bytes`, which must hold all of it (`npyHeaderLength`). */
export function decodeNpyHeader(bytes: Uint8Array): NpyHeader {
  const total = npyHeaderLength(bytes);
  if (bytes.length < total) throw new NpyFormatError(`truncated .npy header (${bytes.length} of ${total} bytes)`);
  const start = bytes[6] === 1 ? 10 : 12;
  let text = '';
  for (let i = start; i < total; i++) text += String.fromCharCode(bytes[i]!);
  const descr = /'descr':\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyFormatError(`unreadable .npy header ${JSON.stringify(text.trim())}`);
  }
  if (!isDtype(descr)) throw new NpyFormatError(`unsupported .npy dtype '${descr}' (supported: |u1, |i1, <f4, <f8, <i8)`);
  if (fortran === 'True') throw new NpyFormatError('Fortran-order .npy files are not supported');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const d = Number(s.replace(/L$/, ''));
      if (!Number.isSafeInteger(d) || d < 0) throw new NpyFormatError(`invalid .npy dimension '${s}'`);
      return d;
    });
  return { dtype: descr, shape, dataOffset: total };
}

/** Total header length (magic to the first data byte) from the first NPY_PREAMBLE_BYTES bytes. */
export function npyHeaderLength(bytes: Uint8Array): number {
  if (bytes.length < NPY_PREAMBLE_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new NpyFormatError('not a .npy file (missing the \\x93NUMPY magic)');
  }
  const major = bytes[6]!;
  if (major === 1) return 10 + (bytes[8]! | (bytes[9]! << 8));
  if (major === 2 || major === 3) {
    return 12 + (bytes[8]! | (bytes[9]! << 8) | (bytes[10]! << 16)) + bytes[11]! * 2 ** 24;
  }
  throw new NpyFormatError(`unsupported .npy format version ${major}.${bytes[7]}`);
}

function isDtype(s: string): s is NpyDtype {
  return Object.hasOwn(BYTES_PER_ELEMENT, s);
}

/** A typed array of `length` elements of `dtype` over `buffer` from `byteOffset`. */
export function typedView<D extends NpyDtype>(dtype: D, buffer: ArrayBufferLike, byteOffset: number, length: number): NpyArrayOf[D] {
  switch (dtype) {
    case '|u1':
      return new Uint8Array(buffer, byteOffset, length) as NpyArrayOf[D];
    case '|i1':
      return new Int8Array(buffer, byteOffset, length) as NpyArrayOf[D];
    case '<f4':
      return new Float32Array(buffer, byteOffset, length) as NpyArrayOf[D];
    case '<f8':
      return new Float64Array(buffer, byteOffset, length) as NpyArrayOf[D];
    case '<i8':
      return new BigInt64Array(buffer, byteOffset, length) as NpyArrayOf[D];
    default:
      throw new RangeError(`unknown dtype ${String(dtype)}`);
  }
}

/** The dtype whose typed array `data` is, so writers can check what they are given. */
export function dtypeOf(data: NpyArray): NpyDtype {
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof Int8Array) return '|i1';
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  return '<i8';
}
