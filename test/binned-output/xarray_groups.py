"""Opens groups of a per-stimulus file with xarray and prints what it sees as JSON.

usage: xarray_groups.py <file> <engine> <group> [<group> ...]

For each group: the dimensions in order, and for every coordinate and data variable its
dimensions, dtype and values (flattened, C order; NaN as null). Also the root attributes.
"""
import json
import math
import sys

import numpy as np
import xarray as xr


def plain(values):
    flat = np.asarray(values).ravel().tolist()
    return [None if isinstance(v, float) and math.isnan(v) else v for v in flat]


def describe(var):
    return {"dims": list(var.dims), "dtype": str(var.dtype), "shape": list(var.shape), "values": plain(var.values)}


def main():
    path, engine, groups = sys.argv[1], sys.argv[2], sys.argv[3:]
    out = {"xarray": xr.__version__, "groups": {}}
    with xr.open_dataset(path, engine=engine) as root:
        out["root_attrs"] = {k: str(v) for k, v in root.attrs.items()}
    for group in groups:
        with xr.open_dataset(path, group=group, engine=engine) as ds:
            out["groups"][group] = {
                "dims": [[name, int(size)] for name, size in ds.dims.items()],
                "coords": {k: describe(v) for k, v in ds.coords.items()},
                "data_vars": {k: describe(v) for k, v in ds.data_vars.items()},
                "data_var_order": list(ds.data_vars),
            }
    print(json.dumps(out))


main()
