#!/usr/bin/env python3
"""PyTorch reference timing for the QRNN benchmark of bench/SeqLens.Bench (suite `qrnn`).

A QRNN layer written the usual way in PyTorch 1.13 (Debian's python3-torch): a causal Conv1d to 3H channels,
tanh/sigmoid gates, then fo-pooling with a Python loop over time (c = f*c + (1-f)*z; h = o*c; torch.stack).
Shape (one warm-up, median of --repeats): batch 64, 4 input channels, length 1000, hidden 128, kernel width 2; eval forward under no_grad, and a
training step's forward + backward (sum of h as the loss), for 1 and 2 threads.
Prints "TORCH\tversion" once, then "RESULT\tqrnn\twhat\tthreads\tmedian_ms" (bench/SeqLens.Bench/TorchReference.cs).

Run:   /usr/bin/python3 tools/bench/torch_qrnn.py [--repeats 5] [--threads 1,2] [--no-backward]
Needs: apt-get install -y python3-torch   (not needed by SeqLens itself)
"""
import argparse
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError:  # pragma: no cover
    print("python3-torch is not installed (apt-get install -y python3-torch)", file=sys.stderr)
    sys.exit(3)


class Qrnn(nn.Module):
    def __init__(self, inputs, hidden, width):
        super().__init__()
        self.hidden = hidden
        self.width = width
        self.conv = nn.Conv1d(inputs, 3 * hidden, width)

    def forward(self, x):  # x: (B, C, L)
        g = self.conv(nn.functional.pad(x, (self.width - 1, 0)))
        z, f, o = g.chunk(3, dim=1)
        z, f, o = torch.tanh(z), torch.sigmoid(f), torch.sigmoid(o)
        c = torch.zeros(x.shape[0], self.hidden, dtype=x.dtype)
        hs = []
        for t in range(x.shape[2]):
            c = f[:, :, t] * c + (1 - f[:, :, t]) * z[:, :, t]
            hs.append(o[:, :, t] * c)
        return torch.stack(hs, dim=2)


def timed(fn, repeats, warmup=1):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--no-backward", action="store_true")
    args = ap.parse_args()
    torch.manual_seed(0)
    print(f"TORCH\t{torch.__version__}", flush=True)
    model = Qrnn(4, 128, 2)
    idx = torch.randint(0, 4, (64, 1000))
    x = torch.nn.functional.one_hot(idx, 4).permute(0, 2, 1).float().contiguous()
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        with torch.no_grad():
            med = timed(lambda: model(x), args.repeats)
        print(f"RESULT\tqrnn\tforward\t{threads}\t{med:.3f}", flush=True)
        if not args.no_backward:
            xg = x.clone().requires_grad_(True)

            def step():
                model.zero_grad(set_to_none=False)
                model(xg).sum().backward()
            med = timed(step, args.repeats)
            print(f"RESULT\tqrnn\tforward_backward\t{threads}\t{med:.3f}", flush=True)


if __name__ == "__main__":
    main()
