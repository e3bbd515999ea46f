#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""uring-tool's io_uring engine against its own syscall engine, in pairs.

Each pair runs `bench BENCH --engine uring` and `--engine syscall` back to
back with the same options, in alternating order, and keeps the ratio of the
two. The report gives, per size and receiver mode, the median ratio, a 95%
confidence interval for that median (distribution-free: order statistics of
the ratios, so noise from other tenants widens it instead of biasing it), and
how many pairs io_uring won. An interval that contains 1.00 means the two
engines cannot be told apart on this machine with this many pairs.

usage: python3 bench/engines.py [-b BIN] [-s SIZES] [-r MODES] [-n PAIRS]
                                [-t SECS] [-w SECS] [BENCH] [-- BENCH-OPTIONS...]
e.g. python3 bench/engines.py -s 1M -r discard -- --recv-op plain
"""
import argparse
import json
import math
import statistics
import subprocess
import sys


def median_ci(xs, level=0.95):
    """Order-statistic interval for the median: (lo, hi), or None if n < 6."""
    xs = sorted(xs)
    n = len(xs)
    # largest k with P(Binomial(n, 1/2) <= k - 1) <= (1 - level) / 2
    k, tail = 0, 0.0
    while True:
        nxt = tail + math.comb(n, k) / 2 ** n
        if nxt > (1 - level) / 2:
            break
        tail, k = nxt, k + 1
    if k == 0:
        return None
    return xs[k - 1], xs[n - k]


def run_once(args, size, mode, engine):
    # the script's own options last: the tool keeps the last value
    cmd = [args.bin, "bench", args.bench, *args.extra, "--size", size,
           "--receiver", mode, "--engine", engine, "--time", f"{args.time}s",
           "--warmup", f"{args.warmup}s", "--no-progress", "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.time + 60)
    if out.returncode != 0:
        sys.exit(f"engines: {' '.join(cmd)} exited {out.returncode}: "
                 f"{(out.stderr.strip().splitlines() or [''])[0]}")
    return json.loads(out.stdout)["results"][0]["gbit_per_s"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bench", nargs="?", default="send")
    ap.add_argument("-b", "--bin", default="build/cli/uring-tool")
    ap.add_argument("-s", "--sizes", default="64K 1M")
    ap.add_argument("-r", "--modes", default="copy discard")
    ap.add_argument("-n", "--pairs", type=int, default=15,
                    help="pairs per cell (6 or more for an interval)")
    ap.add_argument("-t", "--time", type=float, default=2.0,
                    help="seconds measured per run")
    ap.add_argument("-w", "--warmup", type=float, default=0.5,
                    help="seconds of warm-up per run")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = ap.parse_args(argv[:cut])
    args.extra = argv[cut + 1:]	# after --: options for every run
    # said rather than silently overridden; getopt_long takes prefixes too
    mine = ("--engine", "--size", "--receiver", "--time", "--warmup", "--json",
            "--compare")
    for o in args.extra:
        name = o.split("=")[0]
        if name in ("-e", "-s", "-r", "-t", "-w", "-j", "-C") or (
                len(name) > 3 and any(m.startswith(name) for m in mine)):
            ap.error(f"'{o}' after --: the script sets it for every pair")
    if args.pairs < 1:
        ap.error(f"--pairs {args.pairs}: need at least 1")
    if not args.time > 0 or not args.warmup >= 0:
        ap.error(f"--time {args.time} / --warmup {args.warmup}: need time > 0, "
                 "warm-up >= 0")

    print(f"{'receiver':8} {'size':>6} {'pairs':>5} {'uring':>8} {'syscall':>8}"
          f" {'ratio':>6}  {'95% CI of ratio':15} {'won':>5}")
    for mode in args.modes.split():
        for size in args.sizes.split():
            u, s = [], []
            for i in range(args.pairs):
                order = ("uring", "syscall") if i % 2 == 0 else ("syscall", "uring")
                got = {e: run_once(args, size, mode, e) for e in order}
                u.append(got["uring"])
                s.append(got["syscall"])
            if 0 in s:
                sys.exit(f"engines: the syscall engine moved nothing at {size}")
            ratios = [a / b for a, b in zip(u, s)]
            ci = median_ci(ratios)
            cis = f"[{ci[0]:.3f}-{ci[1]:.3f}]" if ci else "(n<6)"
            won = sum(r > 1 for r in ratios)
            print(f"{mode:8} {size:>6} {args.pairs:5} {statistics.median(u):8.2f}"
                  f" {statistics.median(s):8.2f} {statistics.median(ratios):6.3f}"
                  f"  {cis:15} {won:2}/{args.pairs}", flush=True)
    print("Gbit/s medians; ratio = median of per-pair uring/syscall ratios")


if __name__ == "__main__":
    main()
