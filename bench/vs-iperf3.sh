#!/bin/sh
# SPDX-License-Identifier: MIT
# uring-tool bench send against iperf3 and against its own syscall engine,
# TCP over loopback, side by side: every repetition runs all three tools back
# to back with the same message size (iperf3 -l SIZE), and the table reports
# medians and ratios. iperf3 always copies into user memory.
#
# usage: bench/vs-iperf3.sh [-b BIN] [-s SIZES] [-n REPS] [-t SECS]
#                           [-r MODES] [-o OUT.tsv] [-p OUT.png] [-- BENCH-OPTIONS]
#   -b BIN     uring-tool binary (default: build/cli/uring-tool)
#   -s SIZES   space-separated sizes (default: "64K 1M")
#   -n REPS    repetitions, median reported (default: 5)
#   -t SECS    seconds per measurement (default: 3)
#   -r MODES   uring-tool receiver modes, "copy", "discard" or both (default: copy)
#   -o FILE    also write the raw figures as TSV (for bench/plot.py)
#   -p FILE    also plot the figures to FILE (PNG) with bench/plot.py
set -eu

bin=${UT_BIN:-build/cli/uring-tool}
sizes="64K 1M"
reps=5
secs=3
modes=copy
out=
png=
while getopts b:s:n:t:r:o:p: opt; do
	case $opt in
	b) bin=$OPTARG ;;
	s) sizes=$OPTARG ;;
	n) reps=$OPTARG ;;
	t) secs=$OPTARG ;;
	r) modes=$OPTARG ;;
	o) out=$OPTARG ;;
	p) png=$OPTARG ;;
	*) sed -n '8,16p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
extra="$*"

for mode in $modes; do
	case $mode in
	copy|discard) ;;
	*) echo "vs-iperf3: receiver mode '$mode' is neither copy nor discard" >&2; exit 2 ;;
	esac
done
command -v iperf3 >/dev/null || { echo "vs-iperf3: iperf3 not installed (apt-get install -y iperf3)" >&2; exit 3; }
[ -x "$bin" ] || { echo "vs-iperf3: no uring-tool at '$bin' (use -b)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
port=$((20000 + $$ % 20000))
# the plot needs every row: without -o, keep the TSV in the temporary dir
tsv=${out:-$tmp/results.tsv}

gbit_json() {	# FILE KEY-PATH (python expression on d)
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('%.3f' % ($2))" "$1"
}

median() {	# numbers on stdin
	sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'
}

range() {	# numbers on stdin: [min-max]
	sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {printf "[%.2f-%.2f]", lo, hi}'
}

iperf_once() {	# SIZE: a fresh one-shot server per run, retried while it starts
	i=0
	while :; do
		port=$((port + 1))
		iperf3 -s -1 -D -p "$port" >/dev/null 2>&1
		sleep 0.2
		if iperf3 -c 127.0.0.1 -p "$port" -l "$1" -t "$secs" -J >"$tmp/iperf.json" 2>/dev/null &&
		   gbit_json "$tmp/iperf.json" 'd["end"]["sum_received"]["bits_per_second"] / 1e9' 2>/dev/null; then
			return 0
		fi
		i=$((i + 1))
		[ $i -lt 5 ] || { echo "vs-iperf3: iperf3 failed:" >&2; cat "$tmp/iperf.json" >&2; exit 4; }
	done
}

ut_once() {	# SIZE ENGINE MODE
	"$bin" bench send --size "$1" --engine "$2" --receiver "$3" \
		--time "${secs}s" --warmup 500ms --no-progress --json $extra \
		>"$tmp/ut.json"
	gbit_json "$tmp/ut.json" 'd["results"][0]["gbit_per_s"]'
}

printf 'mode\tsize\trep\tiperf3\turing\tsyscall\n' >"$tsv"
printf '%-8s %-6s %5s %10s %10s %10s %12s %13s  %s\n' receiver size reps iperf3 uring \
	syscall uring/iperf3 uring/syscall 'ranges of the ratios' 
for mode in $modes; do
	for size in $sizes; do
		: >"$tmp/i"; : >"$tmp/u"; : >"$tmp/s"; : >"$tmp/ui"; : >"$tmp/us"
		rep=1
		while [ $rep -le "$reps" ]; do
			# alternate the order so neither tool always runs first
			if [ $((rep % 2)) -eq 1 ]; then
				i=$(iperf_once "$size")
				u=$(ut_once "$size" uring "$mode")
				s=$(ut_once "$size" syscall "$mode")
			else
				s=$(ut_once "$size" syscall "$mode")
				u=$(ut_once "$size" uring "$mode")
				i=$(iperf_once "$size")
			fi
			echo "$i" >>"$tmp/i"; echo "$u" >>"$tmp/u"; echo "$s" >>"$tmp/s"
			echo "$u $i" | awk '{print $1/$2}' >>"$tmp/ui"
			echo "$u $s" | awk '{print $1/$2}' >>"$tmp/us"
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$size" "$rep" \
				"$i" "$u" "$s" >>"$tsv"
			rep=$((rep + 1))
		done
		mi=$(median <"$tmp/i"); mu=$(median <"$tmp/u"); ms=$(median <"$tmp/s")
		# ratios: the median of each repetition's own ratio, and its range
		printf '%-8s %-6s %5s %10s %10s %10s %11.2fx %12.2fx  %s  %s\n' "$mode" \
			"$size" "$reps" "$mi" "$mu" "$ms" \
			"$(median <"$tmp/ui")" "$(median <"$tmp/us")" \
			"$(range <"$tmp/ui")" "$(range <"$tmp/us")"
	done
done
echo "Gbit/s, medians; ratios: median of the per-repetition ratios, [min-max];"
echo "TCP over loopback; iperf3 always copies; tools run in alternating order"
if [ -n "$png" ]; then
	# plot.py runs inside uring-tool's embedded Python, like any user script
	plot=$(dirname "$0")/plot.py
	"$bin" run "$plot" "$tsv" "$png" >/dev/null ||
		{ echo "vs-iperf3: plotting to '$png' failed" >&2; exit 5; }
	echo "plot: $png"
fi
