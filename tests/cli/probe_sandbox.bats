#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The probe's verdict where io_uring is denied: under a seccomp filter that
# answers EPERM or ENOSYS (tests/helpers/seccomp_exec.c), and as an
# unprivileged user with a small RLIMIT_MEMLOCK (as root, with setpriv and
# prlimit from util-linux).

load helpers

setup() {
	ut_common_setup
	OUT=$BATS_TEST_TMPDIR/out
	[ -x "$UT_SECCOMP_EXEC" ] || fail "UT_SECCOMP_EXEC '$UT_SECCOMP_EXEC' is missing"
}

teardown() {
	if [ -n "${UT_UNPRIV_DIR:-}" ]; then
		rm -rf "$UT_UNPRIV_DIR"
	fi
}

# run_to_file CMD... : stdout to $OUT, stderr to $OUT.err, status to $rc
run_to_file() {
	rc=0
	"$@" >"$OUT" 2>"$OUT.err" || rc=$?
}

# The helper itself: usage errors, and a filter that really denies.
@test "ut-seccomp-exec: usage, and the filter denies only io_uring" {
	run -2 "$UT_SECCOMP_EXEC"
	run -2 "$UT_SECCOMP_EXEC" eperm
	run -2 "$UT_SECCOMP_EXEC" maybe /bin/true
	run -127 "$UT_SECCOMP_EXEC" eperm /nonexistent/program
	# ordinary syscalls still work under the filter
	run -0 "$UT_SECCOMP_EXEC" eperm /bin/sh -c 'echo hello; grep -E "^Seccomp:" /proc/self/status'
	assert_line hello
	assert_line --regexp '^Seccomp:[[:space:]]+2$'
}

@test "seccomp EPERM: exit 3, available false, reason seccomp" {
	run_to_file "$UT_SECCOMP_EXEC" eperm "$UT_BIN" probe --json
	assert_equal "$rc" 3
	json_check "$OUT" '
assert d["available"] is False
assert d["reason"] == "seccomp", d["reason"]
assert d["errno"] == "EPERM"
assert d["fix"] and "seccomp" in d["fix"]
env = d["environment"]
assert env["seccomp_mode"] == 2 and env["seccomp_filters"] >= 1, env
assert d["ring"]["created"] is False
assert d["last_op"] is None
assert not any(o["supported"] for o in d["ops"])
assert all(o["why_unsupported"] == "io_uring_unavailable" for o in d["ops"])
assert not any(s["accepted"] for s in d["setup_flags"])
assert all(b["status"] == "skipped" for b in d["behaviour"].values())
assert d["query"]["available"] is False and d["query"]["errno"] == "EPERM"
# no ring, so no budget measured: told apart from unlimited (CAP_IPC_LOCK too)
assert env["register_buffer_budget_bytes"] is None, env
assert env["register_buffer_budget_unlimited"] is False, env
'
}

@test "seccomp ENOSYS: still seccomp, since the kernel's sysctl exists" {
	[ -e /proc/sys/kernel/io_uring_disabled ] ||
		skip "kernel.io_uring_disabled is absent (kernel before 6.6)"
	run_to_file "$UT_SECCOMP_EXEC" enosys "$UT_BIN" probe --json
	assert_equal "$rc" 3
	json_check "$OUT" '
assert d["available"] is False
assert d["reason"] == "seccomp", d["reason"]
assert d["errno"] == "ENOSYS"
assert "sysctl" in d["summary"], d["summary"]
assert d["environment"]["io_uring_disabled"] is not None
'
}

@test "seccomp: the text verdict names the cause and the fix" {
	run --separate-stderr "$UT_SECCOMP_EXEC" eperm "$UT_BIN" probe
	assert_failure 3
	assert_line --index 0 "io_uring: UNAVAILABLE (seccomp, io_uring_setup: EPERM)"
	assert_line --regexp '^  fix: .*seccomp'
	assert_line --regexp '^  seccomp +mode 2, [1-9][0-9]* filter\(s\)$'
	refute_line --regexp '^Opcodes'
	run --separate-stderr "$UT_SECCOMP_EXEC" enosys "$UT_BIN" probe
	assert_failure 3
	assert_line --index 0 --regexp '^io_uring: UNAVAILABLE \(seccomp, io_uring_setup: ENOSYS\)$'
}

@test "seccomp: unavailable (3) beats unmet requirements (1)" {
	local mode
	for mode in eperm enosys; do
		run "$UT_SECCOMP_EXEC" "$mode" "$UT_BIN" probe -q -r op:NOP
		assert_failure 3
		[ -z "$output" ]
		run "$UT_SECCOMP_EXEC" "$mode" "$UT_BIN" probe -r 'kernel>=99.0' -r op:NOP
		assert_failure 3
		run "$UT_SECCOMP_EXEC" "$mode" "$UT_BIN" probe --format shell -r op:NOP
		assert_failure 3
		assert_line URING_AVAILABLE=0
		assert_line URING_REASON=seccomp
		assert_line URING_OP_NOP=0
		assert_line URING_REQUIREMENTS_MET=0
		run "$UT_SECCOMP_EXEC" "$mode" "$UT_BIN" probe --format c
		assert_failure 3
		assert_line '/* URING_HAVE_IO_URING is not set */'
		refute_line --regexp '^#define URING_HAVE_OP_'
	done
	# a bad expression is still a usage error (2), checked before probing
	run -2 "$UT_SECCOMP_EXEC" eperm "$UT_BIN" probe -r op:SEND_Z
}

# Unprivileged runs need root to drop to nobody.
need_setpriv() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to run the probe as another user"
	command -v setpriv >/dev/null || skip "setpriv (util-linux) is missing"
	command -v prlimit >/dev/null || skip "prlimit (util-linux) is missing"
	unprivileged_copy
	# the build tree may not be readable by nobody: the copy is
	setpriv --reuid=65534 --regid=65534 --clear-groups "$UT_UNPRIV_BIN" --version \
		>/dev/null || skip "uid 65534 cannot run $UT_UNPRIV_BIN"
}

# as_nobody MEMLOCK_BYTES ARGS... : the probe as uid/gid 65534, no groups,
# no capabilities, RLIMIT_MEMLOCK soft and hard at MEMLOCK_BYTES
as_nobody() {
	local lim=$1
	shift
	prlimit --memlock="$lim:$lim" \
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$UT_UNPRIV_BIN" probe "$@"
}

@test "unprivileged, memlock 64 KiB: available, with the memlock evidence" {
	need_setpriv
	run_to_file as_nobody 65536 --json --no-behaviour
	[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "exit $rc: $(cat "$OUT.err")"
	json_check "$OUT" '
env = d["environment"]
assert env["uid"] == 65534 and env["euid"] == 65534, env
assert env["cap_sys_admin"] is False and env["cap_ipc_lock"] is False, env
assert env["memlock_limit_bytes"] == 65536, env
if d["available"] is False:
    # kernel.io_uring_disabled=1 keeps nobody out: told apart, not memlock
    assert d["reason"] == "sysctl" and env["io_uring_disabled"] == 1, d
    sys.exit(0)
m = env["max_ring_entries"]
assert 0 < m < 32768 and m & (m - 1) == 0, env
b = env["register_buffer_budget_bytes"]
assert isinstance(b, int) and 0 < b <= 65536, env
assert env["register_buffer_budget_unlimited"] is False, env
assert d["ring"]["created"] is True
assert d["ops"][0]["supported"] is True
'
	# the text shows the same facts
	run as_nobody 65536 --no-behaviour
	if [ "$status" -eq 0 ]; then
		assert_line --regexp '^  RLIMIT_MEMLOCK +64 KiB$'
		assert_line --regexp '^  largest ring +[0-9]+ entries$'
		assert_line --regexp '^  registered buffers +[0-9]+ (B|KiB)$'
		assert_line --regexp '^  identity +uid 65534 euid 65534, CAP_SYS_ADMIN no, CAP_IPC_LOCK no$'
	fi
}

@test "unprivileged, memlock 4 KiB: unavailable, reason memlock, with a fix" {
	need_setpriv
	[ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" -eq 0 ] ||
		skip "kernel.io_uring_disabled is not 0: nobody is kept out by the sysctl"
	run_to_file as_nobody 4096 --json
	assert_equal "$rc" 3
	json_check "$OUT" '
assert d["available"] is False
assert d["reason"] == "memlock", d["reason"]
assert d["errno"] == "ENOMEM"
assert "ulimit -l" in d["fix"], d["fix"]
env = d["environment"]
assert env["memlock_limit_bytes"] == 4096
assert env["max_ring_entries"] == 0
'
	run as_nobody 4096
	assert_failure 3
	assert_line --index 0 "io_uring: UNAVAILABLE (memlock, io_uring_setup: ENOMEM)"
	# and a requirement cannot turn that into "unmet"
	run -3 as_nobody 4096 -q -r op:NOP
	run -3 as_nobody 0 -q
}

@test "unprivileged, memlock 64 KiB, --entries 4096: io_uring usable, that ring not (exit 1)" {
	need_setpriv
	[ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" -eq 0 ] ||
		skip "kernel.io_uring_disabled is not 0: nobody is kept out by the sysctl"
	run_to_file as_nobody 65536 --json --no-behaviour --entries 4096
	assert_equal "$rc" 1
	json_check "$OUT" '
assert d["available"] is True and d["reason"] is None
r = d["ring"]
assert r["entries"] == 4096 and r["created"] is False, r
assert r["errno"] == "ENOMEM", r
assert d["environment"]["max_ring_entries"] < 4096
req = d["requirements"]
assert req == [{"expr": "ring", "met": False, "why_not": req[0]["why_not"]}], req
'
	run --separate-stderr as_nobody 65536 --no-behaviour --entries 4096
	assert_failure 1
	assert_line --regexp '^  created +no: ENOMEM'
	[[ "$stderr" == *"requirement 'ring' not met"* ]]
}

@test "unprivileged, 4 KiB memlock, --entries 4096: unavailable wins (exit 3)" {
	need_setpriv
	[ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" -eq 0 ] ||
		skip "kernel.io_uring_disabled is not 0: nobody is kept out by the sysctl"
	run_to_file as_nobody 4096 --json --entries 4096
	assert_equal "$rc" 3
	json_check "$OUT" '
assert d["reason"] == "memlock"
assert d["ring"]["created"] is False and d["ring"]["errno"] == "ENOMEM"
'
}
