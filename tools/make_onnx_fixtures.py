#!/usr/bin/python3
"""Writes the small ONNX fixtures of tests/SeqLens.Tests/Fixtures/Onnx/ and their expected.json.

Re-run (from the repository root):   /usr/bin/python3 tools/make_onnx_fixtures.py
Needs Debian's python3-torch (1.13) and python3-onnx (1.12); installs them with apt-get when missing.
Output is deterministic for a given torch/onnx version (fixed seeds); every model is well under 50 KB.

expected.json lists, per model, what onnx's own python API reads: opset imports, graph inputs/outputs
(elem_type, dims with dim_value or dim_param), nodes (name, op_type, domain, inputs, outputs, attributes)
and initializers (name, data_type, dims, element count, first values and the float64 sum of all values).
The C# reader's tests compare against it.
"""
import json
import os
import subprocess
import sys

try:
    import numpy as np
    import onnx
    import torch
    from onnx import helper, numpy_helper, TensorProto
except ImportError:
    subprocess.check_call(["apt-get", "install", "-y", "python3-torch", "python3-onnx", "python3-numpy"])
    import numpy as np
    import onnx
    import torch
    from onnx import helper, numpy_helper, TensorProto

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "SeqLens.Tests", "Fixtures", "Onnx")


class Cnn(torch.nn.Module):
    """conv + relu + maxpool + linear, the shape of a small genomic CNN."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(4, 3, kernel_size=5, padding=2)
        self.pool = torch.nn.MaxPool1d(2)
        self.fc = torch.nn.Linear(3 * 10, 2)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv(x)))
        return self.fc(torch.flatten(x, 1))


class WithBatchNorm(torch.nn.Module):
    """relu before batch-norm so the exporter cannot fold the batch-norm into the convolution."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(4, 3, kernel_size=3, dilation=2, bias=False)
        self.bn = torch.nn.BatchNorm1d(3, eps=1e-3)
        self.fc = torch.nn.Linear(3, 1)

    def forward(self, x):
        x = self.bn(torch.relu(self.conv(x)))
        return torch.sigmoid(self.fc(x.mean(dim=2)))


class WithReshape(torch.nn.Module):
    """x.view(x.size(0), -1) with a dynamic batch gives Shape/Gather/Unsqueeze/Concat/Reshape; plus Flatten."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(4, 2, kernel_size=4, stride=2)
        self.fc = torch.nn.Linear(2 * 9, 3)

    def forward(self, x):
        y = self.conv(x)
        a = self.fc(y.view(y.size(0), -1))
        b = self.fc(torch.flatten(y, 1))
        return a + b


class SoftmaxHead(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(4, 2, kernel_size=3)
        self.fc = torch.nn.Linear(2, 3)

    def forward(self, x):
        x = torch.amax(torch.relu(self.conv(x)), dim=2)
        return torch.softmax(self.fc(x), dim=1)


def export(model, name, opset, length, dynamic=False):
    model.eval()
    if isinstance(model, WithBatchNorm):
        with torch.no_grad():
            model.bn.running_mean.copy_(torch.tensor([0.1, -0.2, 0.3]))
            model.bn.running_var.copy_(torch.tensor([0.5, 1.5, 2.0]))
            model.bn.weight.copy_(torch.tensor([1.1, 0.9, 1.2]))
            model.bn.bias.copy_(torch.tensor([0.05, -0.05, 0.0]))
    x = torch.randn(1, 4, length)
    path = os.path.join(OUT, name)
    kwargs = {}
    if dynamic:
        kwargs["dynamic_axes"] = {"dna": {0: "batch"}, "logits": {0: "batch"}}
    torch.onnx.export(model, x, path, opset_version=opset, input_names=["dna"], output_names=["logits"], **kwargs)
    return path


def typed_fields_model(path):
    """A hand-built model whose initializers use the typed fields (not raw_data) and every attribute kind."""
    inits = [
        helper.make_tensor("f32_typed", TensorProto.FLOAT, [2, 3], [0.5, -1.25, 2.0, 3.5, -0.125, 1e-3]),
        helper.make_tensor("f64_typed", TensorProto.DOUBLE, [3], [1.5, -2.25, 1e10]),
        helper.make_tensor("i64_typed", TensorProto.INT64, [4], [1, -2, 3000000000, -4]),
        helper.make_tensor("i32_typed", TensorProto.INT32, [2], [7, -8]),
        helper.make_tensor("f16_typed", TensorProto.FLOAT16, [3],
                           np.array([1.5, -0.0999755859375, 65504.0], dtype=np.float16)),
        helper.make_tensor("u8_typed", TensorProto.UINT8, [3], [0, 128, 255]),
        helper.make_tensor("bool_typed", TensorProto.BOOL, [2], [True, False]),
        numpy_helper.from_array(np.array([[1.0, 2.0], [3.0, -4.5]], dtype=np.float16), "f16_raw"),
        numpy_helper.from_array(np.array([-3, 4], dtype=np.int8), "i8_raw"),
        numpy_helper.from_array(np.array([1.0, -2.5], dtype=np.float64), "f64_raw"),
        numpy_helper.from_array(np.array([5, -6, 7], dtype=np.int64), "i64_raw"),
        numpy_helper.from_array(np.zeros((0, 3), dtype=np.float32), "empty"),
        numpy_helper.from_array(np.array(2.5, dtype=np.float32), "scalar"),
    ]
    then_graph = helper.make_graph(
        [helper.make_node("Identity", ["f32_typed"], ["then_out"], name="then_id")], "then_branch", [],
        [helper.make_tensor_value_info("then_out", TensorProto.FLOAT, [2, 3])])
    else_graph = helper.make_graph(
        [helper.make_node("Neg", ["f32_typed"], ["else_out"], name="else_neg")], "else_branch", [],
        [helper.make_tensor_value_info("else_out", TensorProto.FLOAT, [2, 3])])
    nodes = [
        helper.make_node("Constant", [], ["c"], name="const",
                         value=helper.make_tensor("cv", TensorProto.FLOAT, [2], [4.0, -5.0])),
        helper.make_node("LeakyRelu", ["x"], ["lr"], name="leaky", alpha=0.125),
        helper.make_node("Transpose", ["lr"], ["tr"], name="transpose", perm=[1, 0]),
        helper.make_node("If", ["cond"], ["branch"], name="if", then_branch=then_graph, else_branch=else_graph),
        helper.make_node("CustomOp", ["tr"], ["y"], name="custom", domain="seqlens.test",
                         mode="same", scales=[0.5, 2.0], names=["a", "bc"]),
    ]
    graph = helper.make_graph(
        nodes, "typed", [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3]),
            helper.make_tensor_value_info("cond", TensorProto.BOOL, []),
        ], [
            helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, "N"]),
            helper.make_tensor_value_info("branch", TensorProto.FLOAT, [2, 3]),
        ], initializer=inits)
    model = helper.make_model(graph, producer_name="seqlens-fixtures", opset_imports=[
        helper.make_opsetid("", 13), helper.make_opsetid("seqlens.test", 1)])
    model.metadata_props.append(onnx.StringStringEntryProto(key="purpose", value="typed fields"))
    onnx.save(model, path)


def external_data_model(path):
    weights = numpy_helper.from_array(np.arange(16, dtype=np.float32).reshape(4, 4), "w")
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "ext",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])], initializer=[weights])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    bin_path = os.path.join(os.path.dirname(path), "external_data.bin")
    if os.path.exists(bin_path):
        os.remove(bin_path)  # onnx appends to an existing external file
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location="external_data.bin", size_threshold=0)


ATTR_KIND = {v: k for k, v in onnx.AttributeProto.AttributeType.items()}
DTYPE = {v: k for k, v in TensorProto.DataType.items()}


def value_of(a):
    kind = ATTR_KIND[a.type]
    if kind == "FLOAT":
        return a.f
    if kind == "INT":
        return a.i
    if kind == "STRING":
        return a.s.decode("utf-8")
    if kind == "FLOATS":
        return list(a.floats)
    if kind == "INTS":
        return list(a.ints)
    if kind == "STRINGS":
        return [s.decode("utf-8") for s in a.strings]
    if kind == "TENSOR":
        return describe_tensor(a.t)
    if kind == "GRAPH":
        return describe_graph(a.g, with_inits=False)
    raise ValueError(kind)


def describe_tensor(t):
    arr = numpy_helper.to_array(t)
    flat = arr.astype(np.float64).ravel()
    return {
        "name": t.name,
        "data_type": DTYPE[t.data_type],
        "dims": list(t.dims),
        "count": int(flat.size),
        "first": [float(v) for v in flat[:6]],
        "sum": float(flat.sum()),
        "uses_raw_data": t.HasField("raw_data"),
    }


def describe_value_info(v):
    tt = v.type.tensor_type
    dims = []
    for d in tt.shape.dim:
        if d.HasField("dim_value"):
            dims.append(d.dim_value)
        elif d.HasField("dim_param"):
            dims.append(d.dim_param)
        else:
            dims.append(None)
    return {"name": v.name, "elem_type": DTYPE[tt.elem_type], "dims": dims}


def describe_graph(g, with_inits=True):
    out = {
        "name": g.name,
        "inputs": [describe_value_info(v) for v in g.input],
        "outputs": [describe_value_info(v) for v in g.output],
        "nodes": [{
            "name": n.name,
            "op_type": n.op_type,
            "domain": n.domain,
            "inputs": list(n.input),
            "outputs": list(n.output),
            "attributes": [{"name": a.name, "type": ATTR_KIND[a.type], "value": value_of(a)} for a in n.attribute],
        } for n in g.node],
    }
    if with_inits:
        out["initializers"] = [describe_tensor(t) for t in g.initializer]
    return out


def describe(path):
    m = onnx.load(path)
    return {
        "file": os.path.basename(path),
        "ir_version": m.ir_version,
        "producer_name": m.producer_name,
        "opset_import": [{"domain": o.domain, "version": o.version} for o in m.opset_import],
        "metadata": {p.key: p.value for p in m.metadata_props},
        "graph": describe_graph(m.graph),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(11)
    paths = [
        export(Cnn(), "cnn_opset11.onnx", 11, 20),
        export(Cnn(), "cnn_opset13.onnx", 13, 20),
        export(WithBatchNorm(), "batchnorm_opset13.onnx", 13, 12),
        export(WithReshape(), "reshape_opset13.onnx", 13, 20, dynamic=True),
        export(SoftmaxHead(), "softmax_opset11.onnx", 11, 9),
    ]
    typed = os.path.join(OUT, "typed_fields.onnx")
    typed_fields_model(typed)
    paths.append(typed)
    external_data_model(os.path.join(OUT, "external_data.onnx"))
    for p in paths:
        onnx.checker.check_model(onnx.load(p))
        assert os.path.getsize(p) < 50_000, p
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump([describe(p) for p in paths], f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", len(paths) + 1, "models to", OUT, "with torch", torch.__version__, "onnx", onnx.__version__)


if __name__ == "__main__":
    main()
