"""An independent implementation of the binned dataset, written from
../shared/specs/binned-dataset.md alone with NumPy and h5py (nothing of pipe's code), used to
check pipe's per-stimulus files cell for cell.

usage: reference_binned.py <params.json> <nwb>... ; prints JSON: for each output stimulus type,
session and structure: the presentation ids, unit ids, bin centres, the spike_data tensor (as a
hash and as sums) and the speed matrix (as a hash), so the test compares with what h5py reads
from pipe's files.
"""
import hashlib
import json
import math
import re
import sys

import h5py
import numpy as np

DECIMAL = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def cell(v):
    """§2.2: numbers, decimal strings, inf; N/A, empty, nan -> None; other text stays text."""
    if isinstance(v, (bytes, str)):
        s = text(v)
        if DECIMAL.match(s):
            return float(s)
        low = s.strip().lower()
        if low in ("inf", "+inf", "infinity"):
            return math.inf
        if low in ("-inf", "-infinity"):
            return -math.inf
        if low in ("n/a", "", "nan"):
            return None
        return s
    f = float(v)
    return None if math.isnan(f) else f


def ragged(group, name):
    data = group[name][()]
    ends = group[name + "_index"][()]
    out, start = [], 0
    for e in ends:
        out.append(data[start:int(e)])
        start = int(e)
    return out


def session_units(f, p):
    """§1: kept units in session order, with their structure."""
    u = f["units"]
    el = f["general/extracellular_ephys/electrodes"]
    ch = {int(i): k for k, i in enumerate(el["id"][()])}
    loc = [text(x) for x in el["location"][()]]
    valid = [bool(x) for x in el["valid_data"][()]]
    group = [text(x) for x in el["group_name"][()]]
    vert = el["probe_vertical_position"][()]
    horiz = el["probe_horizontal_position"][()]
    quality = [text(x) for x in u["quality"][()]]
    amp, pres, isi = (u[c][()] for c in ("amplitude_cutoff", "presence_ratio", "isi_violations"))
    kept = []
    for r, pk in enumerate(u["peak_channel_id"][()]):
        k = ch.get(int(pk))
        if k is None or not valid[k] or loc[k] in ("", "None") or quality[r] != "good":
            continue
        a, pr, iv = float(amp[r]), float(pres[r]), float(isi[r])
        if any(math.isnan(x) for x in (a, pr, iv)):
            continue
        if a <= p["amplitude_cutoff_max"] and pr >= p["presence_ratio_min"] and iv <= p["isi_violations_max"]:
            kept.append((group[k], float(vert[k]), float(horiz[k]), r, loc[k]))
    kept.sort(key=lambda t: (t[0], t[1], t[2]))  # sorted() is stable: ties keep row order
    ids = u["id"][()]
    spikes = ragged(u, "spike_times")
    return [(int(ids[r]), s, spikes[r]) for (_, _, _, r, s) in kept]


def presentations(f):
    """§2: the presentations table, rows as dicts, in global-id order, after §2.4 and §2.5."""
    rows = []
    iv = f["intervals"]
    for name in sorted(k for k in iv if k.endswith("_presentations") and isinstance(iv[k], h5py.Group)):
        g = iv[name]
        skip = {"tags", "timeseries", "tags_index", "timeseries_index", "id"}
        cols = [c for c in g if c not in skip and not c.endswith("_index") and isinstance(g[c], h5py.Dataset)]
        data = {c: g[c][()] for c in cols}
        n = len(data["start_time"])
        for i in range(n):
            row = {c: cell(data[c][i]) for c in cols}
            row["start_time"] = float(data["start_time"][i])
            row["stop_time"] = float(data["stop_time"][i])
            if "stimulus_name" not in data:
                row["stimulus_name"] = name[: -len("_presentations")]
            else:
                row["stimulus_name"] = text(data["stimulus_name"][i])
            rows.append(row)
    order = sorted(range(len(rows)), key=lambda i: rows[i]["start_time"])  # stable
    rows = [rows[i] for i in order]
    for gid, row in enumerate(rows):
        row["id"] = gid
        row["duration"] = row["stop_time"] - row["start_time"]
    if "invalid_times" in iv:
        it = iv["invalid_times"]
        tags = ragged(it, "tags")
        for s, e, t in zip(it["start_time"][()], it["stop_time"][()], tags):
            if "stimulus" not in [text(x) for x in t]:
                continue
            for row in rows:
                if max(row["start_time"], float(s)) <= min(row["stop_time"], float(e)):
                    for k in list(row):
                        if k not in ("id", "start_time", "stop_time"):
                            row[k] = None
                    row["stimulus_name"] = "invalid_presentation"
    return [r for r in rows if not any(w in r["stimulus_name"] for w in ("spontaneous", "shuffled", "invalid"))]


def whole_movies(rows):
    """§3."""
    out, current, prev_frame = [], {}, {}
    for r in rows:
        name = r["stimulus_name"]
        if "natural_movie" not in name:
            out.append(r)
            continue
        frame = r.get("frame")
        starts = name not in current or (frame is not None and prev_frame.get(name) is not None and frame < prev_frame[name])
        if starts:
            rep = dict(r)
            rep["frame"] = None
            rep["_durations"] = [r["duration"]]
            current[name] = rep
            out.append(rep)
        else:
            rep = current[name]
            rep["start_time"] = min(rep["start_time"], r["start_time"])
            rep["stop_time"] = max(rep["stop_time"], r["stop_time"])
            rep["_durations"].append(r["duration"])
        prev_frame[name] = frame
    for r in out:
        if "_durations" in r:
            ds = r.pop("_durations")
            total = 0.0
            for d in ds:
                if d is None:
                    total = None
                    break
                total += d
            r["duration"] = total
    return out


def median_filter(by_session, p):
    """§4, pooled over all sessions."""
    pooled = {}
    for rows in by_session.values():
        for r in rows:
            if r["duration"] is not None:
                pooled.setdefault(r["stimulus_name"], []).append(r["duration"])
    medians = {k: float(np.median(np.array(v, dtype=np.float64))) for k, v in pooled.items()}
    kept = {}
    for sid, rows in by_session.items():
        keep = []
        for r in rows:
            d = r["duration"]
            tol = p["movie_tolerance"] if "natural_movie" in r["stimulus_name"] else p["tolerance"]
            if d is not None and r["stimulus_name"] in medians and abs(d - medians[r["stimulus_name"]]) < tol:
                keep.append(r)
        kept[sid] = keep
    return kept


def bins(rows, w, movie):
    """§6: counts per (presentation, time) for one unit, and the bin centres."""
    D = max(r["duration"] for r in rows)
    n = math.ceil(D / w)
    edges = np.arange(0, (n + 1) * w, w)
    centres = edges[:-1] + (edges[1:] - edges[:-1]) / 2
    return edges, centres


def main():
    params = json.loads(open(sys.argv[1]).read())
    files = sys.argv[2:]
    sessions = {}
    for path in files:
        with h5py.File(path, "r") as f:
            sid = int(text(f["identifier"][()]))
            rows = whole_movies(presentations(f))
            units = session_units(f, params["unit_filter"])
            rs = f["processing/running/running_speed"]
            ts = rs["timestamps"][()]
            speed = rs["data"][()]
            sessions[sid] = {"rows": rows, "units": units, "speed": (ts, speed)}
    kept = median_filter({s: v["rows"] for s, v in sessions.items()}, params["filter"])
    relevant = params["relevant_parameters"]
    w = params["bin_width"]
    result = {}
    for stype in params["stimulus_types"]:
        members = [stype] + (["natural_movie_one_more_repeats"] if stype == "natural_movie_one" else [])
        for sid in sorted(sessions):
            sel = []
            for r in kept[sid]:
                name = r["stimulus_name"]
                if name not in members:
                    continue
                cols = relevant[name]
                vals = [r.get(c) for c in cols]
                vals = [None if isinstance(v, str) else v for v in vals]  # text counts as null
                if ("gratings" in name or name == "dot_motion") and (any(v is None for v in vals) or r.get("stimulus_block") is None):
                    continue
                if name == "natural_scenes" and vals[0] == -1:
                    continue
                sel.append(r)
            if not sel:
                continue
            sel.sort(key=lambda r: r["id"])
            movie = "natural_movie" in stype
            edges, centres = bins(sel, w, movie)
            T = len(centres)
            units = sessions[sid]["units"]
            tensor = np.zeros((len(sel), T, len(units)), dtype=np.uint8)
            for ui, (_, _, spikes) in enumerate(units):
                for pi, r in enumerate(sel):
                    lo = r["start_time"] + edges[:-1]
                    hi = r["start_time"] + edges[1:]
                    if movie:
                        lo = np.minimum(lo, r["stop_time"])
                        hi = np.minimum(hi, r["stop_time"])
                    # closed at both ends: a spike on an inner edge counts in both bins
                    c = np.searchsorted(spikes, hi, side="right") - np.searchsorted(spikes, lo, side="left")
                    tensor[pi, :, ui] = np.minimum(c, 255)
            binary = (tensor > 0).astype(np.int8) if params["binarize"] else tensor
            ts, sp = sessions[sid]["speed"]
            at = np.array([[r["start_time"] + c for r in sel] for c in centres])  # (time, presentation)
            speed = np.interp(at, ts, sp).astype(np.float32)
            structures = sorted({s for (_, s, _) in units})
            for st in structures:
                idx = [i for i, (_, s, _) in enumerate(units) if s == st]
                block = np.ascontiguousarray(binary[:, :, idx])
                result[f"{stype}/session_{sid}/{st}"] = {
                    "presentation_id": [r["id"] for r in sel],
                    "unit_id": [units[i][0] for i in idx],
                    "time": centres.tolist(),
                    "spike_sha1": hashlib.sha1(block.tobytes()).hexdigest(),
                    "spike_sum": int(block.sum()),
                    "speed_sha1": hashlib.sha1(np.ascontiguousarray(speed).tobytes()).hexdigest(),
                }
    print(json.dumps(result))


main()
