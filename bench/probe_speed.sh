#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# How long a full `uring-tool probe --json` takes (the issue's target: well
# under 50 ms), side by side with a peer that does the least a probe can do:
# create a ring and ask IORING_REGISTER_PROBE (io_uring_get_probe_ring).
#
# usage: bench/probe_speed.sh [-n RUNS] [-l] [BINARY]
#   -n RUNS   runs per command (default 30)
#   -l        time with a shell loop even when hyperfine is installed
#   BINARY    uring-tool to measure (default: $UT_BIN, else build/cli/uring-tool)
#
# Prints the median wall time of each command in milliseconds.
set -euo pipefail

runs=30
force_loop=0
while getopts "n:lh" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	l) force_loop=1 ;;
	h) sed -n '3,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
case $runs in
'' | *[!0-9]* | 0) echo "probe_speed.sh: error: invalid runs '$runs'" >&2; exit 2 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${UT_BIN:-$top/build/cli/uring-tool}}
if [ ! -x "$bin" ]; then
	echo "probe_speed.sh: error: no uring-tool at '$bin' (build it, or pass its path)" >&2
	exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The peer: one ring and the opcode probe, nothing else.
peer=
if command -v cc >/dev/null; then
	cat >"$tmp/peer.c" <<'C'
#include <liburing.h>
#include <stdio.h>

int main(void)
{
	struct io_uring_probe *p;
	struct io_uring ring;
	int ret, n = 0;

	ret = io_uring_queue_init(8, &ring, 0);
	if (ret < 0) {
		fprintf(stderr, "peer: io_uring_queue_init: %d\n", ret);
		return 1;
	}
	p = io_uring_get_probe_ring(&ring);
	if (!p)
		return 1;
	for (int i = 0; i <= p->last_op; i++)
		n += io_uring_opcode_supported(p, i);
	printf("{\"last_op\": %d, \"supported\": %d}\n", p->last_op, n);
	io_uring_free_probe(p);
	io_uring_queue_exit(&ring);
	return 0;
}
C
	if cc -O2 -o "$tmp/peer" "$tmp/peer.c" -luring 2>"$tmp/peer.err"; then
		peer=$tmp/peer
	else
		echo "# peer not built: $(head -1 "$tmp/peer.err")" >&2
	fi
fi

# NAME|COMMAND lines; commands are split on spaces (no quoting needed)
cmds=("probe --json|$bin probe --json"
      "probe --json --no-behaviour|$bin probe --json --no-behaviour")
[ -n "$peer" ] && cmds+=("peer: ring + get_probe_ring|$peer")

# a command that fails would time its error path: check each once
for c in "${cmds[@]}"; do
	# shellcheck disable=SC2086
	${c#*|} >/dev/null 2>&1 || {
		rc=$?
		[ $rc -eq 3 ] && echo "# note: '${c#*|}' says io_uring is unavailable here" >&2
		[ $rc -eq 3 ] || { echo "probe_speed.sh: error: '${c#*|}' exited $rc" >&2; exit 4; }
	}
done

median_ms() {	# nanosecond samples on stdin
	sort -n | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.2f\n", m / 1e6 }'
}

echo "kernel $(uname -r), $(nproc) CPUs, $runs runs each"
if command -v hyperfine >/dev/null && [ $force_loop -eq 0 ]; then
	args=()
	for c in "${cmds[@]}"; do
		args+=(-n "${c%%|*}" "${c#*|}")
	done
	hyperfine -N --warmup 3 --runs "$runs" --ignore-failure --style none \
		--export-json "$tmp/h.json" "${args[@]}" >/dev/null
	python3 - "$tmp/h.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%-32s median %7.2f ms  (min %.2f, max %.2f)" % (
        r["command"], r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3))
PY
	echo "(timed by hyperfine)"
else
	for c in "${cmds[@]}"; do
		for ((i = 0; i < 3; i++)); do ${c#*|} >/dev/null 2>&1 || true; done
		for ((i = 0; i < runs; i++)); do
			t0=$(date +%s%N)
			${c#*|} >/dev/null 2>&1 || true
			t1=$(date +%s%N)
			echo $((t1 - t0))
		done | median_ms | xargs printf "%-32s median %7s ms\n" "${c%%|*}"
	done
	echo "(timed by a shell loop with date +%s%N; includes fork and exec)"
fi
