# SPDX-License-Identifier: MIT
"""Plot bench/vs-iperf3.sh results: median Gbit/s per size, receiver mode
and tool, with uring-tool's ratios to iperf3 and to its syscall engine
(medians of the per-repetition ratios, as the script's table).

usage: uring-tool run bench/plot.py RESULTS.tsv [OUT.png]
       (plain python3 works too; needs python3-matplotlib)

RESULTS.tsv is what `bench/vs-iperf3.sh -o FILE` writes: a header line and
one row per repetition with the columns mode, size, rep, iperf3, uring and
syscall (Gbit/s). Files without a mode column are read as receiver "copy".
"""
import csv
import statistics
import sys

TOOLS = ("iperf3", "uring", "syscall")


def load(path):
    """{(mode, size): {tool: [gbit, ...]}} in file order."""
    runs = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            key = (row.get("mode") or "copy", row["size"])
            per = runs.setdefault(key, {t: [] for t in TOOLS})
            for t in TOOLS:
                if row.get(t) not in (None, "", "nan"):
                    per[t].append(float(row[t]))
    return runs


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def paired(a, b):
    """Median of a[i] / b[i]: repetitions ran side by side."""
    return median([x / y for x, y in zip(a, b) if y])


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stdout if len(argv) > 1 else sys.stderr)
        return 0 if len(argv) > 1 else 2
    src = argv[1]
    out = argv[2] if len(argv) > 2 else src.rsplit(".", 1)[0] + ".png"
    try:
        runs = load(src)
    except (OSError, KeyError, ValueError) as e:
        print("plot.py: cannot read '%s': %s" % (src, e), file=sys.stderr)
        return 4
    if not runs:
        print("plot.py: no rows in '%s'" % src, file=sys.stderr)
        return 4
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("plot.py: matplotlib is missing "
              "(apt-get install -y --no-install-recommends python3-matplotlib)",
              file=sys.stderr)
        return 3

    keys = list(runs)
    med = {k: {t: median(runs[k][t]) for t in TOOLS} for k in keys}
    width = 0.8 / len(TOOLS)
    fig, ax = plt.subplots(figsize=(max(6, 2.2 * len(keys) + 2), 4.5))
    for i, t in enumerate(TOOLS):
        xs = [j + (i - 1) * width for j in range(len(keys))]
        bars = ax.bar(xs, [med[k][t] for k in keys], width, label=t)
        ax.bar_label(bars, fmt="%.1f", fontsize=8)
    labels = []
    for k in keys:
        r = runs[k]
        # as vs-iperf3.sh's table: the median of each repetition's ratio
        labels.append("%s, %s receiver\nuring/iperf3 %.2fx\nuring/syscall %.2fx\n(n=%d)"
                      % (k[1], k[0], paired(r["uring"], r["iperf3"]),
                         paired(r["uring"], r["syscall"]), len(r["uring"])))
    ax.set_xticks(range(len(keys)), labels, fontsize=8)
    ax.set_ylabel("Gbit/s (median)")
    ax.set_ylim(0, 1.2 * max(max(m.values()) for m in med.values()))
    ax.set_title("TCP over loopback: uring-tool bench send vs iperf3 "
                 "(iperf3 always copies)", fontsize=10)
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
