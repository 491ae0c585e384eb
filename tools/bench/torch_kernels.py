#!/usr/bin/env python3
"""PyTorch reference timings for the SeqLens kernel benchmarks (same shapes, same table format).

Note: Debian's python3-torch 1.13 is built with BLAS_INFO=generic (netlib reference BLAS), so torch.mm is slow
here; convolutions run on oneDNN (MKL-DNN). The gemm suite therefore also reports "mm.onednn": the same product
as a 1x1 conv1d over 16 column blocks. The script does not switch the system BLAS (that would change other tools' numerics).

Re-run:  /usr/bin/python3 tools/bench/torch_kernels.py gemm|conv|pool [--threads 1,2] [--repeats N] [--filter text]
Normally started by `dotnet run -c Release --project bench/SeqLens.Bench -- <suite>`, which parses the
RESULT lines (tab-separated: RESULT, case, op, threads, median ms). Needs Debian's python3-torch (1.13);
installs it with apt-get when missing and possible. Exit code 3 = no torch.
Shapes must match bench/SeqLens.Bench/BenchCases.cs.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time


def ensure_torch():
    try:
        import torch  # noqa: F401
        return True
    except ImportError:
        pass
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "python3-torch"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            import torch  # noqa: F401
            return True
        except ImportError:
            return False
    return False


BATCH = 64


def same_padding(length, kernel, stride, dilation):
    out = (length + stride - 1) // stride
    total = max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - length)
    return total // 2, total - total // 2


def conv_cases():
    left, right = same_padding(600, 19, 1, 1)
    # name, cin, cout, length, kernel, pad_left, pad_right
    return [
        ("basset.conv1", 4, 300, 600, 19, left, right),
        ("basset.conv2", 300, 200, 200, 11, 0, 0),
        ("basset.conv3", 200, 200, 47, 7, 0, 0),
        ("deepsea.conv1", 4, 320, 1000, 8, 0, 0),
        ("deepsea.conv2", 320, 480, 248, 8, 0, 0),
        ("deepsea.conv3", 480, 960, 60, 8, 0, 0),
    ]


def gemm_cases():
    cases = [("square.1024", 1024, 1024, 1024)]
    for name, cin, cout, length, kernel, pl, pr in conv_cases():
        lout = length + pl + pr - (kernel - 1)
        cases.append((name + ".im2col", cout, BATCH * lout, cin * kernel))
    return cases


def median_ms(fn, repeats, warmups=2):
    for _ in range(warmups):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    mid = repeats // 2
    return times[mid] if repeats % 2 == 1 else 0.5 * (times[mid - 1] + times[mid])


def report(case, op, threads, ms):
    print(f"  torch {case} {op} threads={threads}: {ms:.2f} ms", flush=True)
    print(f"RESULT\t{case}\t{op}\t{threads}\t{ms:.4f}", flush=True)


def run_gemm(torch, threads, repeats, flt):
    import torch.nn.functional as F
    g = torch.Generator().manual_seed(1)
    for name, m, n, k in gemm_cases():
        if flt and flt not in name:
            continue
        a = torch.rand(m, k, generator=g) * 2 - 1
        b = torch.rand(k, n, generator=g) * 2 - 1
        out = torch.empty(m, n)
        # Debian's torch 1.13 links torch.mm to the reference (netlib) BLAS, so also time the same products as a
        # 1x1 conv1d, which runs on oneDNN when the batch is >= 16 (else torch picks its BLAS 1x1 path):
        # B (k, n) split into 16 column blocks -> input (16, k, n/16), weight (m, k, 1) -> (16, m, n/16).
        x1 = b.view(k, 16, n // 16).permute(1, 0, 2).contiguous()
        w1 = a.unsqueeze(2)
        for t in threads:
            torch.set_num_threads(t)
            with torch.no_grad():
                # NOTE: netlib mm runs at ~2 GFLOP/s: one untimed-warm-up-free run is representative and keeps
                # the suite within minutes.
                report(name, "mm", t, median_ms(lambda: torch.mm(a, b, out=out), 1, warmups=0))
                report(name, "mm.onednn", t, median_ms(lambda: F.conv1d(x1, w1), repeats))


def run_conv(torch, threads, repeats, flt):
    import torch.nn.functional as F
    g = torch.Generator().manual_seed(1)
    for name, cin, cout, length, kernel, pl, pr in conv_cases():
        if flt and flt not in name:
            continue
        x = torch.rand(BATCH, cin, length, generator=g) * 2 - 1
        w = torch.rand(cout, cin, kernel, generator=g) * 2 - 1
        bias = torch.rand(cout, generator=g) * 2 - 1
        xp = F.pad(x, (pl, pr)) if pl != pr else x
        pad = pl if pl == pr else 0
        with torch.no_grad():
            y = F.conv1d(xp, w, bias, padding=pad)
        dy = torch.rand(y.shape, generator=g) * 2 - 1

        def backward(mask):
            return torch.ops.aten.convolution_backward(
                dy, xp, w, [cout], [1], [pad], [1], False, [0], 1, mask)

        for t in threads:
            torch.set_num_threads(t)
            with torch.no_grad():
                report(name, "forward", t, median_ms(lambda: F.conv1d(xp, w, bias, padding=pad), repeats))
                report(name, "input-grad", t, median_ms(lambda: backward([True, False, False]), repeats))
                report(name, "weight-grad", t, median_ms(lambda: backward([False, True, True]), repeats))


def run_pool(torch, threads, repeats, flt):
    import torch.nn.functional as F
    g = torch.Generator().manual_seed(1)
    cases = [("basset.pool1", 300, 600, 3), ("basset.pool2", 200, 190, 4),
             ("deepsea.pool1", 320, 993, 4), ("deepsea.pool2", 480, 241, 4)]
    for name, channels, length, kernel in cases:
        if flt and flt not in name:
            continue
        x = torch.rand(BATCH, channels, length, generator=g) * 2 - 1
        y, idx = F.max_pool1d(x, kernel, return_indices=True)
        dy = torch.rand(y.shape, generator=g)
        for t in threads:
            torch.set_num_threads(t)
            with torch.no_grad():
                report(name, "max-forward", t, median_ms(lambda: F.max_pool1d(x, kernel, return_indices=True), repeats))
                report(name, "max-backward", t, median_ms(
                    lambda: torch.ops.aten.max_pool2d_with_indices_backward(
                        dy.unsqueeze(2), x.unsqueeze(2), [1, kernel], [1, kernel], [0, 0], [1, 1], False,
                        idx.unsqueeze(2)), repeats))
                report(name, "avg-forward", t, median_ms(lambda: F.avg_pool1d(x, kernel), repeats))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", choices=["gemm", "conv", "pool"])
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--filter", default=None)
    args = parser.parse_args()
    if not ensure_torch():
        print("python3 has no torch module (apt-get install -y python3-torch)", file=sys.stderr)
        sys.exit(3)
    import torch
    print(f"TORCH\t{torch.__version__}", flush=True)
    threads = [int(t) for t in args.threads.split(",")]
    {"gemm": run_gemm, "conv": run_conv, "pool": run_pool}[args.suite](torch, threads, args.repeats, args.filter)


if __name__ == "__main__":
    main()
