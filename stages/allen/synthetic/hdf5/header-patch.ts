// Post-close rewrite of HDF5 version-1 object headers, for the two datatype details h5wasm 0.10
// cannot produce (HDF5 File Format Specification 3.0, §IV.A.1.a "Version 1 Data Object Header
// Prefix", §IV.A.2.d "Datatype Message", §IV.A.2.m "Attribute Message"):
//
// 1. Bool enums. AllenSDK/h5py store bools as an enum over int8 {FALSE=0, TRUE=1}
//    (allen-nwb-layout.md §0.6). The writer stores a one-member int8 compound instead (identical
//    1-byte storage); here its datatype message (≥ 64 bytes) is replaced by the 38-byte enum
//    message and the freed space becomes a NIL message, exactly as HDF5 itself does when a
//    message shrinks. The header's message count grows by one.
// 2. vlen string padding. h5wasm builds UTF-8 strings from H5T_FORTRAN_S1 (space padded); h5py
//    2.10 builds them from H5T_C_S1 (null terminated). The padding nibble of the VLEN string
//    datatype is flipped in place. Stored strings are length-prefixed, so no data changes.
//
// Only datatype messages of datasets and datatypes inside attribute messages are touched; every
// other byte of the file stays as HDF5 wrote it.

import fs from 'node:fs';
import { BOOL_PLACEHOLDER_MEMBER } from './writer.js';

const MSG_NIL = 0x0000;
const MSG_DATATYPE = 0x0003;
const MSG_ATTRIBUTE = 0x000c;
const MSG_CONTINUATION = 0x0010;

const CLASS_COMPOUND = 6;
const CLASS_VLEN = 9;
const VLEN_TYPE_STRING = 1;
const STRPAD_SPACEPAD = 2;

/** The h5py bool: enum (v1) of 2 members over a little-endian signed 8-bit integer. */
const BOOL_ENUM = Uint8Array.from([
  0x18, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // class 8 v1, 2 members, element size 1
  0x10, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, // base: int8, signed, LE
  ...asciiPadded8('FALSE'),
  ...asciiPadded8('TRUE'),
  0x00, 0x01, // values
]);
const BOOL_ENUM_PADDED = round8(BOOL_ENUM.length);

export interface PatchCounts {
  /** Placeholder compounds rewritten into bool enums (datasets plus attributes). */
  readonly enums: number;
  /** vlen UTF-8 string datatypes switched from space padding to null termination. */
  readonly strings: number;
}

/** Patches the object headers at `addresses` (deduplicated by the caller or not) in place. */
export function patchObjectHeaders(filePath: string, addresses: Iterable<number>): PatchCounts {
  const fd = fs.openSync(filePath, 'r+');
  let enums = 0;
  let strings = 0;
  try {
    for (const address of new Set(addresses)) {
      const r = patchHeader(fd, address);
      enums += r.enums;
      strings += r.strings;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { enums, strings };
}

function patchHeader(fd: number, address: number): PatchCounts {
  const prefix = readAt(fd, address, 16);
  const view = new DataView(prefix.buffer);
  if (view.getUint8(0) !== 1) throw new Error(`object header at ${address} is not version 1`);
  let messageCount = view.getUint16(2, true);
  const chunks: { at: number; length: number }[] = [{ at: address + 16, length: view.getUint32(8, true) }];
  let enums = 0;
  let strings = 0;
  for (let c = 0; c < chunks.length; c++) {
    const { at, length } = chunks[c] as { at: number; length: number };
    const buf = readAt(fd, at, length);
    const dv = new DataView(buf.buffer);
    let dirty = false;
    for (let p = 0; p + 8 <= length; ) {
      const type = dv.getUint16(p, true);
      const size = dv.getUint16(p + 2, true);
      if (type === MSG_CONTINUATION) {
        chunks.push({ at: Number(dv.getBigUint64(p + 8, true)), length: Number(dv.getBigUint64(p + 16, true)) });
      } else if (type === MSG_DATATYPE) {
        const data = buf.subarray(p + 8, p + 8 + size);
        if (fixStringPadding(data)) {
          strings++;
          dirty = true;
        } else if (isBoolPlaceholder(data)) {
          shrinkIntoEnum(buf, p, size);
          enums++;
          messageCount++;
          dirty = true;
        }
      } else if (type === MSG_ATTRIBUTE) {
        const r = patchAttribute(buf, p, size);
        if (r !== 'none') dirty = true;
        if (r === 'string') strings++;
        if (r === 'enum') {
          enums++;
          messageCount++;
        }
      }
      p += 8 + size;
    }
    if (dirty) fs.writeSync(fd, buf, 0, length, at);
  }
  if (messageCount !== view.getUint16(2, true)) {
    view.setUint16(2, messageCount, true);
    fs.writeSync(fd, prefix, 0, 4, address);
  }
  return { enums, strings };
}

/** A VLEN string datatype padded with spaces gets null termination. Returns whether it changed. */
function fixStringPadding(dt: Uint8Array): boolean {
  const cls = (dt[0] as number) & 0x0f;
  const bits = dt[1] as number;
  if (cls !== CLASS_VLEN || (bits & 0x0f) !== VLEN_TYPE_STRING || bits >> 4 !== STRPAD_SPACEPAD) return false;
  dt[1] = bits & 0x0f;
  return true;
}

function isBoolPlaceholder(dt: Uint8Array): boolean {
  if (dt.length < 16 || ((dt[0] as number) & 0x0f) !== CLASS_COMPOUND) return false;
  const dv = new DataView(dt.buffer, dt.byteOffset, dt.byteLength);
  if (dv.getUint16(1, true) !== 1 || dv.getUint32(4, true) !== 1) return false;
  const nameEnd = dt.indexOf(0, 8);
  return nameEnd > 8 && Buffer.from(dt.subarray(8, nameEnd)).toString('latin1') === BOOL_PLACEHOLDER_MEMBER;
}

/** Rewrites the datatype message at `p` (data size `size`) into the enum plus a NIL message. */
function shrinkIntoEnum(buf: Uint8Array, p: number, size: number): void {
  const freed = size - BOOL_ENUM_PADDED;
  if (freed < 8) throw new Error('placeholder datatype message too small to rewrite');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  dv.setUint16(p + 2, BOOL_ENUM_PADDED, true);
  buf.fill(0, p + 8, p + 8 + size);
  buf.set(BOOL_ENUM, p + 8);
  writeNil(buf, p + 8 + BOOL_ENUM_PADDED, freed - 8);
}

/**
 * A version-1 attribute message: version, reserved, name size, datatype size, dataspace size,
 * then name, datatype and dataspace each padded to 8 bytes, then the data.
 */
function patchAttribute(buf: Uint8Array, p: number, size: number): 'none' | 'string' | 'enum' {
  const d = p + 8;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint8(d) !== 1) throw new Error(`attribute message version ${dv.getUint8(d)} (expected 1)`);
  const nameSize = dv.getUint16(d + 2, true);
  const dtSize = dv.getUint16(d + 4, true);
  const dtAt = d + 8 + round8(nameSize);
  const dt = buf.subarray(dtAt, dtAt + dtSize);
  if (fixStringPadding(dt)) return 'string';
  if (!isBoolPlaceholder(dt)) return 'none';
  const restAt = dtAt + round8(dtSize);
  const rest = buf.slice(restAt, d + size); // dataspace + data
  const freed = round8(dtSize) - BOOL_ENUM_PADDED;
  if (freed < 8) throw new Error('placeholder attribute datatype too small to rewrite');
  dv.setUint16(d + 4, BOOL_ENUM.length, true);
  buf.fill(0, dtAt, d + size);
  buf.set(BOOL_ENUM, dtAt);
  buf.set(rest, dtAt + BOOL_ENUM_PADDED);
  dv.setUint16(p + 2, size - freed, true);
  writeNil(buf, d + size - freed, freed - 8);
  return 'enum';
}

function writeNil(buf: Uint8Array, at: number, dataSize: number): void {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  dv.setUint16(at, MSG_NIL, true);
  dv.setUint16(at + 2, dataSize, true);
  buf.fill(0, at + 4, at + 8 + dataSize);
}

function readAt(fd: number, at: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  const n = fs.readSync(fd, buf, 0, length, at);
  if (n !== length) throw new Error(`short read of object header at ${at}`);
  return buf;
}

function round8(n: number): number {
  return (n + 7) & ~7;
}

function asciiPadded8(text: string): number[] {
  const bytes = Array.from(text, (ch) => ch.charCodeAt(0));
  bytes.push(0);
  while (bytes.length % 8 !== 0) bytes.push(0);
  return bytes;
}
