#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The scripts in bench/ that users run by hand: they must not rot.

load helpers

setup() {
	ut_common_setup
	TMP=$(mktemp -d)
}

# plot.py runs in the embedded interpreter
plot_setup() {
	python_setup
	"$UT_BIN" run -c 'import matplotlib' 2>/dev/null ||
		skip "python3-matplotlib is not installed"
}

teardown() {
	rm -rf "$TMP"
}

tsv() {
	printf 'mode\tsize\trep\tiperf3\turing\tsyscall\n'
	printf 'copy\t64K\t1\t49.0\t77.0\t72.0\ncopy\t64K\t2\t50.0\t78.0\t71.0\n'
	printf 'discard\t1M\t1\t52.0\t112.0\t108.0\n'
}

@test "plot.py draws the comparison through uring-tool run" {
	plot_setup
	tsv >"$TMP/r.tsv"
	run "$UT_BIN" run "$UT_SRC/bench/plot.py" "$TMP/r.tsv" "$TMP/r.png"
	assert_success
	[ "$(head -c 8 "$TMP/r.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
		fail "r.png is not a PNG"
	[ "$(stat -c %s "$TMP/r.png")" -gt 10000 ] || fail "r.png is nearly empty"
}

@test "plot.py: no file is a usage error, a missing file a failure" {
	python_setup
	run "$UT_BIN" run "$UT_SRC/bench/plot.py"
	assert_failure 2
	plot_setup
	run "$UT_BIN" run "$UT_SRC/bench/plot.py" "$TMP/none.tsv" "$TMP/x.png"
	assert_failure 4
}

@test "vs-iperf3.sh: a bad receiver mode or option exits 2 before running anything" {
	run bash "$UT_SRC/bench/vs-iperf3.sh" -b "$UT_BIN" -r maybe
	assert_failure 2
	run bash "$UT_SRC/bench/vs-iperf3.sh" -b "$UT_BIN" -x
	assert_failure 2
}

@test "engines.py: pairs of engines give a median ratio and its interval" {
	run python3 "$UT_SRC/bench/engines.py" -b "$UT_BIN" -s 64K -r discard \
		-n 6 -t 0.1 -w 0
	assert_success
	# 6 pairs: the 95% interval of the median is [min-max] of the ratios
	assert_line --regexp '^discard +64K +6 +[0-9.]+ +[0-9.]+ +[0-9.]+  \[[0-9.]+-[0-9.]+\] +[0-6]/6$'
}

@test "engines.py: bad counts and failing runs end with the reason" {
	run python3 "$UT_SRC/bench/engines.py" -b "$UT_BIN" -n 0
	assert_failure 2
	assert_output --partial "--pairs 0"
	run python3 "$UT_SRC/bench/engines.py" -b "$UT_BIN" -t -1
	assert_failure 2
	assert_output --partial "need time > 0"
	run python3 "$UT_SRC/bench/engines.py" -b "$UT_BIN" -s 0 -n 1 -t 0.1 -w 0
	assert_failure 1
	assert_output --partial "invalid --size '0'"
}

@test "engines.py: options after -- reach every run" {
	run python3 "$UT_SRC/bench/engines.py" -b "$UT_BIN" -s 4K -r copy -n 1 \
		-t 0.1 -w 0 -- --recv-op bogus
	assert_failure 1
	assert_output --partial "invalid --recv-op 'bogus'"
	run python3 "$UT_SRC/bench/engines.py" -b "$UT_BIN" -s 4K -r copy -n 1 \
		-t 0.1 -w 0 -- --recv-op plain
	assert_success
	assert_line --regexp '^copy +4K +1 '
}

@test "engines.py: an option the script sets itself is refused after --" {
	run python3 "$UT_SRC/bench/engines.py" -b "$UT_BIN" -n 1 -- --engine syscall
	assert_failure 2
	assert_output --partial "'--engine' after --"
	run python3 "$UT_SRC/bench/engines.py" -b "$UT_BIN" -n 1 -- --eng=syscall
	assert_failure 2
	assert_output --partial "'--eng=syscall' after --"
}
