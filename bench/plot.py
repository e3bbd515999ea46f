# SPDX-License-Identifier: MIT
"""Plot bench/vs-iperf3.sh results: median Gbit/s per size and tool.

usage: uring-tool run bench/plot.py RESULTS.tsv [OUT.png]
       (plain python3 works too; needs python3-matplotlib)
"""
import csv
import statistics
import sys


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src = argv[1]
    out = argv[2] if len(argv) > 2 else src.rsplit(".", 1)[0] + ".png"
    tools = ("iperf3", "uring", "syscall")
    runs = {}
    with open(src) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            per = runs.setdefault(row["size"], {t: [] for t in tools})
            for t in tools:
                per[t].append(float(row[t]))
    if not runs:
        print("plot.py: no rows in %s" % src, file=sys.stderr)
        return 4
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("plot.py: matplotlib is missing (apt-get install python3-matplotlib)",
              file=sys.stderr)
        return 3
    sizes = list(runs)
    width = 0.8 / len(tools)
    fig, ax = plt.subplots(figsize=(7, 4))
    for i, t in enumerate(tools):
        med = [statistics.median(runs[s][t]) for s in sizes]
        xs = [j + (i - 1) * width for j in range(len(sizes))]
        bars = ax.bar(xs, med, width, label=t)
        ax.bar_label(bars, fmt="%.1f", fontsize=8)
    ax.set_xticks(range(len(sizes)), sizes)
    ax.set_xlabel("message size")
    ax.set_ylabel("Gbit/s (median)")
    ax.set_title("TCP over loopback: uring-tool bench send vs iperf3")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
