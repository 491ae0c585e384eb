#!/usr/bin/env python3
"""Writes the HDF5 reader's test fixtures (tiny .h5 files + JSON files of expected values).

Re-run from the repository root:
    /usr/bin/python3 tools/make_hdf5_fixtures.py
Outputs go to tests/SeqLens.Tests/Fixtures/Hdf5/ (each X.h5 beside X.json.gz). The JSON holds, for every
group, its link names and attributes, and for every dataset its shape, type, layout, chunk index and all
values, exactly as h5py reads them (gzipped, without timestamp, to keep the fixtures small). It also writes
shared_data.json.gz with shapes and a few values of the four real .h5 files under ../shared/data (those
files are never copied into the repository).

Needs h5py and numpy (Debian: apt-get install -y python3-h5py python3-numpy); installs them when missing.
Outputs are byte-for-byte reproducible: every object is created without modification times.
"""
import gzip
import json
import os
import subprocess
import sys

try:
    import h5py
    import numpy as np
except ImportError:  # pragma: no cover - environment bootstrap
    subprocess.check_call(["apt-get", "install", "-y", "python3-h5py", "python3-numpy"])
    import h5py
    import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "SeqLens.Tests", "Fixtures", "Hdf5")
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")


def describe_type(dt):
    """Type facts the C# reader must reproduce."""
    s = h5py.check_string_dtype(dt)
    if s is not None:
        return {"class": "string", "vlen": s.length is None, "utf8": s.encoding == "utf-8",
                "size": -1 if s.length is None else s.length}
    if dt.kind == "f":
        return {"class": "float", "size": dt.itemsize, "big_endian": dt.byteorder == ">"}
    if dt.kind == "b":
        return {"class": "enum", "size": 1}
    if dt.kind in "iu":
        return {"class": "integer", "size": dt.itemsize, "signed": dt.kind == "i",
                "big_endian": dt.byteorder == ">" or (dt.byteorder == "=" and sys.byteorder == "big")}
    raise ValueError(f"no description for {dt}")


def values_of(arr, dt):
    flat = np.asarray(arr).reshape(-1)
    s = h5py.check_string_dtype(dt)
    if s is not None:
        out = []
        for v in flat:
            if isinstance(v, bytes):
                v = v.decode("utf-8")
            out.append(str(v))
        return out
    if dt.kind == "f":
        return [float(v) for v in flat]
    return [int(v) for v in flat]  # integers and booleans


def describe_attrs(obj):
    out = {}
    for name in obj.attrs:
        aid = obj.attrs.get_id(name)
        dt = aid.dtype
        entry = describe_type(dt)
        if aid.shape is None:
            entry.update({"null": True, "shape": [], "values": []})
        else:
            if h5py.check_string_dtype(dt) is not None and h5py.check_string_dtype(dt).length is None:
                raw = obj.attrs[name]
            else:
                raw = np.empty(aid.shape, dtype=dt)
                if raw.size > 0:
                    aid.read(raw)
            entry.update({"null": False, "shape": list(aid.shape), "values": values_of(raw, dt)})
        out[name] = entry
    return out


LAYOUTS = {h5py.h5d.COMPACT: "compact", h5py.h5d.CONTIGUOUS: "contiguous", h5py.h5d.CHUNKED: "chunked"}


def describe_file(path, chunk_index=None, extra=None):
    chunk_index = chunk_index or {}
    with h5py.File(path, "r") as f:
        doc = {"superblock_version": int(f.id.get_create_plist().get_version()[0]), "groups": {}, "datasets": {}}

        def visit(name, obj):
            key = "/" + name if name else "/"
            if isinstance(obj, h5py.Group):
                links = sorted(obj.keys())
                doc["groups"][key] = {"links": links, "attributes": describe_attrs(obj)}
            elif isinstance(obj, h5py.Dataset):
                dt = obj.dtype
                entry = describe_type(dt)
                plist = obj.id.get_create_plist()
                entry["layout"] = LAYOUTS[plist.get_layout()]
                entry["chunks"] = list(obj.chunks) if obj.chunks else None
                entry["chunk_index"] = chunk_index.get(key, "btree_v1" if obj.chunks else "none")
                if obj.shape is None:
                    entry.update({"null": True, "shape": [], "values": []})
                else:
                    data = obj[()] if obj.size > 0 else np.empty(obj.shape, dt)
                    if h5py.check_string_dtype(dt) is not None:
                        data = obj.asstr()[()] if obj.size > 0 else data
                    entry.update({"null": False, "shape": list(obj.shape), "values": values_of(data, dt)})
                entry["attributes"] = describe_attrs(obj)
                doc["datasets"][key] = entry

        visit("", f)
        f.visititems(visit)
    if extra:
        doc.update(extra)
    return doc


def write_json(path, doc):
    """Writes path + ".gz": gzip without a timestamp or name, so the bytes are reproducible."""
    tmp = path + ".gz.tmp"
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as fh:
            fh.write(text.encode("utf-8"))
    os.replace(tmp, path + ".gz")


def group(parent, name, track_order=False):
    """create_group without modification times (h5py's create_group cannot turn them off)."""
    gcpl = h5py.h5p.create(h5py.h5p.GROUP_CREATE)
    gcpl.set_obj_track_times(False)
    if track_order:
        gcpl.set_link_creation_order(h5py.h5p.CRT_ORDER_TRACKED | h5py.h5p.CRT_ORDER_INDEXED)
        gcpl.set_attr_creation_order(h5py.h5p.CRT_ORDER_TRACKED | h5py.h5p.CRT_ORDER_INDEXED)
    h5py.h5g.create(parent.id, name.encode(), gcpl=gcpl)
    return parent[name]


def hdf5_library():
    import ctypes
    import glob
    lib = ctypes.CDLL(sorted(glob.glob("/usr/lib/*/libhdf5_serial.so.*") + glob.glob("/usr/lib/*/libhdf5.so.*"))[0])
    lib.H5Pset_istore_k.argtypes = [ctypes.c_int64, ctypes.c_uint]
    lib.H5Tcommit2.argtypes = [ctypes.c_int64, ctypes.c_char_p, ctypes.c_int64, ctypes.c_int64, ctypes.c_int64,
                               ctypes.c_int64]
    return lib


def commit_type(parent, name, dtype):
    """H5Tcommit2 with a creation plist without times (h5py's commit takes none)."""
    import ctypes
    lib = hdf5_library()
    lib.H5Pcreate.argtypes = [ctypes.c_int64]
    lib.H5Pcreate.restype = ctypes.c_int64
    lib.H5Pset_obj_track_times.argtypes = [ctypes.c_int64, ctypes.c_uint]
    tcpl = lib.H5Pcreate(ctypes.c_int64.in_dll(lib, "H5P_CLS_DATATYPE_CREATE_ID_g").value)
    tid = h5py.h5t.py_create(dtype).copy()
    if tcpl < 0 or lib.H5Pset_obj_track_times(tcpl, 0) < 0 or lib.H5Tcommit2(parent.id.id, name.encode(), tid.id, 0, tcpl, 0) < 0:
        raise RuntimeError("committing the datatype failed")
    lib.H5Pclose(ctypes.c_int64(tcpl))


def normal(rng, shape, dtype):
    """Random values on a 1/64 grid: exact in float16/32/64, short in JSON."""
    return (np.round(rng.standard_normal(shape) * 64) / 64).astype(dtype)


def common_content(f, rng, level):
    """The fixture content; level "full" (latest), "medium" (earliest) or "small" (superblock1, v108)
    keeps the files small while each structure appears where its file version uses it."""
    full = level == "full"
    small = level == "small"
    if level == "tiny":
        tiny_content(f, rng)
        return
    f.attrs["title"] = "fixture"                                   # vlen str scalar
    f.attrs["fixed"] = np.bytes_(b"fixed-len")                      # fixed str scalar
    f.attrs["names"] = np.array([b"conv1d_1", b"dense_2", b"x"])    # fixed str array (as Keras)
    f.attrs["vnames"] = ["alpha", "b\u00e9ta", ""]                  # vlen utf-8 str array
    f.attrs["pi"] = np.float64(3.141592653589793)
    f.attrs["f32s"] = np.array([1.5, -2.25, 1e-3], dtype="<f4")
    f.attrs["i8be"] = np.array([-5, 7], dtype=">i8")
    f.attrs["u16"] = np.array([65535, 1], dtype="<u2")
    f.attrs["empty_f64"] = np.array([], dtype="<f8")                # as Keras' empty weight_names
    f.attrs["null_attr"] = h5py.Empty("<f4")

    w = group(f, "model_weights")
    conv = group(w, "conv1d_1")
    conv.attrs["weight_names"] = np.array([b"conv1d_1/kernel:0", b"conv1d_1/bias:0"])
    inner = group(conv, "conv1d_1")
    inner.create_dataset("kernel:0", data=normal(rng, (5, 4, 3), "<f4"), track_times=False)
    inner.create_dataset("bias:0", data=normal(rng, 3, "<f4"), track_times=False)

    d = group(f, "data")
    d.create_dataset("f64_2d", data=normal(rng, (3, 7), "<f8"), track_times=False)
    d.create_dataset("f32_be", data=normal(rng, 6, ">f4"), track_times=False)
    d.create_dataset("f64_be", data=normal(rng, 4, ">f8"), track_times=False)
    d.create_dataset("f16", data=np.array([0.5, -1.0, 65504.0, 6.1035156e-05], dtype="<f2"), track_times=False)
    for kind in "iu":
        for size in (1, 2, 4, 8):
            for order in "<>":
                if small and (size, order) not in ((4, ">"), (8, "<")):
                    continue
                dt = np.dtype(f"{order}{kind}{size}")
                info = np.iinfo(dt)
                hi = min(int(info.max), 2**62)
                vals = np.array([info.min, 0, 1, hi, int(info.min) // 3 if kind == "i" else hi // 3], dtype=dt)
                name = f"{kind}{size * 8}_{'le' if order == '<' else 'be'}"
                d.create_dataset(name, data=vals, track_times=False)
    d.create_dataset("scalar_f64", data=np.float64(2.5), track_times=False)
    d.create_dataset("scalar_i32", data=np.int32(-42), track_times=False)
    d.create_dataset("scalar_vlen_str", data="hello, scalar", dtype=h5py.string_dtype(), track_times=False)
    d.create_dataset("empty_1d", shape=(0,), dtype="<f4", track_times=False)
    d.create_dataset("empty_2d", shape=(3, 0), dtype="<i4", track_times=False)
    d.create_dataset("null_space", data=h5py.Empty("<f8"), track_times=False)
    d.create_dataset("fixed_str", data=np.array([b"a", b"bc", b"def", b""], dtype="S4"), track_times=False)
    fs = d.create_dataset("fixed_str_utf8", shape=(2,), dtype=h5py.string_dtype("utf-8", 6), track_times=False)
    fs[0] = "\u00e9t\u00e9".encode()
    fs[1] = b"ok"
    d.create_dataset("vlen_str", data=["first", "", "third \u03b1", "x" * 100],
                     dtype=h5py.string_dtype(), track_times=False)
    d.create_dataset("vlen_str_chunked", data=["c%d" % i for i in range(10)], chunks=(4,),
                     dtype=h5py.string_dtype(), compression="gzip", track_times=False)

    # Compact layout (h5py has no keyword for it: low-level dcpl).
    if not small:
        make_compact(d)

    c = group(f, "chunked")
    c.create_dataset("gzip_shuffle", data=normal(rng, (6, 7), "<f4"), chunks=(4, 5),
                     compression="gzip", compression_opts=6, shuffle=True, track_times=False)
    c.create_dataset("unlimited_2d", data=np.arange(60, dtype="<i8").reshape(12, 5), chunks=(5, 2),
                     maxshape=(None, None), compression="gzip", track_times=False)
    if not small:
        more_chunked(c, rng, full)

    a = group(f, "attrs")
    for i in range(20 if full else 12):  # many attributes: continuation blocks (v1) or dense storage (v2)
        a.attrs["attr_%02d" % i] = np.arange(i + 1, dtype="<i4") * (i - 5)
    a.attrs["long_text"] = "y" * 700
    if full:  # dense attribute storage keeps messages above 4 KiB as "huge" fractal-heap objects (B-tree v2 type 1)
        a.attrs["huge"] = np.arange(600, dtype="<f8") / 4

    many = group(f, "many")
    for i in range(20 if full else 9 if small else 3):  # > 8 links: dense links (v108, latest)
        group(many, "g%02d" % i).attrs["index"] = np.int64(i)
    if not small:
        commit_type(f, "named_f32", np.dtype("<f4"))  # a committed datatype, shared by a dataset and an attribute
        typed = d.create_dataset("typed_by_named", data=np.array([1.25, -8.5], dtype="<f4"), dtype=f["named_f32"],
                                 track_times=False)
        typed.attrs.create("shared_type_attr", np.array([0.5], dtype="<f4"), dtype=f["named_f32"])
    if full:
        ordered = group(f, "ordered", track_order=True)  # creation-order fields and index, dense
        for i in range(9):
            ordered.create_dataset("d%d" % (8 - i), data=np.int8(i), track_times=False)
            ordered.attrs["a%d" % (8 - i)] = np.int8(i)
        d.create_dataset("bools", data=np.array([True, False, True]), track_times=False)  # an enum of int8
        # Enough links and chunks that the version-2 B-trees get internal nodes ("BTIN").
        deep = group(f, "deep_links")
        for i in range(60):
            deep["s%02d" % i] = h5py.SoftLink("/data/f64_2d")
        # Extensible array over the second dimension (HDF5 swizzles it to the front), a fixed array whose
        # maximum extent exceeds the current one, and an implicit index (early allocation, no fill).
        c.create_dataset("ext_dim1", data=np.arange(21, dtype=">i4").reshape(3, 7) * 3, chunks=(2, 3),
                         maxshape=(3, None), track_times=False)
        c.create_dataset("fixed_max", data=np.arange(5, dtype="<u2") + 7, chunks=(2,), maxshape=(10,),
                         track_times=False)
        make_implicit(c)
        c.create_dataset("btree_deep", data=(np.arange(100, dtype="<i1") - 50).reshape(10, 10), chunks=(1, 1),
                         maxshape=(None, None), track_times=False)
    few = group(f, "few")
    group(few, "only_child")
    few["up"] = few  # a hard link back to its own group: walking must not loop
    f["link_soft"] = h5py.SoftLink("/data/f64_2d")
    f["dangling"] = h5py.SoftLink("/nowhere")


def tiny_content(f, rng):
    inner = group(group(f, "model_weights"), "dense_1")
    inner.attrs["weight_names"] = np.array([b"dense_1_W", b"dense_1_b"])
    inner.create_dataset("dense_1_W", data=normal(rng, (3, 2), "<f4"), track_times=False)
    inner.create_dataset("dense_1_b", data=normal(rng, 2, "<f8"), chunks=(1,), track_times=False)


def make_implicit(c):
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_chunk((2, 2))
    dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    dcpl.set_fill_time(h5py.h5d.FILL_TIME_NEVER)
    dcpl.set_obj_track_times(False)
    arr = np.arange(20, dtype="<i2").reshape(5, 4) - 9
    did = h5py.h5d.create(c.id, b"implicit", h5py.h5t.STD_I16LE, h5py.h5s.create_simple(arr.shape), dcpl=dcpl)
    did.write(h5py.h5s.ALL, h5py.h5s.ALL, arr)
    did.close()


def make_compact(d):
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    dcpl.set_obj_track_times(False)
    arr = np.arange(12, dtype="<i2").reshape(3, 4) * 3 - 7
    space = h5py.h5s.create_simple(arr.shape)
    did = h5py.h5d.create(d.id, b"compact_i16", h5py.h5t.STD_I16LE, space, dcpl=dcpl)
    did.write(h5py.h5s.ALL, h5py.h5s.ALL, arr)
    did.close()


def more_chunked(c, rng, full):
    c.create_dataset("fletcher", data=np.arange(50, dtype="<i4") * 7, chunks=(16,), fletcher32=True,
                     track_times=False)
    c.create_dataset("plain_3d", data=normal(rng, (3, 4, 3), "<f8"), chunks=(2, 3, 2), track_times=False)
    partial = c.create_dataset("partial_fill", shape=(12,), dtype="<i4", chunks=(4,), fillvalue=-9,
                               track_times=False)
    partial[0:3] = [1, 2, 3]  # only the first chunk is written; others read as the fill value
    if not full:  # the remaining ones only differ in their chunk index, which 'latest' files choose
        return
    c.create_dataset("unlimited_1d", data=np.arange(300, dtype="<f8") / 8, chunks=(1,), maxshape=(None,),
                     track_times=False)
    c.create_dataset("single_chunk", data=np.arange(6, dtype="<u4").reshape(2, 3) + 40, chunks=(2, 3),
                     track_times=False)
    c.create_dataset("single_chunk_gzip", data=np.arange(24, dtype="<f4"), chunks=(24,), compression="gzip",
                     track_times=False)
    # > 1024 chunks: a paged fixed array
    c.create_dataset("many_chunks", data=(np.arange(1100, dtype="<i2") % 97), chunks=(1,), track_times=False)
    c.create_dataset("ext_gzip", data=np.arange(40, dtype="<f4").reshape(20, 2), chunks=(3, 2),
                     maxshape=(None, 2), compression="gzip", shuffle=True, track_times=False)


def make(name, libver, chunk_index, fcpl=None, level="small"):
    path = os.path.join(OUT, name + ".h5")
    tmp = path + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    fapl = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
    fapl.set_libver_bounds(*libver)
    fcpl = fcpl or h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fcpl.set_obj_track_times(False)
    fid = h5py.h5f.create(tmp.encode(), h5py.h5f.ACC_TRUNC, fcpl=fcpl, fapl=fapl)
    rng = np.random.default_rng(20261122)
    with h5py.File(fid) as f:
        common_content(f, rng, level)
    os.replace(tmp, path)
    write_json(os.path.join(OUT, name + ".json"), describe_file(path, chunk_index))


def make_odd_width():
    """3-byte integers (HDF5 allows any width; numpy has none): values read back through HDF5's own conversion."""
    path = os.path.join(OUT, "odd_width.h5")
    doc = {"superblock_version": 0, "groups": {"/": {"links": ["i24_be", "u24_le"], "attributes": {}}}, "datasets": {}}
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fcpl.set_obj_track_times(False)
    fid = h5py.h5f.create((path + ".tmp").encode(), h5py.h5f.ACC_TRUNC, fcpl=fcpl)
    for name, base, vals in (("i24_be", h5py.h5t.STD_I32BE, np.array([-8388608, -1, 0, 5, 8388607], dtype="<i4")),
                             ("u24_le", h5py.h5t.STD_U32LE, np.array([0, 1, 70000, 16777215], dtype="<u4"))):
        t = base.copy()
        t.set_precision(24)
        t.set_size(3)
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_obj_track_times(False)
        did = h5py.h5d.create(fid, name.encode(), t, h5py.h5s.create_simple(vals.shape), dcpl=dcpl)
        did.write(h5py.h5s.ALL, h5py.h5s.ALL, vals)
        back = np.zeros_like(vals)
        did.read(h5py.h5s.ALL, h5py.h5s.ALL, back)
        did.close()
        doc["datasets"]["/" + name] = {
            "class": "integer", "size": 3, "signed": name.startswith("i"), "big_endian": name.endswith("be"),
            "layout": "contiguous", "chunks": None, "chunk_index": "none", "null": False, "shape": list(vals.shape),
            "values": [int(v) for v in back], "attributes": {}}
    fid.close()
    os.replace(path + ".tmp", path)
    write_json(os.path.join(OUT, "odd_width.json"), doc)


def make_cycle():
    """A soft-link cycle: resolving /a must stop, not loop."""
    path = os.path.join(OUT, "soft_cycle.h5")
    fapl = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
    fapl.set_libver_bounds(h5py.h5f.LIBVER_LATEST, h5py.h5f.LIBVER_LATEST)
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fcpl.set_obj_track_times(False)
    with h5py.File(h5py.h5f.create((path + ".tmp").encode(), h5py.h5f.ACC_TRUNC, fcpl=fcpl, fapl=fapl)) as f:
        f["a"] = h5py.SoftLink("/b")
        f["b"] = h5py.SoftLink("/a")
        f["self"] = h5py.SoftLink("/self/x")
        group(f, "real")
    os.replace(path + ".tmp", path)


def shared_data():
    files = sorted(os.path.relpath(os.path.join(dp, fn), SHARED)
                   for dp, _, fns in os.walk(SHARED) for fn in fns if fn.endswith(".h5"))
    doc = {}
    for rel in files:
        with h5py.File(os.path.join(SHARED, rel), "r") as f:
            entry = {"root_attributes": {}, "datasets": {}, "groups": {}}
            for k in f.attrs:
                v = f.attrs[k]
                if isinstance(v, (bytes, np.bytes_)):
                    v = v.decode()
                if isinstance(v, str):
                    entry["root_attributes"][k] = {"length": len(v), "prefix": v[:40]}
                else:
                    entry["root_attributes"][k] = {"values": [x.decode() for x in np.asarray(v).reshape(-1)]}

            def visit(name, obj):
                if isinstance(obj, h5py.Dataset):
                    if name.startswith("optimizer_weights/") and not name.endswith("param_0"):
                        return
                    flat = obj[()].reshape(-1)
                    entry["datasets"]["/" + name] = {
                        "shape": list(obj.shape), "first": [float(x) for x in flat[:2]],
                        "last": float(flat[-1]), "sum": float(np.sum(flat.astype(np.float64)))}
                else:
                    names = obj.attrs.get("weight_names")
                    wn = None if names is None else [x.decode() for x in np.asarray(names).reshape(-1)]
                    ln = obj.attrs.get("layer_names")
                    entry["groups"]["/" + name] = {
                        "links": sorted(obj.keys()), "weight_names": wn,
                        "layer_names": None if ln is None else [x.decode() for x in ln]}
            f.visititems(visit)
            doc[rel] = entry
    write_json(os.path.join(OUT, "shared_data.json"), doc)


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".json"):
            os.remove(os.path.join(OUT, old))
    earliest = h5py.h5f.LIBVER_EARLIEST
    latest = h5py.h5f.LIBVER_LATEST
    v108 = h5py.h5f.LIBVER_V18
    make("earliest", (earliest, latest), {}, level="medium")
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    # A non-default chunk B-tree K forces superblock version 1; h5py does not wrap H5Pset_istore_k.
    if hdf5_library().H5Pset_istore_k(fcpl.id, 16) < 0:
        raise RuntimeError("H5Pset_istore_k failed")
    make("superblock1", (earliest, latest), {}, fcpl, level="tiny")
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fcpl.set_userblock(512)  # the superblock (and the base of all addresses) moves to offset 512
    make("userblock", (earliest, latest), {}, fcpl, level="tiny")
    make("v108", (v108, v108), {})
    make("latest", (latest, latest), {
        "/chunked/gzip_shuffle": "fixed_array", "/chunked/fletcher": "fixed_array",
        "/chunked/plain_3d": "fixed_array", "/chunked/partial_fill": "fixed_array",
        "/chunked/many_chunks": "fixed_array", "/data/vlen_str_chunked": "fixed_array",
        "/chunked/unlimited_1d": "extensible_array", "/chunked/ext_gzip": "extensible_array",
        "/chunked/unlimited_2d": "btree_v2", "/chunked/btree_deep": "btree_v2",
        "/chunked/ext_dim1": "extensible_array", "/chunked/fixed_max": "fixed_array", "/chunked/implicit": "implicit",
        "/chunked/single_chunk": "single_chunk", "/chunked/single_chunk_gzip": "single_chunk"}, level="full")
    make_odd_width()
    make_cycle()
    if os.path.isdir(SHARED):
        shared_data()
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {OUT}")


if __name__ == "__main__":
    main()
