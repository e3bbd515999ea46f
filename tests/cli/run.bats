#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# `uring-tool run` behaves like python3: argv, sys.path[0], exit statuses,
# tracebacks, Ctrl-C, and `import uring` with no PYTHONPATH.

load helpers

setup() {
	ut_common_setup
	python_setup
	unset PYTHONPATH
	UT_BIN=$(readlink -f "$UT_BIN")	# tests change directory
}

@test "run --help prints usage to stdout, exit 0" {
	run --separate-stderr "$UT_BIN" run --help
	assert_success
	assert_line --index 0 --partial "usage: uring-tool run"
	assert_output --partial "exit status"
	[ -z "$stderr" ]
}

@test "run -c: sys.argv as python3 gives it" {
	run -0 "$UT_BIN" run -c 'import sys; print(sys.argv)' a 'b c'
	assert_output "['-c', 'a', 'b c']"
}

@test "run script.py: argv[0] and sys.path[0] are the script's" {
	mkdir -p "$BATS_TEST_TMPDIR/d"
	printf 'import sys\nprint(sys.argv)\nprint(sys.path[0])\n' > "$BATS_TEST_TMPDIR/d/s.py"
	run -0 "$UT_BIN" run "$BATS_TEST_TMPDIR/d/s.py" x
	assert_line --index 0 "['$BATS_TEST_TMPDIR/d/s.py', 'x']"
	assert_line --index 1 "$BATS_TEST_TMPDIR/d"
}

@test "run -m module: found from the current directory, argv[0] its path" {
	printf 'import sys\nprint(sys.argv)\n' > "$BATS_TEST_TMPDIR/mymod.py"
	cd "$BATS_TEST_TMPDIR"
	run -0 "$UT_BIN" run -m mymod arg
	assert_output "['$BATS_TEST_TMPDIR/mymod.py', 'arg']"
}

@test "run reads the program from stdin when there is no script" {
	run -0 bash -c "echo 'print(6 * 7)' | '$UT_BIN' run"
	assert_output "42"
}

@test "sys.exit(n) gives n, an uncaught exception 1 with a traceback" {
	run -7 "$UT_BIN" run -c 'import sys; sys.exit(7)'
	run -0 "$UT_BIN" run -c 'import sys; sys.exit(None)'
	run -1 "$UT_BIN" run -c 'import sys; sys.exit("bye")'
	assert_output "bye"
	run --separate-stderr -1 "$UT_BIN" run -c 'raise ValueError("boom")'
	[[ "$stderr" == *"Traceback (most recent call last)"* ]]
	[[ "$stderr" == *"ValueError: boom"* ]]
}

@test "a missing script exits 2 as python3 does" {
	run --separate-stderr -2 "$UT_BIN" run "$BATS_TEST_TMPDIR/nope.py"
	[[ "$stderr" == *"can't open file"* ]]
	run -2 /usr/bin/python3 "$BATS_TEST_TMPDIR/nope.py"
}

@test "import uring works without PYTHONPATH, built in" {
	run -0 env -u PYTHONPATH "$UT_BIN" run -c 'import uring, sys; print(uring.__name__, "uring" in sys.builtin_module_names)'
	assert_output "uring True"
}

@test "Debian's dist-packages import as in /usr/bin/python3" {
	/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed"
	run -0 "$UT_BIN" run -c 'import yaml; print(yaml.__file__)'
	assert_output --partial "/usr/lib/python3/dist-packages/"
}

@test "sys.executable is a real interpreter: subprocess and multiprocessing work" {
	run -0 "$UT_BIN" run -c '
import subprocess, sys
print(sys.executable)
print(subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True, timeout=30).stdout.strip())
'
	assert_line --index 0 /usr/bin/python3
	assert_line --index 1 42
	run -0 "$UT_BIN" run -c '
import multiprocessing as mp
def sq(x):
    return x * x
if __name__ == "__main__":
    with mp.Pool(2) as p:
        print(p.map(sq, range(5)))
'
	assert_output "[0, 1, 4, 9, 16]"
}

@test "python3 options pass through (-I, -X, -W)" {
	run -0 "$UT_BIN" run -I -c 'import sys; print(sys.flags.isolated)'
	assert_output 1
	run -0 "$UT_BIN" run -X utf8 -c 'import sys; print(sys.flags.utf8_mode)'
	assert_output 1
}

@test "a ring operation works inside run" {
	require_io_uring
	run -0 "$UT_BIN" run "$UT_SRC/py/examples/socketpair.py"
	assert_output "5 5 b'hello'"
}

@test "Ctrl-C interrupts a blocked wait: KeyboardInterrupt, status 130" {
	require_io_uring
	local out=$BATS_TEST_TMPDIR/out err=$BATS_TEST_TMPDIR/err pid rc=0 i
	# job control: background jobs of a non-interactive shell start with
	# SIGINT ignored, and Python would keep it ignored
	set -m
	"$UT_BIN" run -c '
import uring
r = uring.Ring()
print("ready", flush=True)
r.wait()
' >"$out" 2>"$err" &
	pid=$!
	set +m
	for i in $(seq 100); do
		grep -q ready "$out" && break
		sleep 0.1
	done
	grep -q ready "$out" || { kill -KILL $pid; fail "script did not start"; }
	sleep 0.2
	kill -INT $pid
	for i in $(seq 100); do
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 $pid 2>/dev/null; then
		kill -KILL $pid
		fail "still waiting 10s after SIGINT"
	fi
	wait $pid || rc=$?
	[ "$rc" -eq 130 ] || fail "exit status $rc, want 130: $(cat "$err")"
	grep -q KeyboardInterrupt "$err"
}

@test "--version names the embedded python" {
	run -0 "$UT_BIN" --version
	assert_line --regexp '^python 3\.[0-9]+\.[0-9]+ \(embedded\)$'
}
