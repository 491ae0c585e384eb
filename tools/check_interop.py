#!/usr/bin/python3
"""Interop check for SeqLens writers and readers (see tools/check_interop.sh, which runs this).

1. Reads the bigWig and npz files our C# writers produced (golden fixtures in
   tests/SeqLens.Tests/Fixtures/Interop/ours_*) with pyBigWig and numpy, and records what they read in
   python_read_ours.json (the test suite compares it with the inputs our code wrote).
2. Writes bigWig and npz files with pyBigWig and numpy (py_written.*) plus what they contain
   (py_written_expected.json), for the test suite to read with our readers.
"""
import json
import math
import os
import sys

import numpy as np
import pyBigWig

out = sys.argv[1]


def pyfloat(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def flat_text(a):
    if a.dtype.kind == "f":
        # float32 elements printed as the float64 they widen to (C# widens the same way).
        return [pyfloat(x) for x in a.astype(np.float64).ravel()]
    if a.dtype.kind == "b":
        return ["True" if x else "False" for x in a.ravel()]
    if a.dtype.kind in "iu":
        return [str(int(x)) for x in a.ravel()]
    return [str(x) for x in a.ravel()]


read = {}
for name in ["ours_default.bw", "ours_small_blocks.bw"]:
    bw = pyBigWig.open(os.path.join(out, name))
    chroms = bw.chroms()
    info = {"chroms": chroms, "header": bw.header(), "intervals": {}}
    for c in chroms:
        iv = bw.intervals(c)
        info["intervals"][c] = [[s, e, v] for (s, e, v) in (iv or [])]
    info["chr1_mean_exact_10bins"] = bw.stats("chr1", 0, 11200, type="mean", nBins=10, exact=True)
    info["chr1_mean_zoom_10bins"] = bw.stats("chr1", 0, 11200, type="mean", nBins=10)
    info["values_chr1_0_200"] = [pyfloat(x) for x in bw.values("chr1", 0, 200)]
    info["zoom_levels"] = bw.header()["nLevels"]
    bw.close()
    read[name] = info

for name in ["ours_stored.npz", "ours_deflated.npz"]:
    with np.load(os.path.join(out, name)) as z:
        read[name] = {k: {"dtype": z[k].dtype.str, "shape": list(z[k].shape), "flat": flat_text(z[k])} for k in z.files}

with open(os.path.join(out, "python_read_ours.json"), "w") as f:
    json.dump(read, f, sort_keys=True)

# Files written by python for our readers.
bw = pyBigWig.open(os.path.join(out, "py_written.bw"), "w")
bw.addHeader([("chr1", 10000), ("chr2", 5000)], maxZooms=2)
bw.addEntries(["chr1", "chr1", "chr1"], [0, 100, 125], ends=[5, 120, 126], values=[0.5, -1.25, 3.0])
bw.addEntries("chr1", [500, 600, 700], values=[1.0, 2.0, 4.0], span=20)                # varStep
bw.addEntries("chr2", 1000, values=[0.25, 0.5, 0.75, 1.0], span=10, step=50)            # fixedStep
bw.close()
expected_bw = {
    "chr1": [[0, 5, 0.5], [100, 120, -1.25], [125, 126, 3.0], [500, 520, 1.0], [600, 620, 2.0], [700, 720, 4.0]],
    "chr2": [[1000, 1010, 0.25], [1050, 1060, 0.5], [1100, 1110, 0.75], [1150, 1160, 1.0]],
}
check = pyBigWig.open(os.path.join(out, "py_written.bw"))
for c, ivs in expected_bw.items():
    assert [list(x) for x in check.intervals(c)] == ivs, (c, check.intervals(c))
check.close()

arrays = {
    "x": np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8,
    "fortran": np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3)),
    "f64": np.array([1e-300, -0.0, np.pi]),
    "i64": np.array([-(2**40), 7], dtype=np.int64),
    "flags": np.array([[True, False], [False, True]]),
    "tasks": np.array(["CTCF", "GATA1", "REST"]),
    "u8": np.array([0, 255, 7], dtype=np.uint8),
}
np.savez_compressed(os.path.join(out, "py_written_compressed.npz"), **arrays)
np.savez(os.path.join(out, "py_written_stored.npz"), **arrays)
np.save(os.path.join(out, "py_written_v1.npy"), arrays["x"])
with open(os.path.join(out, "py_written_v3.npy"), "wb") as f:
    np.lib.format.write_array(f, arrays["tasks"], version=(3, 0))
expected = {
    "bigwig": expected_bw,
    "npz": {k: {"dtype": v.dtype.str, "shape": list(v.shape), "flat": flat_text(np.ascontiguousarray(v))} for k, v in arrays.items()},
}
with open(os.path.join(out, "py_written_expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
print("numpy", np.__version__, "pyBigWig numpy support", pyBigWig.numpy)
