"""Loads .npy files with numpy.load and prints dtype, shape and values (flattened, C order) as
JSON, plus the raw header facts numpy.lib.format reports.

usage: npy_load.py <file> [<file> ...]
"""
import json
import math
import sys

import numpy as np


def plain(values):
    flat = values.ravel().tolist()
    return [None if isinstance(v, float) and math.isnan(v) else v for v in flat]


def main():
    out = {}
    for path in sys.argv[1:]:
        array = np.load(path, allow_pickle=False)
        with open(path, "rb") as f:
            version = np.lib.format.read_magic(f)
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
            data_offset = f.tell()
        out[path] = {
            "dtype": array.dtype.str,
            "shape": list(array.shape),
            "values": plain(array),
            "version": list(version),
            "header_shape": list(shape),
            "fortran_order": fortran,
            "data_offset": data_offset,
        }
    print(json.dumps(out))


main()
