#!/bin/sh
# SPDX-License-Identifier: MIT
# Run the tool's probe and a short run of each benchmark, and print every
# result between markers on stdout:
#   @@UT begin NAME@@ ... @@UT end NAME rc=N@@
# The guest /init runs it under qemu (stdout is the serial console); the host
# run calls it directly. Plain POSIX sh: busybox ash runs it in the guest.
#
# usage: collect.sh TOOL [SCRATCH-DIR]
set -eu
# busybox ash knows pipefail; dash (a host's /bin/sh) does not
# shellcheck disable=SC3040
if (set -o pipefail) 2>/dev/null; then set -o pipefail; fi

tool=$1
tmp=${2:-/tmp}
# bounds: a probe finishes in well under a second natively, a few under TCG
probe_bound=${UT_PROBE_BOUND:-90}
beh_timeout=${UT_BEHAVIOUR_TIMEOUT:-2s}
bench_bound=${UT_BENCH_BOUND:-30}
bench_args=${UT_BENCH_ARGS:---time 500ms --warmup 100ms}

# section NAME RC FILE: FILE's content between markers
section() {
	echo "@@UT begin $1@@"
	cat "$3"
	echo "@@UT end $1 rc=$2@@"
}

# run NAME BOUND CMD...: stdout as NAME, stderr as NAME.stderr
run() {
	name=$1 bound=$2
	shift 2
	rc=0
	timeout "$bound" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	section "$name" "$rc" "$tmp/out"
	section "$name.stderr" "$rc" "$tmp/err"
}

{
	echo "kernel_release=$(uname -r)"
	echo "kernel_build=$(uname -v)"
	echo "machine=$(uname -m)"
	echo "tool=$tool"
	echo "behaviour_timeout=$beh_timeout"
	echo "bench_args=$bench_args"
} >"$tmp/meta"
section meta 0 "$tmp/meta"

run probe "$probe_bound" "$tool" probe --json --timeout "$beh_timeout"

# The static tool has no Python: `run` must say so with exit 3.
run run-nopython 10 "$tool" run -c pass

# Benchmarks: only once `bench --help` works (the engines land separately).
if "$tool" bench --help >"$tmp/help" 2>&1; then
	benches=$("$tool" bench list 2>/dev/null | awk 'NF { print $1 }' |
		  grep -E '^(send|recv|sendzc|sendmsg_zc)$' || true)
	[ -n "$benches" ] || benches="send recv sendzc sendmsg_zc"
	for b in $benches; do
		# word splitting of bench_args is wanted
		# shellcheck disable=SC2086
		run "bench-$b" "$bench_bound" "$tool" bench "$b" $bench_args --json
	done
	# bundles need 6.10: works there, exits 3 naming what is missing before
	# shellcheck disable=SC2086
	run bench-recv-bundle "$bench_bound" "$tool" bench recv --recv-op bundle \
		$bench_args --json
else
	section bench-unavailable 0 "$tmp/help"
fi
echo "@@UT done@@"
