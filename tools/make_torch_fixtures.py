#!/usr/bin/python3
"""Writes the small PyTorch fixtures of tests/SeqLens.Tests/Fixtures/Torch/ and their expected.json.

Re-run (from the repository root):   /usr/bin/python3 tools/make_torch_fixtures.py
Needs Debian's python3-torch (1.13); installs it with apt-get when missing. Fixed seeds; every file is byte-identical
between runs except legacy.pt, whose storage keys are memory addresses in the legacy format.

Files:
  conv_bn_linear.pt      state_dict of Conv1d/BatchNorm1d/Linear after one training step (int64 num_batches_tracked)
  views_and_dtypes.pt    plain dict: a transposed (non-contiguous) tensor, a sliced view with a storage offset
                         sharing its storage, an expanded (stride 0) tensor, float64/float16/bfloat16/int64/int32/
                         int16/int8/uint8/bool tensors, a 0-d tensor and an empty tensor
  checkpoint.pt          {"epoch", "model": state_dict, "optimizer": SGD state_dict, "best", "name", "note": None}
  parameters.pt          {"w": nn.Parameter} (pickled through torch._utils._rebuild_parameter)
  legacy.pt              the pre-1.6 non-zip format (must be rejected)
  evil_*.pt              valid zip archives whose data.pkl is a hand-built pickle calling something forbidden;
                         each payload would create /tmp/seqlens_importfmt_pwned_<name> if it ever ran.
expected.json: for each good file, the flattened (dotted) keys in order with dtype, shape, first values, sum.
"""
import io
import json
import os
import pickle
import struct
import subprocess
import zipfile

try:
    import torch
except ImportError:
    subprocess.check_call(["apt-get", "install", "-y", "python3-torch"])
    import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "SeqLens.Tests", "Fixtures", "Torch")
MARKER = "/tmp/seqlens_importfmt_pwned_"


def conv_bn_linear():
    torch.manual_seed(5)
    model = torch.nn.Sequential(
        torch.nn.Conv1d(4, 3, kernel_size=5),
        torch.nn.BatchNorm1d(3),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(3 * 6, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = torch.randn(8, 4, 10)
    loss = model(x).pow(2).mean()
    loss.backward()
    opt.step()
    return model, opt


def views_and_dtypes():
    torch.manual_seed(6)
    base = torch.randn(4, 6)
    transposed = torch.arange(15, dtype=torch.float32).reshape(3, 5).t()
    assert not transposed.is_contiguous()
    sliced = base[1:, 2:5]
    assert sliced.storage_offset() == 8
    expanded = torch.tensor([1.0, 2.0, 3.0]).unsqueeze(0).expand(2, 3)
    return {
        "base": base,
        "transposed": transposed,
        "sliced": sliced,
        "expanded": expanded,
        "f64": torch.tensor([[1.5, -2.25], [1e10, 3.0]], dtype=torch.float64),
        "f16": torch.tensor([1.5, -0.0999755859375, 65504.0], dtype=torch.float16),
        "bf16": torch.tensor([1.0, -2.5, 3.140625], dtype=torch.bfloat16),
        "i64": torch.tensor([1, -2, 3000000000, -4], dtype=torch.int64),
        "i32": torch.tensor([7, -8], dtype=torch.int32),
        "i16": torch.tensor([300, -301], dtype=torch.int16),
        "i8": torch.tensor([-3, 4], dtype=torch.int8),
        "u8": torch.tensor([0, 128, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
    }


def describe(value):
    flat = []

    def walk(prefix, v):
        if isinstance(v, torch.Tensor):
            d = v.detach().to(torch.float64).contiguous().view(-1)
            flat.append({
                "key": prefix,
                "dtype": str(v.dtype).replace("torch.", ""),
                "shape": list(v.shape),
                "first": [float(x) for x in d[:6]],
                "sum": float(d.sum()),
                "parameter": isinstance(v, torch.nn.Parameter),
            })
        elif isinstance(v, dict):
            for k, sub in v.items():
                walk(f"{prefix}.{k}" if prefix else str(k), sub)
        elif isinstance(v, (list, tuple)):
            for i, sub in enumerate(v):
                walk(f"{prefix}.{i}" if prefix else str(i), sub)

    walk("", value)
    return flat


def zip_with_pickle(path, pkl):
    """A torch-style zip archive (archive/data.pkl, archive/version) around a hand-built pickle."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        # Fixed timestamps keep the archives byte-identical between runs.
        z.writestr(zipfile.ZipInfo("archive/data.pkl", date_time=(1980, 1, 1, 0, 0, 0)), pkl)
        z.writestr(zipfile.ZipInfo("archive/version", date_time=(1980, 1, 1, 0, 0, 0)), "3\n")


def global_op(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def unicode_op(s):
    b = s.encode("utf-8")
    return b"X" + struct.pack("<I", len(b)) + b


def evil_pickles():
    """Hand-built pickles: each would run a command or code creating a marker file if it were executed."""
    out = {}
    # GLOBAL os.system, ("touch marker",), REDUCE: the classic.
    out["os_system"] = (b"\x80\x02" + global_op("os", "system") + unicode_op("touch " + MARKER + "os_system")
                        + b"\x85R.")
    out["posix_system"] = (b"\x80\x02" + global_op("posix", "system") + unicode_op("touch " + MARKER + "posix_system")
                           + b"\x85R.")
    out["builtins_eval"] = (b"\x80\x02" + global_op("builtins", "eval")
                            + unicode_op("open('" + MARKER + "builtins_eval','w')") + b"\x85R.")
    out["subprocess_popen"] = (b"\x80\x02" + global_op("subprocess", "Popen") + b"]q\x00("
                               + unicode_op("touch") + unicode_op(MARKER + "subprocess_popen") + b"e\x85R.")
    # torch.storage._load_from_bytes unpickles arbitrary bytes with torch.load: forbidden too.
    inner = pickle.dumps(None, protocol=2)
    out["load_from_bytes"] = (b"\x80\x02" + global_op("torch.storage", "_load_from_bytes")
                              + b"C" + bytes([len(inner)]) + inner + b"\x85R.")
    # Protocol 4: STACK_GLOBAL with the names pushed as strings.
    out["stack_global"] = (b"\x80\x04\x8c\x02os\x8c\x06system\x93" + unicode_op("touch " + MARKER + "stack_global")
                           + b"\x85R.")
    # INST opcode (protocol 0 import + call in one): not an allowed opcode at all.
    out["inst"] = b"(" + unicode_op("touch " + MARKER + "inst") + b"ios\nsystem\n."
    # A forbidden global hidden inside an otherwise valid state dict (after a good tensor entry).
    out["nested"] = (b"\x80\x02}q\x00(" + unicode_op("ok") + b"K\x01" + unicode_op("bad")
                     + global_op("os", "system") + unicode_op("touch " + MARKER + "nested") + b"\x85Ru.")
    for name, pkl in out.items():
        if name != "inst":
            # Sanity: the standard library agrees these are well-formed pickles naming the global.
            assert b"system" in pkl or b"eval" in pkl or b"Popen" in pkl or b"_load_from_bytes" in pkl
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    model, opt = conv_bn_linear()
    good = {
        "conv_bn_linear.pt": model.state_dict(),
        "views_and_dtypes.pt": views_and_dtypes(),
        "checkpoint.pt": {"epoch": 3, "model": model.state_dict(), "optimizer": opt.state_dict(), "best": 0.625,
                          "name": "tiny", "note": None},
        "parameters.pt": {"w": torch.nn.Parameter(torch.tensor([[0.5, -1.0], [2.0, 4.0]]))},
    }
    expected = {}
    for name, value in good.items():
        torch.save(value, os.path.join(OUT, name))
        expected[name] = describe(value)
    torch.save({"w": torch.ones(2)}, os.path.join(OUT, "legacy.pt"), _use_new_zipfile_serialization=False)
    for name, pkl in evil_pickles().items():
        zip_with_pickle(os.path.join(OUT, f"evil_{name}.pt"), pkl)
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    for name in os.listdir(OUT):
        assert os.path.getsize(os.path.join(OUT, name)) < 50_000, name
    print("wrote fixtures to", OUT, "with torch", torch.__version__)


if __name__ == "__main__":
    main()
