"""Prints, as JSON, the HDF5 structure of a file as h5py sees it: groups, and for every dataset
its dtype, shape, storage, dimension-scale status and the scales attached to each axis; and the
objects whose link or attribute creation order is not tracked.

usage: h5_layout.py <file>
"""
import json
import sys

import h5py


def text(value):
    return value.decode() if isinstance(value, bytes) else value


def main():
    path = sys.argv[1]
    groups, datasets = [], {}
    untracked = []  # groups without link creation order, objects without attribute creation order
    with h5py.File(path, "r") as f:
        root_attrs = {k: text(v) for k, v in f.attrs.items()}

        def visit(name, obj):
            plist = obj.id.get_create_plist()
            if not plist.get_attr_creation_order() & h5py.h5p.CRT_ORDER_TRACKED:
                untracked.append(name)
            if isinstance(obj, h5py.Group):
                groups.append(name)
                if not plist.get_link_creation_order() & h5py.h5p.CRT_ORDER_TRACKED:
                    untracked.append(name)
                return
            attrs = obj.attrs
            datasets[name] = {
                "dtype": obj.dtype.str,
                "shape": list(obj.shape),
                "maxshape": [m for m in obj.maxshape],
                "chunks": list(obj.chunks) if obj.chunks else None,
                "compression": obj.compression,
                "compression_opts": obj.compression_opts,
                "is_scale": bool(h5py.h5ds.is_scale(obj.id)),
                "CLASS": text(attrs.get("CLASS")),
                "NAME": text(attrs.get("NAME")),
                "dimid": int(attrs["_Netcdf4Dimid"]) if "_Netcdf4Dimid" in attrs else None,
                "dimid_shape": list(attrs["_Netcdf4Dimid"].shape) if "_Netcdf4Dimid" in attrs else None,
                "reference_count": len(attrs["REFERENCE_LIST"]) if "REFERENCE_LIST" in attrs else 0,
                "attached": [[s.name for s in dim.values()] for dim in obj.dims],
                "attrs": sorted(attrs.keys()),
            }

        # The root group's own creation properties (a File's are those of the file, not the group).
        visit("/", f["/"])
        f.visititems(visit)
    print(json.dumps({"groups": groups, "datasets": datasets, "root_attrs": root_attrs, "creation_order_untracked": untracked}))


main()
