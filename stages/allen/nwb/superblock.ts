// A look at the HDF5 superblock with plain fs reads, before the HDF5 library sees the file.
//
// Why: when H5Fopen fails, the wasm HDF5 prints a multi-line "HDF5-DIAG" error stack to stderr
// (h5wasm offers no H5Eset_auto to silence it) and h5wasm returns a negative id without saying
// why. The two failures a user meets in practice — a file that is not HDF5 at all and a download
// cut short — are recognised here instead, with a message that says which one it is.
//
// Layout (HDF5 File Format Specification 3.0, §II.A "Disk Format: Level 0A – Format Signature
// and Superblock"): the 8-byte signature sits at byte 0, 512, 1024, 2048, … (a user block may
// precede it). Superblock versions 0 and 1 continue with version bytes, the size of offsets at
// byte 13, flags, and then the base address, free-space address, end-of-file address and driver
// block address; version 1 adds 4 bytes before the addresses. Versions 2 and 3 store the size of
// offsets at byte 9 and then the base, extension and end-of-file addresses from byte 12. HDF5
// itself refuses a file shorter than the stored end-of-file address ("truncated file", the
// `eof < stored_eof` test of H5F__super_read); the same test is made here, so a file the library
// would open is never refused.

import { promises as fs } from 'node:fs';

export const HDF5_SIGNATURE = Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a);

export type SuperblockCheck =
  | { readonly kind: 'ok'; readonly version: number; readonly superblockAt: number }
  | { readonly kind: 'not-hdf5'; readonly size: number }
  | { readonly kind: 'truncated'; readonly size: number; readonly expectedSize: number };

/** Reads at most a few hundred bytes; never the data. */
export async function checkSuperblock(file: string): Promise<SuperblockCheck> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    for (let at = 0; at + 16 <= size; at = at === 0 ? 512 : at * 2) {
      const head = Buffer.alloc(64);
      const { bytesRead } = await handle.read(head, 0, head.length, at);
      if (!startsWithSignature(head.subarray(0, bytesRead))) continue;
      const version = head[8] ?? -1;
      const expectedSize = endOfFileAddress(head.subarray(0, bytesRead), version);
      // An undefined address (all bits set) or an unknown version: let the library judge.
      if (expectedSize === undefined) return { kind: 'ok', version, superblockAt: at };
      if (size < expectedSize) return { kind: 'truncated', size, expectedSize };
      return { kind: 'ok', version, superblockAt: at };
    }
    return { kind: 'not-hdf5', size };
  } finally {
    await handle.close();
  }
}

function startsWithSignature(bytes: Uint8Array): boolean {
  if (bytes.length < HDF5_SIGNATURE.length) return false;
  return HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

function endOfFileAddress(sb: Buffer, version: number): number | undefined {
  let offsetSize: number | undefined;
  let firstAddress: number;
  let eofIndex: number; // which address, counting from the first
  if (version === 0 || version === 1) {
    offsetSize = sb[13];
    firstAddress = version === 0 ? 24 : 28;
    eofIndex = 2; // base, free-space, end-of-file
  } else if (version === 2 || version === 3) {
    offsetSize = sb[9];
    firstAddress = 12;
    eofIndex = 2; // base, superblock extension, end-of-file
  } else {
    return undefined;
  }
  if (offsetSize !== 2 && offsetSize !== 4 && offsetSize !== 8) return undefined;
  return readAddress(sb, firstAddress + eofIndex * offsetSize, offsetSize);
}

/** Little-endian unsigned address; undefined for the "undefined address" (all bits set) or past the buffer. */
function readAddress(b: Buffer, at: number, size: 2 | 4 | 8): number | undefined {
  if (at + size > b.length) return undefined;
  const value = size === 8 ? b.readBigUInt64LE(at) : BigInt(size === 4 ? b.readUInt32LE(at) : b.readUInt16LE(at));
  const undefinedAddress = (1n << BigInt(8 * size)) - 1n;
  if (value === undefinedAddress || value > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(value);
}
