// The post-close object-header patch: h5wasm's stand-ins become h5py's bool enum and
// null-terminated vlen strings, readable by the HDF5 C library; patching twice changes nothing.

import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchObjectHeaders } from '../../stages/allen/synthetic/hdf5/header-patch.js';
import { H5Writer } from '../../stages/allen/synthetic/hdf5/writer.js';
import { HAVE_H5PY, makeTempDir, PYTHON, type TempDir } from './helpers.js';

const READ = `
import sys, json, h5py
f = h5py.File(sys.argv[1], "r")
d = f["g/flags"]
t = d.id.get_type()
a = f["g"].attrs.get_id("flag").get_type()
s = f["g/names"].id.get_type()
print(json.dumps({
  "values": [bool(v) for v in d[:]],
  "cls": [t.get_class() == h5py.h5t.ENUM, a.get_class() == h5py.h5t.ENUM],
  "members": [t.get_member_name(i).decode() for i in range(t.get_nmembers())],
  "flag": bool(f["g"].attrs["flag"]),
  "names": [x.decode() for x in f["g/names"][:]],
  "pad": [s.get_strpad() == h5py.h5t.STR_NULLTERM, f["g"].attrs.get_id("description").get_type().get_strpad() == h5py.h5t.STR_NULLTERM],
  "big": f["g/big"][[0, 4, 9]].tolist(),
}))
`;

describe.skipIf(!HAVE_H5PY)('object header patch', () => {
  let tmp: TempDir;
  let file: string;
  let first: { enums: number; strings: number };

  beforeAll(async () => {
    tmp = makeTempDir();
    file = `${tmp.dir}/patch.h5`;
    await H5Writer.load();
    const w = H5Writer.create(file);
    try {
      w.group('/g');
      w.attrStr('/g', 'description', 'a group');
      w.attrBool('/g', 'flag', true);
      w.bools('/g/flags', Int8Array.from([1, 0, 0, 1]));
      w.strs('/g/names', ['VISp', '', 'CA1']);
      w.preallocateF64('/g/big', [10]);
      w.writeRows('/g/big', 0, Float64Array.from({ length: 10 }, (_, i) => i / 2));
    } finally {
      w.close();
    }
    first = patchObjectHeaders(file, await H5Writer.objectAddresses(file));
  });
  afterAll(() => tmp.remove());

  it('turns the placeholders into enums and the strings null-terminated', () => {
    expect(first).toEqual({ enums: 2, strings: 2 });
    const got = JSON.parse(execFileSync(PYTHON, ['-c', READ, file], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(got).toEqual({
      values: [true, false, false, true],
      cls: [true, true],
      members: ['FALSE', 'TRUE'],
      flag: true,
      names: ['VISp', '', 'CA1'],
      pad: [true, true],
      big: [0, 2, 4.5],
    });
  });

  it('is idempotent', async () => {
    const before = readFileSync(file);
    expect(patchObjectHeaders(file, await H5Writer.objectAddresses(file))).toEqual({ enums: 0, strings: 0 });
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
