#!/usr/bin/env python3
"""Writes the Keras importer's test fixtures, computed with numpy only (no TensorFlow, Theano or Keras).

Re-run from the repository root:
    /usr/bin/python3 tools/make_keras_fixtures.py
Outputs go to tests/SeqLens.Tests/Fixtures/Keras/:

* talgata_reference.json: 6 test-split sequences of ../shared/data/talgata and the DeepLIFT paper's Keras 2 model's
  logits for them, from a direct numpy implementation of that Sequential model read straight from its HDF5 weights
  (Conv1D valid -> ReLU -> Conv1D valid -> ReLU -> AveragePooling1D(180) -> Flatten -> Dense -> ReLU -> Dense).
* deepresolve_ctcf_reference.json: 6 CTCF peaks (100 bp, padded with one all-zero N column to 101) and the
  DeepResolve CTCF model's logits, computing Theano's *true* convolution with np.convolve (no kernel flip written by
  hand: np.convolve reverses the kernel itself, as Theano does), 'same' (half) padding.
* Synthetic models (hand-written Keras JSON, weights written by h5py in Keras' HDF5 layout, seeded numpy values):
  functional_add_concat (Keras 2 functional: Add, Concatenate, BatchNormalization, MaxPooling1D, channels-last
  Flatten, softmax), permute_reshape (Keras 2: Permute, channels-first Conv1D, Reshape, GlobalAveragePooling1D),
  keras1_theano_conv2d (Keras 1 full-model .h5 with model_config, backend theano, Convolution2D th, MaxPooling2D,
  Flatten, softmax), keras1_tf_conv1d_bn (Keras 1: Convolution1D (k, 1, in, out) kernel, BatchNormalization with
  running_std, AveragePooling1D same, Flatten, sigmoid), keras2_conv2d_channels_last (Conv2D 1 x k on (1, L, 4)
  channels-last, softplus, MaxPooling2D, Dropout, position-major Flatten). Each NAME.json (model) + NAME.h5 (weights) +
  NAME.expected.json (inputs in SeqLens layout (batch, 4, length) and the numpy logits).

Needs h5py and numpy (Debian: apt-get install -y python3-h5py python3-numpy); installs them when missing.
The real-data references need ../shared/data (skipped with a message when absent). Deterministic: fixed seeds, HDF5
objects without timestamps.
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
OUT = os.path.join(ROOT, "tests", "SeqLens.Tests", "Fixtures", "Keras")
DATA = os.path.join(os.path.dirname(ROOT), "shared", "data")
BASES = "ACGT"


def one_hot(seq, length):
    """(length, 4) channels-last one-hot; N and padding are all-zero rows."""
    x = np.zeros((length, 4), dtype=np.float64)
    for i, c in enumerate(seq.upper()[:length]):
        if c in BASES:
            x[i, BASES.index(c)] = 1.0
    return x


def relu(x):
    return np.maximum(x, 0.0)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def same_pad(length, k, stride=1):
    out = -(-length // stride)
    total = max(0, (out - 1) * stride + k - length)
    return total // 2, total - total // 2


def conv1d_last(x, kernel, bias, padding="valid"):
    """Keras (TensorFlow) Conv1D on channels-last x (L, C): cross-correlation, kernel (k, in, out)."""
    k = kernel.shape[0]
    if padding == "same":
        left, right = same_pad(x.shape[0], k)
        x = np.concatenate([np.zeros((left, x.shape[1])), x, np.zeros((right, x.shape[1]))])
    out_len = x.shape[0] - k + 1
    y = np.zeros((out_len, kernel.shape[2]))
    for i in range(out_len):
        y[i] = np.tensordot(x[i:i + k], kernel, axes=([0, 1], [0, 1]))
    return y + bias


def theano_conv_same(x_cl, kernel_oihw, bias):
    """Theano true convolution, border 'half' (odd k), input (L, C) -> (L, out), kernel (out, in, 1, k)."""
    out_ch, in_ch, _, k = kernel_oihw.shape
    y = np.zeros((x_cl.shape[0], out_ch))
    for o in range(out_ch):
        for c in range(in_ch):
            y[:, o] += np.convolve(x_cl[:, c], kernel_oihw[o, c, 0], mode="same")
    return y + bias


def pool1d(x, size, stride, kind, padding="valid"):
    """Pooling over axis 0 of (L, C); 'same' excludes padded positions (TensorFlow)."""
    length = x.shape[0]
    if padding == "same":
        out_len = -(-length // stride)
        left, _ = same_pad(length, size, stride)
    else:
        out_len = (length - size) // stride + 1
        left = 0
    y = np.zeros((out_len, x.shape[1]))
    for i in range(out_len):
        lo = max(0, i * stride - left)
        hi = min(length, i * stride - left + size)
        window = x[lo:hi]
        y[i] = window.max(axis=0) if kind == "max" else window.mean(axis=0)
    return y


def batchnorm(x, gamma, beta, mean, var, eps):
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def write_h5_weights(group, layers):
    """Keras layout: layer_names on the group; per layer a group with weight_names and the datasets."""
    group.attrs["layer_names"] = np.array([name.encode() for name, _ in layers])
    for name, weights in layers:
        g = group.create_group(name, track_order=False)
        if not weights:
            g.attrs["weight_names"] = np.array([], dtype=np.float64)  # what Keras writes for no weights
            continue
        g.attrs["weight_names"] = np.array([w.encode() for w, _ in weights])
        for wname, value in weights:
            g.create_dataset(wname, data=np.asarray(value, dtype=np.float32), track_times=False)


def dump(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", os.path.relpath(path, ROOT))


def expected(name, inputs_cl, logits, note):
    """inputs_cl: per-sample (length, 4) one-hot inputs; stored in SeqLens layout (4, length)."""
    ours = [np.asarray(x).T for x in inputs_cl]
    dump(name + ".expected.json", {
        "note": note,
        "inputs": [np.round(x, 6).tolist() for x in ours],
        "logits": [np.asarray(l, dtype=np.float64).tolist() for l in logits],
    })


def f32(a):
    """Weights are stored as float32; compute the reference from the stored values."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def random_inputs(rng, count, length):
    xs = []
    for _ in range(count):
        seq = "".join(rng.choice(list("ACGTN"), size=length, p=[0.24, 0.24, 0.24, 0.24, 0.04]))
        xs.append(one_hot(seq, length))
    return xs


# ---------------------------------------------------------------------------------------------------------------
# Real models (need ../shared/data)

def talgata():
    d = os.path.join(DATA, "talgata")
    weights = os.path.join(d, "keras2_conv1d_record_5_model_PQzyq_modelWeights.h5")
    if not os.path.exists(weights):
        print("skip talgata: ../shared/data/talgata is absent", file=sys.stderr)
        return
    with gzip.open(os.path.join(d, "test.txt.gz"), "rt") as f:
        test = [line.strip() for line in f if line.strip()]
    rows = {}
    with gzip.open(os.path.join(d, "sequences.simdata.gz"), "rt") as f:
        next(f)
        for line in f:
            fields = line.rstrip("\n").split("\t")
            rows[fields[0]] = fields[1]
    picks = []
    for prefix in ("empty_", "gata_only_", "tal1_only_", "gata_tal1_"):
        picks += [n for n in test if n.startswith(prefix)][:2]
    picks = picks[:6]
    h = h5py.File(weights, "r")
    w = lambda layer, name: f32(h[layer][layer][name][()])
    logits = []
    for n in picks:
        x = one_hot(rows[n], 200)
        y = relu(conv1d_last(x, w("conv1d_1", "kernel:0"), w("conv1d_1", "bias:0")))
        y = relu(conv1d_last(y, w("conv1d_2", "kernel:0"), w("conv1d_2", "bias:0")))
        y = pool1d(y, 180, 180, "avg").reshape(-1)  # (1, 50) flattened position-major
        y = relu(y @ w("dense_1", "kernel:0") + w("dense_1", "bias:0"))
        logits.append(y @ w("dense_2", "kernel:0") + w("dense_2", "bias:0"))
    dump("talgata_reference.json", {
        "note": "numpy forward pass of keras2_conv1d_record_5_model_PQzyq straight from its HDF5 weights (logits, before the final sigmoid)",
        "names": picks,
        "sequences": [rows[n] for n in picks],
        "logits": [l.tolist() for l in logits],
    })


def deepresolve_ctcf():
    d = os.path.join(DATA, "deepresolve", "wgEncodeAwgTfbsUtaGm12878CtcfUniPk")
    weights = os.path.join(d, "16_G_bestmodel_weights.h5")
    fasta = os.path.join(DATA, "chipseq", "ctcf.fa.gz")
    if not os.path.exists(weights) or not os.path.exists(fasta):
        print("skip deepresolve: ../shared/data files are absent", file=sys.stderr)
        return
    seqs = []
    with gzip.open(fasta, "rt") as f:
        for line in f:
            if not line.startswith(">"):
                seqs.append(line.strip())
            if len(seqs) == 6:
                break
    h = h5py.File(weights, "r")["model_weights"]
    prefix = lambda p: next(k for k in h.keys() if k.startswith(p))
    conv, d1, d2 = prefix("convolution2d_"), sorted(k for k in h.keys() if k.startswith("dense_"))[0], sorted(k for k in h.keys() if k.startswith("dense_"))[1]
    W = f32(h[conv][conv + "_W"][()])  # (16, 4, 1, 25)
    b = f32(h[conv][conv + "_b"][()])
    logits = []
    for s in seqs:
        x = one_hot(s, 101)  # 100 bp peak + one all-zero N column at the end
        y = relu(theano_conv_same(x, W, b))  # (101, 16)
        y = y.max(axis=0)  # MaxPooling2D (1, 101) over the whole width, then Flatten
        y = relu(y @ f32(h[d1][d1 + "_W"][()]) + f32(h[d1][d1 + "_b"][()]))
        logits.append(y @ f32(h[d2][d2 + "_W"][()]) + f32(h[d2][d2 + "_b"][()]))
    dump("deepresolve_ctcf_reference.json", {
        "note": "numpy forward pass of the DeepResolve CTCF model with Theano's true convolution (np.convolve, 'same'); peaks padded to 101 bp with one N column",
        "sequences": seqs,
        "logits": [l.tolist() for l in logits],
    })


# ---------------------------------------------------------------------------------------------------------------
# Synthetic models

def functional_add_concat(rng):
    L = 12
    ka, ba = rng.normal(size=(3, 4, 3)), rng.normal(size=3) * 0.1
    kb, bb = rng.normal(size=(3, 4, 3)), rng.normal(size=3) * 0.1
    gamma, beta = rng.uniform(0.5, 1.5, 6), rng.normal(size=6) * 0.1
    mean, var = rng.normal(size=6) * 0.2, rng.uniform(0.5, 2.0, 6)
    kd, bd = rng.normal(size=(6 * 6, 2)) * 0.3, rng.normal(size=2) * 0.1
    ka, ba, kb, bb, gamma, beta, mean, var, kd, bd = map(f32, (ka, ba, kb, bb, gamma, beta, mean, var, kd, bd))

    def layer(cls, name, config, inbound):
        config = dict(config, name=name)
        return {"class_name": cls, "name": name, "config": config,
                "inbound_nodes": [[[i, 0, 0, {}] for i in inbound]] if inbound else []}

    model = {"class_name": "Model", "keras_version": "2.1.6", "backend": "tensorflow", "config": {
        "name": "model_1",
        "layers": [
            layer("InputLayer", "dna", {"batch_input_shape": [None, L, 4], "dtype": "float32", "sparse": False}, []),
            layer("Conv1D", "conv_a", {"filters": 3, "kernel_size": [3], "strides": [1], "padding": "same", "dilation_rate": [1], "activation": "relu", "use_bias": True}, ["dna"]),
            layer("Conv1D", "conv_b", {"filters": 3, "kernel_size": [3], "strides": [1], "padding": "same", "dilation_rate": [1], "activation": "linear", "use_bias": True}, ["dna"]),
            layer("Add", "add_1", {}, ["conv_a", "conv_b"]),
            layer("Concatenate", "concat_1", {"axis": -1}, ["add_1", "conv_a"]),
            layer("BatchNormalization", "bn_1", {"axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True}, ["concat_1"]),
            layer("MaxPooling1D", "pool_1", {"pool_size": [2], "strides": [2], "padding": "valid"}, ["bn_1"]),
            layer("Flatten", "flatten_1", {}, ["pool_1"]),
            layer("Dense", "dense_1", {"units": 2, "activation": "softmax", "use_bias": True}, ["flatten_1"]),
        ],
        "input_layers": [["dna", 0, 0]],
        "output_layers": [["dense_1", 0, 0]],
    }}
    dump("functional_add_concat.json", model)
    with h5py.File(os.path.join(OUT, "functional_add_concat.h5"), "w", track_order=False) as f:
        f.attrs["keras_version"] = b"2.1.6"
        f.attrs["backend"] = b"tensorflow"
        write_h5_weights(f, [
            ("dna", []),
            ("conv_a", [("conv_a/kernel:0", ka), ("conv_a/bias:0", ba)]),
            ("conv_b", [("conv_b/kernel:0", kb), ("conv_b/bias:0", bb)]),
            ("add_1", []), ("concat_1", []),
            ("bn_1", [("bn_1/gamma:0", gamma), ("bn_1/beta:0", beta), ("bn_1/moving_mean:0", mean), ("bn_1/moving_variance:0", var)]),
            ("pool_1", []), ("flatten_1", []),
            ("dense_1", [("dense_1/kernel:0", kd), ("dense_1/bias:0", bd)]),
        ])
    xs = random_inputs(rng, 3, L)
    logits = []
    for x in xs:
        a = relu(conv1d_last(x, ka, ba, "same"))
        b = conv1d_last(x, kb, bb, "same")
        y = np.concatenate([a + b, a], axis=-1)  # (12, 6)
        y = batchnorm(y, gamma, beta, mean, var, 1e-3)
        y = pool1d(y, 2, 2, "max").reshape(-1)  # (6, 6) position-major
        logits.append(y @ kd + bd)
    expected("functional_add_concat", xs, logits, "logits before the final softmax")


def permute_reshape(rng):
    L = 10
    k1, b1 = f32(rng.normal(size=(3, 4, 3))), f32(rng.normal(size=3) * 0.1)
    k2, b2 = f32(rng.normal(size=(2, 3, 2))), f32(rng.normal(size=2) * 0.1)
    kd, bd = f32(rng.normal(size=(2, 1))), f32(rng.normal(size=1) * 0.1)
    model = {"class_name": "Sequential", "keras_version": "2.2.4", "backend": "tensorflow", "config": {"name": "seq", "layers": [
        {"class_name": "Permute", "config": {"name": "permute_1", "dims": [2, 1], "batch_input_shape": [None, L, 4]}},
        {"class_name": "Conv1D", "config": {"name": "conv_cf", "filters": 3, "kernel_size": [3], "strides": [1], "padding": "valid", "data_format": "channels_first", "dilation_rate": [1], "activation": "tanh", "use_bias": True}},
        {"class_name": "Reshape", "config": {"name": "reshape_1", "target_shape": [8, 3]}},
        {"class_name": "Conv1D", "config": {"name": "conv_cl", "filters": 2, "kernel_size": [2], "strides": [1], "padding": "valid", "data_format": "channels_last", "dilation_rate": [1], "activation": "elu", "use_bias": True}},
        {"class_name": "GlobalAveragePooling1D", "config": {"name": "gap_1", "data_format": "channels_last"}},
        {"class_name": "Dense", "config": {"name": "dense_1", "units": 1, "activation": "linear", "use_bias": True}},
    ]}}
    dump("permute_reshape.json", model)
    with h5py.File(os.path.join(OUT, "permute_reshape.h5"), "w") as f:
        f.attrs["keras_version"] = b"2.2.4"
        f.attrs["backend"] = b"tensorflow"
        write_h5_weights(f, [
            ("permute_1", []),
            ("conv_cf", [("conv_cf/kernel:0", k1), ("conv_cf/bias:0", b1)]),
            ("reshape_1", []),
            ("conv_cl", [("conv_cl/kernel:0", k2), ("conv_cl/bias:0", b2)]),
            ("gap_1", []),
            ("dense_1", [("dense_1/kernel:0", kd), ("dense_1/bias:0", bd)]),
        ])
    xs = random_inputs(rng, 3, L)
    logits = []
    for x in xs:
        p = x.T  # Permute((2, 1)): (10, 4) -> (4, 10), channels-first for the next conv
        y = np.tanh(conv1d_last(p.T, k1, b1).T)  # channels-first conv = channels-last conv on the transpose; (3, 8)
        y = y.reshape(8, 3)  # Keras Reshape: row-major, not a transpose
        y = conv1d_last(y, k2, b2)  # (7, 2)
        y = np.where(y > 0, y, np.exp(np.minimum(y, 0)) - 1)  # elu
        y = y.mean(axis=0)
        logits.append(y @ kd + bd)
    expected("permute_reshape", xs, logits, "linear output")


def keras1_theano_conv2d(rng):
    L, K = 10, 5
    W, b = f32(rng.normal(size=(3, 4, 1, K))), f32(rng.normal(size=3) * 0.1)
    kd, bd = f32(rng.normal(size=(3 * 5, 2)) * 0.5), f32(rng.normal(size=2) * 0.1)
    config = {"class_name": "Sequential", "keras_version": "1.2.0", "config": [
        {"class_name": "Convolution2D", "config": {"name": "convolution2d_1", "nb_filter": 3, "nb_row": 1, "nb_col": K, "border_mode": "same", "subsample": [1, 1], "dim_ordering": "th", "activation": "relu", "bias": True, "batch_input_shape": [None, 4, 1, L], "input_dtype": "float32", "trainable": True}},
        {"class_name": "MaxPooling2D", "config": {"name": "maxpooling2d_1", "pool_size": [1, 2], "strides": [1, 2], "border_mode": "valid", "dim_ordering": "th", "trainable": True}},
        {"class_name": "Flatten", "config": {"name": "flatten_1", "trainable": True}},
        {"class_name": "Dense", "config": {"name": "dense_1", "output_dim": 2, "activation": "linear", "bias": True, "input_dim": 15, "trainable": True}},
        {"class_name": "Activation", "config": {"name": "activation_1", "activation": "softmax", "trainable": True}},
    ]}
    with h5py.File(os.path.join(OUT, "keras1_theano_conv2d.h5"), "w") as f:
        f.attrs["keras_version"] = b"1.2.0"
        f.attrs["backend"] = b"theano"
        f.attrs["model_config"] = json.dumps(config).encode()
        g = f.create_group("model_weights")
        write_h5_weights(g, [
            ("convolution2d_1", [("convolution2d_1_W", W), ("convolution2d_1_b", b)]),
            ("maxpooling2d_1", []), ("flatten_1", []),
            ("dense_1", [("dense_1_W", kd), ("dense_1_b", bd)]),
            ("activation_1", []),
        ])
    print("wrote", os.path.relpath(os.path.join(OUT, "keras1_theano_conv2d.h5"), ROOT))
    xs = random_inputs(rng, 3, L)
    logits = []
    for x in xs:
        y = relu(theano_conv_same(x, W, b))  # (10, 3) = Theano (3, 1, 10) transposed
        y = pool1d(y, 2, 2, "max")  # (5, 3)
        y = y.T.reshape(-1)  # Theano (3, 1, 5) flattened channel-major
        logits.append(y @ kd + bd)
    expected("keras1_theano_conv2d", xs, logits, "Theano true convolution; logits before the final softmax")


def keras1_tf_conv1d_bn(rng):
    L, K = 10, 4  # conv output 7: the 'same' average pool's last window holds one real position and one pad
    W, b = f32(rng.normal(size=(K, 1, 4, 3))), f32(rng.normal(size=3) * 0.1)
    gamma, beta = f32(rng.uniform(0.5, 1.5, 3)), f32(rng.normal(size=3) * 0.1)
    mean, var = f32(rng.normal(size=3) * 0.2), f32(rng.uniform(0.5, 2.0, 3))
    kd, bd = f32(rng.normal(size=(4 * 3, 1)) * 0.5), f32(rng.normal(size=1) * 0.1)
    config = {"class_name": "Sequential", "keras_version": "1.2.0", "config": [
        {"class_name": "Convolution1D", "config": {"name": "convolution1d_1", "nb_filter": 3, "filter_length": K, "border_mode": "valid", "subsample_length": 1, "activation": "linear", "bias": True, "batch_input_shape": [None, L, 4], "input_dtype": "float32", "trainable": True}},
        {"class_name": "BatchNormalization", "config": {"name": "batchnormalization_1", "axis": -1, "mode": 0, "epsilon": 0.001, "momentum": 0.99, "trainable": True}},
        {"class_name": "Activation", "config": {"name": "activation_1", "activation": "relu", "trainable": True}},
        {"class_name": "AveragePooling1D", "config": {"name": "averagepooling1d_1", "pool_length": 2, "stride": 2, "border_mode": "same", "trainable": True}},
        {"class_name": "Flatten", "config": {"name": "flatten_1", "trainable": True}},
        {"class_name": "Dense", "config": {"name": "dense_1", "output_dim": 1, "activation": "sigmoid", "bias": True, "trainable": True}},
    ]}
    dump("keras1_tf_conv1d_bn.json", config)
    with h5py.File(os.path.join(OUT, "keras1_tf_conv1d_bn.h5"), "w") as f:
        f.attrs["keras_version"] = b"1.2.0"
        f.attrs["backend"] = b"tensorflow"
        write_h5_weights(f, [
            ("convolution1d_1", [("convolution1d_1_W", W), ("convolution1d_1_b", b)]),
            ("batchnormalization_1", [("batchnormalization_1_gamma", gamma), ("batchnormalization_1_beta", beta), ("batchnormalization_1_running_mean", mean), ("batchnormalization_1_running_std", var)]),
            ("activation_1", []), ("averagepooling1d_1", []), ("flatten_1", []),
            ("dense_1", [("dense_1_W", kd), ("dense_1_b", bd)]),
        ])
    xs = random_inputs(rng, 3, L)
    logits = []
    for x in xs:
        y = conv1d_last(x, W[:, 0], b)  # (7, 3)
        y = relu(batchnorm(y, gamma, beta, mean, var, 1e-3))  # Keras 1 running_std holds the variance
        y = pool1d(y, 2, 2, "avg", "same").reshape(-1)  # (4, 3) position-major; pads not counted
        logits.append(y @ kd + bd)
    expected("keras1_tf_conv1d_bn", xs, logits, "logits before the final sigmoid")


def keras2_conv2d_channels_last(rng):
    L = 10
    k, b = f32(rng.normal(size=(1, 3, 4, 2))), f32(rng.normal(size=2) * 0.1)
    kd, bd = f32(rng.normal(size=(5 * 2, 1))), f32(rng.normal(size=1) * 0.1)
    model = {"class_name": "Sequential", "keras_version": "2.1.6", "backend": "tensorflow", "config": [
        {"class_name": "Conv2D", "config": {"name": "conv2d_1", "filters": 2, "kernel_size": [1, 3], "strides": [1, 1], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "softplus", "use_bias": True, "batch_input_shape": [None, 1, L, 4]}},
        {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d_1", "pool_size": [1, 2], "strides": [1, 2], "padding": "valid", "data_format": "channels_last"}},
        {"class_name": "Dropout", "config": {"name": "dropout_1", "rate": 0.2}},
        {"class_name": "Flatten", "config": {"name": "flatten_1", "data_format": "channels_last"}},
        {"class_name": "Dense", "config": {"name": "dense_1", "units": 1, "activation": "linear", "use_bias": True}},
    ]}
    dump("keras2_conv2d_channels_last.json", model)
    with h5py.File(os.path.join(OUT, "keras2_conv2d_channels_last.h5"), "w") as f:
        f.attrs["keras_version"] = b"2.1.6"
        f.attrs["backend"] = b"tensorflow"
        write_h5_weights(f, [
            ("conv2d_1", [("conv2d_1/kernel:0", k), ("conv2d_1/bias:0", b)]),
            ("max_pooling2d_1", []), ("dropout_1", []), ("flatten_1", []),
            ("dense_1", [("dense_1/kernel:0", kd), ("dense_1/bias:0", bd)]),
        ])
    xs = random_inputs(rng, 3, L)
    logits = []
    for x in xs:
        y = np.log1p(np.exp(conv1d_last(x, k[0], b, "same")))  # (10, 2); softplus
        y = pool1d(y, 2, 2, "max").reshape(-1)  # (1, 5, 2) flattened position-major
        logits.append(y @ kd + bd)
    expected("keras2_conv2d_channels_last", xs, logits, "linear output")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261122)
    functional_add_concat(rng)
    permute_reshape(rng)
    keras1_theano_conv2d(rng)
    keras1_tf_conv1d_bn(rng)
    keras2_conv2d_channels_last(rng)
    talgata()
    deepresolve_ctcf()


if __name__ == "__main__":
    main()
