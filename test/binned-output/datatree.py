"""Opens a whole per-stimulus file with xarray's open_datatree if this xarray has it.

usage: datatree.py [<file> [engine]]
prints {"available": false, "xarray": version} when this xarray has no open_datatree, else
{"available": true, "xarray": version, "groups": {path: [data variables]}} (no groups without <file>)
"""
import json
import sys

import xarray as xr


def main():
    if not hasattr(xr, "open_datatree"):
        print(json.dumps({"available": False, "xarray": xr.__version__}))
        return
    if len(sys.argv) < 2:
        print(json.dumps({"available": True, "xarray": xr.__version__}))
        return
    path = sys.argv[1]
    engine = sys.argv[2] if len(sys.argv) > 2 else "h5netcdf"
    tree = xr.open_datatree(path, engine=engine)
    groups = {node.path: sorted(node.ds.data_vars) for node in tree.subtree}
    print(json.dumps({"available": True, "xarray": xr.__version__, "groups": groups}))


main()
