"""Reference reading of a synthetic Allen session file with h5py, printed as JSON.

h5py (with the HDF5 C library) is the reference reader: what it reports about dtypes, enums,
links, references and storage is what pynwb/AllenSDK would see. The test asserts on this JSON.
NaN travels as the string "NaN".
"""

import json
import math
import sys

import h5py
import numpy as np


def dtype_name(obj):
    """A short description of an HDF5 datatype: f8, i8, vlen-utf8, vlen-ascii, enum, ref, compound."""
    tid = obj.id.get_type()
    cls = tid.get_class()
    if cls == h5py.h5t.ENUM:
        return "enum"
    if cls == h5py.h5t.COMPOUND:
        return "compound"
    if cls == h5py.h5t.REFERENCE:
        return "ref"
    if cls == h5py.h5t.STRING:
        if tid.is_variable_str():
            return "vlen-utf8" if tid.get_cset() == h5py.h5t.CSET_UTF8 else "vlen-ascii"
        return "fixed-string"
    return obj.dtype.str.lstrip("<>|=")


def string_pad(obj):
    tid = obj.id.get_type()
    if tid.get_class() == h5py.h5t.STRING:
        return {h5py.h5t.STR_NULLTERM: "nullterm", h5py.h5t.STR_NULLPAD: "nullpad", h5py.h5t.STR_SPACEPAD: "spacepad"}[tid.get_strpad()]
    return None


def enum_info(tid):
    members = {}
    for i in range(tid.get_nmembers()):
        members[tid.get_member_name(i).decode()] = int(tid.get_member_value(i))
    base = tid.get_super()
    return {"members": members, "baseSize": base.get_size(), "baseSigned": base.get_sign() == h5py.h5t.SGN_2}


def plain(v):
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, h5py.Reference):
        return "<ref>"
    if isinstance(v, (np.floating, float)):
        return "NaN" if math.isnan(v) else float(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.ndarray):
        return [plain(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


def main(path):
    f = h5py.File(path, "r")
    out = {"objects": {}, "enums": {}, "attrEnums": {}, "stringPads": {}, "ragged": {}, "tables": {}}

    def visit(name, link):
        full = "/" + name
        if isinstance(link, h5py.SoftLink):
            out["objects"][full] = {"kind": "softlink", "target": link.path}
            return
        obj = f[full]
        attrs = {}
        for a in obj.attrs:
            aid = obj.attrs.get_id(a)
            atype = aid.get_type()
            if atype.get_class() == h5py.h5t.ENUM:
                out["attrEnums"][full + "@" + a] = enum_info(atype)
            if atype.get_class() == h5py.h5t.STRING and atype.is_variable_str():
                out["stringPads"][full + "@" + a] = {h5py.h5t.STR_NULLTERM: "nullterm", h5py.h5t.STR_SPACEPAD: "spacepad"}.get(atype.get_strpad(), "other")
            attrs[a] = plain(obj.attrs[a])
        if isinstance(obj, h5py.Group):
            out["objects"][full] = {"kind": "group", "attrs": attrs}
            return
        entry = {
            "kind": "dataset",
            "dtype": dtype_name(obj),
            "shape": list(obj.shape),
            "layout": {h5py.h5d.CONTIGUOUS: "contiguous", h5py.h5d.CHUNKED: "chunked", h5py.h5d.COMPACT: "compact"}[obj.id.get_create_plist().get_layout()],
            "filters": obj.id.get_create_plist().get_nfilters(),
            "attrs": attrs,
        }
        if entry["dtype"] == "enum":
            out["enums"][full] = enum_info(obj.id.get_type())
        pad = string_pad(obj)
        if pad is not None:
            out["stringPads"][full] = pad
        if "target" in obj.attrs:
            target = f[obj.attrs["target"]]
            data = obj[()]
            out["ragged"][full] = {
                "target": target.name,
                "monotonic": bool(np.all(np.diff(data) >= 0) and (len(data) == 0 or data[0] >= 0)),
                "last": int(data[-1]) if len(data) else 0,
                "targetRows": target.shape[0],
            }
        out["objects"][full] = entry

    def walk(group, prefix):
        for name in group:
            link = group.get(name, getlink=True)
            path = f"{prefix}{name}"
            visit(path, link)
            if isinstance(link, h5py.HardLink) and isinstance(group[name], h5py.Group):
                walk(group[name], path + "/")

    walk(f, "")

    # Root and session metadata.
    out["root"] = {a: plain(f.attrs[a]) for a in f.attrs}
    out["specloc"] = f[f.attrs[".specloc"]].name
    out["identifier"] = plain(f["identifier"][()])
    out["sessionType"] = plain(f["general/stimulus"][()])
    out["superblock"] = f.id.get_create_plist().get_version()[0]

    # Units: spikes sorted per unit, peak channels resolvable, filter inputs.
    units = f["units"]
    idx = units["spike_times_index"][:]
    times = units["spike_times"][:]
    starts = np.concatenate([[0], idx[:-1]])
    sorted_ok = all(np.all(np.diff(times[a:b]) >= 0) for a, b in zip(starts, idx))
    el = f["general/extracellular_ephys/electrodes"]
    el_ids = el["id"][:]
    out["units"] = {
        "count": int(units["id"].shape[0]),
        "spikes": int(times.shape[0]),
        "sortedPerUnit": bool(sorted_ok),
        "minTime": float(times.min()) if len(times) else None,
        "peakChannelsFound": bool(np.all(np.isin(units["peak_channel_id"][:], el_ids))),
        "quality": sorted(set(plain(units["quality"][:]))),
        "nanAmplitudeCutoff": int(np.isnan(units["amplitude_cutoff"][:]).sum()),
        "nanIsiViolations": int(np.isnan(units["isi_violations"][:]).sum()),
        "sortedById": bool(np.all(np.diff(units["id"][:]) > 0)),
    }
    valid = el["valid_data"][:]
    loc = plain(el["location"][:])
    pos = {int(i): k for k, i in enumerate(el_ids)}
    passing = 0
    peak = units["peak_channel_id"][:]
    q = plain(units["quality"][:])
    ac, pr, isi = units["amplitude_cutoff"][:], units["presence_ratio"][:], units["isi_violations"][:]
    reasons = set()
    for u in range(len(peak)):
        k = pos[int(peak[u])]
        checks = {
            "invalid-channel": bool(valid[k]),
            "no-structure": loc[k] not in ("", "None"),
            "noise": q[u] == "good",
            "amplitude_cutoff": bool(ac[u] <= 0.1),
            "presence_ratio": bool(pr[u] >= 0.95),
            "isi_violations": bool(isi[u] <= 0.5),
        }
        failed = [r for r, ok in checks.items() if not ok]
        reasons.update(failed)
        passing += not failed
    out["units"]["passingFilter"] = passing
    out["units"]["failReasons"] = sorted(reasons)
    out["electrodes"] = {
        "rows": int(el_ids.shape[0]),
        "invalid": int((~valid.astype(bool)).sum()),
        "emptyLocation": loc.count(""),
        "noneLocation": loc.count("None"),
        "zEqualsY": bool(np.array_equal(el["z"][:], el["y"][:], equal_nan=True)),
        "groupTargets": sorted({f[r].name for r in el["group"][:]}),
        "groupNames": sorted(set(plain(el["group_name"][:]))),
    }

    # Presentation tables: storage per column and the values seen.
    stim_ts = f["processing/stimulus/timestamps/timestamps"][:]
    for name in f["intervals"]:
        t = f["intervals"][name]
        cols = {}
        for c in plain(t.attrs["colnames"]):
            d = t[c]
            kind = dtype_name(d)
            if kind == "compound":
                rows = d[:]
                refs_ok = all(f[r["timeseries"]].name == "/processing/stimulus/timestamps" for r in rows)
                bisect_ok = all(
                    int(r["idx_start"]) == int(np.searchsorted(stim_ts, s, "left"))
                    and int(r["count"]) == int(np.searchsorted(stim_ts, e, "left")) - int(r["idx_start"])
                    for r, s, e in zip(rows, t["start_time"][:], t["stop_time"][:])
                )
                cols[c] = {"storage": "compound", "refsOk": refs_ok, "bisectOk": bisect_ok}
                continue
            values = plain(d[:])
            uniq = sorted({json.dumps(v) for v in values})[:40]
            cols[c] = {"storage": "s" if kind == "vlen-utf8" else "f" if kind == "f8" else kind, "unique": [json.loads(u) for u in uniq]}
        entry = {"rows": int(t["id"].shape[0]), "columns": cols, "colnames": plain(t.attrs["colnames"])}
        if "frame" in t and "natural_movie" in name:
            frames = t["frame"][:].astype(float) if t["frame"].dtype.kind == "f" else np.array([float(x) for x in plain(t["frame"][:])])
            st, sp = t["start_time"][:], t["stop_time"][:]
            breaks = np.concatenate([[0], np.nonzero(np.diff(frames) < 0)[0] + 1, [len(frames)]])
            entry["repeats"] = [
                {"frames": int(b - a), "duration": float(np.sum(sp[a:b] - st[a:b])), "contiguous": bool(np.allclose(sp[a : b - 1], st[a + 1 : b]))}
                for a, b in zip(breaks[:-1], breaks[1:])
            ]
        if name != "invalid_times":
            st, sp = t["start_time"][:], t["stop_time"][:]
            entry["durations"] = [float(x) for x in (sp - st)]
            entry["startsSorted"] = bool(np.all(np.diff(st) > 0))
        if name == "invalid_times":
            tags = plain(t["tags"][:])
            ti = t["tags_index"][:]
            entry["tags"] = [tags[(ti[i - 1] if i else 0) : ti[i]] for i in range(len(ti))]
        out["tables"][name] = entry

    out["modules"] = sorted(f["processing"].keys())
    out["fileCreateDate"] = plain(f["file_create_date"][0])
    ts = f["processing/running/running_speed/timestamps"][:]
    out["running"] = {
        "samples": int(ts.shape[0]),
        "medianDt": float(np.median(np.diff(ts))),
        "dataRows": int(f["processing/running/running_speed/data"].shape[0]),
        "endTimesAllNaN": bool(np.all(np.isnan(f["processing/running/running_speed_end_times/data"][:]))),
    }
    if "raw_gaze_mapping" in f["processing"]:
        g = f["processing/raw_gaze_mapping"]
        t = g["eye_area/timestamps"][:]
        out["gaze"] = {
            "samples": int(t.shape[0]),
            "medianDt": float(np.median(np.diff(t))),
            "rawNaN": int(np.isnan(g["pupil_area/data"][:]).sum()),
            "filteredNaN": int(np.isnan(f["processing/filtered_gaze_mapping/pupil_area/data"][:]).sum()),
            "screenShape": list(g["screen_coordinates/data"].shape),
        }
    out["mtimes"] = sorted({int(h5py.h5g.get_objinfo(f.id, p.encode()).mtime) for p in ("/units/spike_times", "/units/id", "/general/extracellular_ephys/electrodes/id")})
    print(json.dumps(out, default=plain))


if __name__ == "__main__":
    main(sys.argv[1])
