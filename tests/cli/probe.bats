#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# uring-tool probe: every option, every output format and exit status, and
# its opcode and setup-flag results against an independent probe (raw
# syscalls from Python's ctypes, no liburing).

load helpers

setup() {
	ut_common_setup
	OUT=$BATS_TEST_TMPDIR/out
}

# Skip unless the running kernel is at least $1 (asked of the tool itself).
require_kernel() {
	"$UT_BIN" probe -q --no-behaviour -r "kernel>=$1" ||
		skip "needs Linux $1 or later"
}

# probe_to_file ARGS... : run the probe, stdout to $OUT, status to $rc
probe_to_file() {
	rc=0
	"$UT_BIN" probe "$@" >"$OUT" 2>"$OUT.err" || rc=$?
}

@test "text output: verdict first, then every section" {
	require_io_uring
	run --separate-stderr "$UT_BIN" probe
	assert_success
	[ -z "$stderr" ]
	assert_line --index 0 --regexp '^io_uring: available \(kernel [0-9]+\.[0-9]+'
	for s in Environment Ring 'Opcodes \(kernel reports last [0-9]+\)' \
		 'Setup flags.*' Features 'Ringless query.*' 'Behaviour.*'; do
		assert_line --regexp "^$s\$"
	done
	assert_line --regexp '^  kernel +[0-9]+\.[0-9]+'
	assert_line --regexp '^  liburing +[0-9.]+ built, [0-9.]+ running$'
	assert_line --regexp '^  RLIMIT_MEMLOCK +'
	assert_line --regexp '^  largest ring +[0-9]+ entries$'
	assert_line --regexp '^ +0 NOP +yes +since 5\.1$'
	assert_line --regexp '^ +47 SEND_ZC +(yes|no) +since 6\.0$'
	assert_line --regexp '^  [0-9]+ of [0-9]+ supported$'
	assert_line --regexp '^  DEFER_TASKRUN +0x2000 +(accepted|refused).*SINGLE_ISSUER'
	assert_line --regexp '^  NODROP +yes +since 5\.5$'
	assert_line --regexp '^  recv_multishot +(ok|unsupported|failed|timeout) '
	assert_line --regexp '^probe took [0-9.]+ ms$'
}

@test "--json: the documented keys with their types" {
	require_io_uring
	probe_to_file --json
	assert_equal "$rc" 0
	json_check "$OUT" '
assert d["schema"] == "uring-tool-probe"
assert d["schema_version"] == 1
assert isinstance(d["tool_version"], str)
assert d["available"] is True
assert d["reason"] is None and d["errno"] is None and d["fix"] is None
assert isinstance(d["summary"], str) and d["summary"]
env = d["environment"]
for k in ("kernel_release", "kernel_version", "machine", "liburing_build",
          "liburing_runtime"):
    assert isinstance(env[k], str), k
for k in ("uid", "euid", "max_ring_entries"):
    assert isinstance(env[k], int), k
for k in ("cap_sys_admin", "cap_ipc_lock", "in_io_uring_group"):
    assert isinstance(env[k], bool), k
for k in ("seccomp_mode", "seccomp_filters", "io_uring_disabled",
          "io_uring_group", "memlock_limit_bytes", "register_buffer_budget_bytes"):
    assert env[k] is None or isinstance(env[k], int), k
# unlimited exactly without a limit; otherwise a measured number
unl = env["register_buffer_budget_unlimited"]
assert unl is (env["cap_ipc_lock"] or env["memlock_limit_bytes"] is None), env
b = env["register_buffer_budget_bytes"]
assert b is None if unl else isinstance(b, int), env
assert env["max_ring_entries"] >= 8
ring = d["ring"]
assert ring["entries"] == 8 and ring["flags"] == 0 and ring["flag_names"] == []
assert ring["created"] is True and ring["errno"] is None
assert ring["sq_entries"] == 8 and ring["cq_entries"] == 16
assert isinstance(d["last_op"], int) and d["last_op"] >= 0
for o in d["ops"]:
    assert set(o) == {"number", "name", "supported", "since", "why_unsupported"}, o
    assert isinstance(o["number"], int) and isinstance(o["name"], str)
    assert isinstance(o["supported"], bool)
    assert o["since"] is None or isinstance(o["since"], str)
for s in d["setup_flags"]:
    for k in ("name", "bit", "value", "accepted", "errno", "requires",
              "since", "liburing_ok", "liburing_errno"):
        assert k in s, (k, s)
    assert s["value"] == 1 << s["bit"]
    assert isinstance(s["accepted"], bool)
    assert (s["errno"] is None) == s["accepted"], s
    assert s["errno"] is None or s["errno"].startswith("E"), s
    assert s["requires"] is None or isinstance(s["requires"], str)
for f in d["features"]:
    assert set(f) >= {"name", "bit", "present", "since"}, f
    assert isinstance(f["present"], bool)
assert isinstance(d["query"]["available"], bool)
beh = d["behaviour"]
assert set(beh) == {"accept_multishot", "recv_multishot", "recv_bundle",
                    "send_zc", "socket", "defer_taskrun"}, set(beh)
for name, b in beh.items():
    assert b["status"] in ("ok", "unsupported", "failed", "timeout"), (name, b)
    assert b["ok"] == (b["status"] == "ok")
    assert isinstance(b["detail"], str) and isinstance(b["duration_ns"], int)
assert beh["send_zc"]["zc_copied"] in (None, True, False)
assert d["requirements"] == []
assert isinstance(d["duration_ns"], int) and d["duration_ns"] > 0
'
}

@test "--json and -j and --format json are the same document" {
	require_io_uring
	run -0 "$UT_BIN" probe -j --no-behaviour
	json_check <(echo "$output") 'assert d["schema_version"] == 1'
	run -0 "$UT_BIN" probe --format json --no-behaviour
	json_check <(echo "$output") 'assert d["schema_version"] == 1'
	run -0 "$UT_BIN" probe -f json --no-behaviour
	json_check <(echo "$output") 'assert d["schema_version"] == 1'
}

@test "--json lists every op of the table, by number, names and releases" {
	require_io_uring
	probe_to_file --json --no-behaviour
	assert_equal "$rc" 0
	json_check "$OUT" '
ops = d["ops"]
assert [o["number"] for o in ops] == list(range(len(ops)))
assert len(ops) >= 65 and len(ops) >= d["last_op"] + 1
want = {0: ("NOP", "5.1"), 22: ("READ", "5.6"), 47: ("SEND_ZC", "6.0"),
        48: ("SENDMSG_ZC", "6.1"), 49: ("READ_MULTISHOT", "6.7"),
        62: ("PIPE", "6.16"), 63: ("NOP128", "6.19"),
        64: ("URING_CMD128", "6.19")}
for n, (name, since) in want.items():
    assert (ops[n]["name"], ops[n]["since"]) == (name, since), ops[n]
for o in ops[65:]:	# newer than the table: named by number
    assert o["name"] == "OP_%d" % o["number"] and o["since"] is None, o
assert all(not o["supported"] for o in ops if o["number"] > d["last_op"])
assert ops[0]["supported"]
for o in ops:
    want = (None if o["supported"] else
            "kernel_too_old" if o["number"] > d["last_op"] else "not_built_in")
    assert o["why_unsupported"] == want, o
names = [s["name"] for s in d["setup_flags"]]
assert names[:21] == ["IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE", "CLAMP",
    "ATTACH_WQ", "R_DISABLED", "SUBMIT_ALL", "COOP_TASKRUN", "TASKRUN_FLAG",
    "SQE128", "CQE32", "SINGLE_ISSUER", "DEFER_TASKRUN", "NO_MMAP",
    "REGISTERED_FD_ONLY", "NO_SQARRAY", "HYBRID_IOPOLL", "CQE_MIXED",
    "SQE_MIXED", "SQ_REWIND"], names
fnames = [f["name"] for f in d["features"]]
assert fnames[:18] == ["SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS",
    "CUR_PERSONALITY", "FAST_POLL", "POLL_32BITS", "SQPOLL_NONFIXED", "EXT_ARG",
    "NATIVE_WORKERS", "RSRC_TAGS", "CQE_SKIP", "LINKED_FILE", "REG_REG_RING",
    "RECVSEND_BUNDLE", "MIN_TIMEOUT", "RW_ATTR", "NO_IOWAIT"], fnames
'
}

# An independent probe: io_uring_setup and IORING_REGISTER_PROBE by raw
# syscall numbers (the same on x86_64 and aarch64), printed as JSON.
independent_probe() {
	"$UT_PY" - <<'PY'
import ctypes, errno, json, os
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
SETUP, REGISTER, REGISTER_PROBE = 425, 427, 8

def setup(entries, flags, cq_entries=0):
    p = ctypes.create_string_buffer(120)		# struct io_uring_params
    ctypes.c_uint32.from_buffer(p, 4).value = cq_entries
    ctypes.c_uint32.from_buffer(p, 8).value = flags
    fd = libc.syscall(SETUP, ctypes.c_uint(entries), p)
    if fd < 0:
        return None, errno.errorcode[ctypes.get_errno()]
    return fd, None

fd, err = setup(4, 0)
assert fd is not None, err
buf = ctypes.create_string_buffer(16 + 256 * 8)	# struct io_uring_probe
r = libc.syscall(REGISTER, fd, REGISTER_PROBE, buf, 256)
assert r == 0, errno.errorcode[ctypes.get_errno()]
raw = buf.raw
last_op = raw[0]
ops = [bool(int.from_bytes(raw[16 + 8 * i + 2:16 + 8 * i + 4], "little") & 1)
       for i in range(last_op + 1)]
os.close(fd)

B = {n: 1 << i for i, n in enumerate(["IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE",
     "CLAMP", "ATTACH_WQ", "R_DISABLED", "SUBMIT_ALL", "COOP_TASKRUN",
     "TASKRUN_FLAG", "SQE128", "CQE32", "SINGLE_ISSUER", "DEFER_TASKRUN",
     "NO_MMAP", "REGISTERED_FD_ONLY", "NO_SQARRAY", "HYBRID_IOPOLL",
     "CQE_MIXED", "SQE_MIXED", "SQ_REWIND"])}
partners = {"TASKRUN_FLAG": "COOP_TASKRUN", "DEFER_TASKRUN": "SINGLE_ISSUER",
            "HYBRID_IOPOLL": "IOPOLL", "SQ_REWIND": "NO_SQARRAY"}
setup_flags = {}
for name in ["IOPOLL", "SQPOLL", "CQSIZE", "CLAMP", "R_DISABLED", "SUBMIT_ALL",
             "COOP_TASKRUN", "TASKRUN_FLAG", "SQE128", "CQE32", "SINGLE_ISSUER",
             "DEFER_TASKRUN", "NO_SQARRAY", "HYBRID_IOPOLL", "CQE_MIXED",
             "SQE_MIXED", "SQ_REWIND"]:
    flags = B[name] | B.get(partners.get(name), 0)
    fd, err = setup(4, flags, 8 if name == "CQSIZE" else 0)
    if fd is not None:
        os.close(fd)
    setup_flags[name] = err
print(json.dumps({"last_op": last_op, "ops": ops, "setup_flags": setup_flags}))
PY
}

@test "opcodes and setup flags agree with an independent probe" {
	require_io_uring
	probe_to_file --json --no-behaviour
	assert_equal "$rc" 0
	independent_probe >"$OUT.ind" || fail "the independent probe failed"
	json_check "$OUT" '
ind = json.load(open(sys.argv[1] + ".ind"))
assert d["last_op"] == ind["last_op"], (d["last_op"], ind["last_op"])
for o in d["ops"]:
    n = o["number"]
    want = ind["ops"][n] if n <= ind["last_op"] else False
    assert o["supported"] == want, (o, want)
flags = {s["name"]: s for s in d["setup_flags"]}
for name, err in ind["setup_flags"].items():
    s = flags[name]
    assert s["accepted"] == (err is None), (s, err)
    assert s["errno"] == err, (s, err)
'
}

@test "--require met: exit 0" {
	require_io_uring
	run --separate-stderr "$UT_BIN" probe --no-behaviour -r op:NOP -r 'kernel>=5.1'
	assert_success
	[ -z "$stderr" ]
	assert_line --regexp '^Requirements$'
	assert_line --regexp '^  op:NOP +met$'
	assert_line --regexp '^  kernel>=5.1 +met$'
	# comma-separated, case-insensitive, in JSON
	probe_to_file --json --no-behaviour --require 'OP:nop,kernel>=5.1,feature:NODROP'
	assert_equal "$rc" 0
	json_check "$OUT" '
r = d["requirements"]
assert [x["expr"] for x in r] == ["OP:nop", "kernel>=5.1", "feature:NODROP"], r
assert all(x["met"] is True and x["why_not"] is None for x in r), r
'
}

@test "--require unmet: exit 1, each unmet expression named on stderr" {
	require_io_uring
	local last
	last=$("$UT_BIN" probe --json --no-behaviour | json_field last_op)
	[ "$last" -lt 64 ] || skip "this kernel knows URING_CMD128 (last_op $last)"
	run --separate-stderr "$UT_BIN" probe --no-behaviour -r 'kernel>=99.0' \
		-r op:URING_CMD128 -r op:NOP
	assert_failure 1
	[[ "$stderr" == *"uring-tool: error: requirement 'kernel>=99.0' not met"* ]]
	[[ "$stderr" == *"uring-tool: error: requirement 'op:URING_CMD128' not met"* ]]
	[[ "$stderr" != *"'op:NOP'"* ]]
	assert_line --regexp '^  kernel>=99.0 +NOT MET: '
	assert_line --regexp '^  op:NOP +met$'

	probe_to_file --json --no-behaviour -r 'kernel>=99.0' -r op:NOP
	assert_equal "$rc" 1
	json_check "$OUT" '
r = d["requirements"]
assert r[0]["expr"] == "kernel>=99.0" and r[0]["met"] is False and r[0]["why_not"], r
assert r[1]["met"] is True, r
'
	run -1 "$UT_BIN" probe -q -r 'kernel<5.0'
	[ -z "$output" ]
}

@test "--require behaviour: met when the probe ran, unmet with --no-behaviour" {
	require_io_uring
	run -0 "$UT_BIN" probe -q -r behaviour:socket
	run --separate-stderr "$UT_BIN" probe --no-behaviour -r behavior:socket
	assert_failure 1
	[[ "$stderr" == *"'behavior:socket' not met: behaviour probes were not run"* ]]
}

@test "bad --require: exit 2, one line naming the value, a suggestion" {
	local expr want
	while IFS='|' read -r expr want; do
		run --separate-stderr "$UT_BIN" probe -r "$expr"
		assert_failure 2
		[ -z "$output" ] || fail "stdout for '$expr': $output"
		[[ "${stderr_lines[0]}" == "uring-tool: error: invalid requirement '$expr': "* ]] ||
			fail "stderr for '$expr': $stderr"
		[[ "${stderr_lines[0]}" == *"$want"* ]] ||
			fail "stderr for '$expr' lacks '$want': $stderr"
	done <<-'EOF'
	op:SEND_Z|(did you mean 'op:SEND_ZC'?)
	setup:DEFER_TASKRN|(did you mean 'setup:DEFER_TASKRUN'?)
	feature:RECVSEND_BUNDEL|(did you mean 'feature:RECVSEND_BUNDLE'?)
	behaviour:recv_multishto|(did you mean 'behaviour:recv_multishot'?)
	op:NO_SUCH_OPCODE_ANYWHERE|unknown name
	nop|expected KIND:NAME
	opcode:NOP|unknown kind
	op:|missing name
	kernel>=abc|kernel version
	kernel~6.1|comparison
	EOF
	# a bad expression is a usage error even after good ones, also with -q
	run -2 "$UT_BIN" probe -q -r op:NOP,op:SEND_Z
	run -2 "$UT_BIN" probe -r "op:$(printf 'A%.0s' {1..80})"
}

@test "OP_n, BITn, kernel versions out of range or not plain digits: exit 2" {
	# values that used to wrap into range (2^32 + 47, 2^32, 2^32 + 6, ...)
	# or that sscanf let through with a sign or a space
	local expr want
	while IFS='|' read -r expr want; do
		run --separate-stderr "$UT_BIN" probe -q --no-behaviour -r "$expr"
		assert_failure 2
		[ -z "$output" ] || fail "stdout for '$expr': $output"
		assert_equal "${stderr_lines[0]}" \
			"uring-tool: error: invalid requirement '$expr': $want"
	done <<-'EOF'
	op:OP_4294967343|OP_n takes a decimal n from 0 to 255
	op:OP_18446744073709551663|OP_n takes a decimal n from 0 to 255
	op:OP_256|OP_n takes a decimal n from 0 to 255
	op:OP_ 47|OP_n takes a decimal n from 0 to 255
	op:OP_+5|OP_n takes a decimal n from 0 to 255
	op:OP_47x|OP_n takes a decimal n from 0 to 255
	op:OP_|OP_n takes a decimal n from 0 to 255
	setup:BIT4294967296|BITn takes a decimal n from 0 to 63
	setup:BIT64|BITn takes a decimal n from 0 to 63
	feature:BIT 1|BITn takes a decimal n from 0 to 63
	feature:BIT-1|BITn takes a decimal n from 0 to 63
	kernel==4294967302.18|expected a kernel version such as 6.1 (major and minor from 0 to 255)
	kernel>=6.4294967297|expected a kernel version such as 6.1 (major and minor from 0 to 255)
	kernel>=256.0|expected a kernel version such as 6.1 (major and minor from 0 to 255)
	kernel>=+6.1|expected a kernel version such as 6.1 (major and minor from 0 to 255)
	kernel>= 6.1|expected a kernel version such as 6.1 (major and minor from 0 to 255)
	kernel>=6..1|expected a kernel version such as 6.1 (major and minor from 0 to 255)
	kernel>=6.1.|expected a kernel version such as 6.1 (major and minor from 0 to 255)
	EOF
	# OP_n is every opcode 0-255, named by the tool or not: no did-you-mean
	run --separate-stderr "$UT_BIN" probe -q --no-behaviour -r op:OP_98
	[ "$status" -ne 2 ] || fail "op:OP_98 refused: $stderr"
}

@test "OP_n and BITn beyond the tool's names: checked, or said why not (exit 1)" {
	require_io_uring
	# no kernel has opcode 255, and setup bit 63 is never tried
	run --separate-stderr "$UT_BIN" probe --no-behaviour -r op:OP_0 \
		-r op:OP_255 -r setup:BIT63 -r feature:BIT63
	assert_failure 1
	[[ "$stderr" != *"'op:OP_0'"* ]] || fail "$stderr"
	[[ "$stderr" == *"requirement 'op:OP_255' not met: newer than the running kernel"* ]] ||
		fail "$stderr"
	[[ "$stderr" == *"requirement 'setup:BIT63' not met: not tried: a flag this tool has no name for"* ]] ||
		fail "$stderr"
	[[ "$stderr" == *"requirement 'feature:BIT63' not met: the kernel does not report it"* ]] ||
		fail "$stderr"
}

@test "text: registered buffers unlimited only without a limit, as in JSON" {
	require_io_uring
	local want='[0-9]+ (B|KiB|MiB|GiB)' json
	json=$("$UT_BIN" probe --json --no-behaviour)
	if [ "$(json_field environment.cap_ipc_lock <<<"$json")" = true ]; then
		want='unlimited \(CAP_IPC_LOCK\)'
	elif [ "$(json_field environment.memlock_limit_bytes <<<"$json")" = null ]; then
		want=unlimited
	fi
	run -0 "$UT_BIN" probe --no-behaviour
	assert_line --regexp "^  registered buffers +$want\$"
}

@test "--format shell: KEY=VALUE lines that eval sets" {
	require_io_uring
	require_kernel 6.0
	probe_to_file --format shell --no-behaviour
	assert_equal "$rc" 0
	# every line is shell-safe without quoting
	run grep -cvE '^URING_[A-Z0-9_]+=[A-Za-z0-9_.+-]*$' "$OUT"
	assert_output 0
	(
		set -e
		eval "$(cat "$OUT")"
		[ "$URING_AVAILABLE" = 1 ]
		[ -z "$URING_REASON" ]
		[ "$URING_OP_NOP" = 1 ]
		[ "$URING_SETUP_SINGLE_ISSUER" = 1 ]
		[ "$URING_FEAT_NODROP" = 1 ]
		[[ "$URING_KERNEL" =~ ^[0-9]+\.[0-9]+$ ]]
		[[ "$URING_LAST_OP" =~ ^[0-9]+$ ]]
		[ "$URING_MAX_RING_ENTRIES" -ge 8 ]
		[ "$URING_BEHAVIOUR_SEND_ZC" = skipped ]
		[ -z "${URING_REQUIREMENTS_MET+set}" ]
	) || fail "eval of the shell output: $(cat "$OUT")"
	grep -qx 'URING_OP_URING_CMD128=[01]' "$OUT"
	probe_to_file --format shell --no-behaviour -r 'kernel>=99.0'
	assert_equal "$rc" 1
	grep -qx 'URING_REQUIREMENTS_MET=0' "$OUT"
	probe_to_file --format shell --no-behaviour -r op:NOP
	grep -qx 'URING_REQUIREMENTS_MET=1' "$OUT"
}

@test "--format c: #define lines that compile" {
	require_io_uring
	command -v cc >/dev/null || skip "no C compiler (cc)"
	probe_to_file --format c --no-behaviour
	assert_equal "$rc" 0
	grep -qx '#define URING_HAVE_IO_URING 1' "$OUT"
	grep -qx '#define URING_HAVE_OP_NOP 1' "$OUT"
	grep -qE '^#define URING_KERNEL_VERSION 0x[0-9a-f]{6}$' "$OUT"
	cat >"$BATS_TEST_TMPDIR/t.c" <<-'EOF'
	#include "probe.h"
	#if !defined(URING_HAVE_IO_URING) || !defined(URING_HAVE_OP_NOP)
	#error "io_uring and NOP should be there"
	#endif
	int main(void) { return URING_KERNEL_VERSION >= 0x050100 ? 0 : 1; }
	EOF
	cp "$OUT" "$BATS_TEST_TMPDIR/probe.h"
	run cc -Wall -Werror -o "$BATS_TEST_TMPDIR/t" "$BATS_TEST_TMPDIR/t.c"
	assert_success
	run -0 "$BATS_TEST_TMPDIR/t"
}

@test "--entries and --flags: the application's ring is created" {
	require_io_uring
	require_kernel 6.1
	probe_to_file --json --no-behaviour --entries 64 --flags SINGLE_ISSUER,DEFER_TASKRUN
	assert_equal "$rc" 0
	json_check "$OUT" '
r = d["ring"]
assert r["entries"] == 64 and r["flags"] == 0x3000, r
assert r["flag_names"] == ["SINGLE_ISSUER", "DEFER_TASKRUN"], r
assert r["created"] is True and r["errno"] is None, r
assert r["sq_entries"] == 64 and r["cq_entries"] == 128, r
assert d["requirements"] == [{"expr": "ring", "met": True, "why_not": None}], d["requirements"]
'
	# numbers, prefixes, case and | as separator
	probe_to_file --json --no-behaviour -e 100 -F 0x3000
	assert_equal "$rc" 0
	json_check "$OUT" 'assert d["ring"]["flags"] == 0x3000 and d["ring"]["sq_entries"] == 128'
	probe_to_file --json --no-behaviour --flags 'iORING_SETUP_single_issuer|defer_taskrun'
	assert_equal "$rc" 0
	json_check "$OUT" 'assert d["ring"]["flags"] == 0x3000'
}

@test "--flags SQPOLL,DEFER_TASKRUN: ring refused, requirement 'ring' unmet (exit 1)" {
	require_io_uring
	require_kernel 6.1
	run --separate-stderr "$UT_BIN" probe --no-behaviour --flags SQPOLL,DEFER_TASKRUN
	assert_failure 1
	assert_line --regexp '^  created +no: EINVAL'
	[[ "$stderr" == *"uring-tool: error: requirement 'ring' not met"* ]]
	# the rest of the probe still ran, with a minimal ring
	assert_line --regexp '^ +0 NOP +yes'
	probe_to_file --json --no-behaviour --flags SQPOLL,DEFER_TASKRUN
	assert_equal "$rc" 1
	json_check "$OUT" '
assert d["available"] is True
r = d["ring"]
assert r["created"] is False and r["errno"] == "EINVAL", r
assert r["flag_names"] == ["SQPOLL", "DEFER_TASKRUN"], r
assert d["ops"][0]["supported"] is True
assert d["requirements"][-1]["expr"] == "ring" and not d["requirements"][-1]["met"]
'
}

@test "bad --entries, --flags, --timeout, --format: exit 2 naming the value" {
	local args want
	while IFS='|' read -r args want; do
		# shellcheck disable=SC2086
		run --separate-stderr "$UT_BIN" probe $args
		assert_failure 2
		[ -z "$output" ] || fail "stdout for '$args': $output"
		[[ "${stderr_lines[0]}" == "uring-tool: error: "*"$want"* ]] ||
			fail "stderr for '$args' lacks \"$want\": $stderr"
	done <<-'EOF'
	--entries 0|invalid entries '0'
	--entries 32769|invalid entries '32769'
	--entries abc|invalid entries 'abc'
	--entries -1|invalid entries '-1'
	-e 8x|invalid entries '8x'
	--flags SQPOL|unknown setup flag 'SQPOL' (did you mean 'SQPOLL'?)
	--flags SQPOLL,NOPE_NOT_A_FLAG|unknown setup flag 'NOPE_NOT_A_FLAG'
	--flags 0xZZ|invalid setup flags '0xZZ'
	--flags 99999999999|invalid setup flags '99999999999'
	--timeout 0|invalid timeout '0'
	--timeout 61s|invalid timeout '61s'
	--timeout abc|invalid timeout 'abc'
	-t 1h|invalid timeout '1h'
	--format yaml|unknown format 'yaml'
	-f JSON|unknown format 'JSON'
	EOF
}

# bad_list OPTION VALUE : exit 2, nothing on stdout, one line naming VALUE
bad_list() {
	local what=$1 value=$2 want

	case $what in
	-F|--flags) want="invalid setup flags '$value': empty flag name" ;;
	*) want="invalid requirement '$value': empty expression" ;;
	esac
	run --separate-stderr "$UT_BIN" probe "$what" "$value"
	assert_failure 2
	[ -z "$output" ] || fail "stdout for $what '$value': $output"
	[ "${stderr_lines[0]}" = "uring-tool: error: $want" ] ||
		fail "stderr for $what '$value': $stderr"
}

@test "empty --flags or --require, or an empty item in the list: exit 2" {
	bad_list -F ''
	bad_list --flags ',SQPOLL'
	bad_list -F 'SQPOLL,'
	bad_list -F 'SQPOLL||DEFER_TASKRUN'
	bad_list -r ''
	bad_list --require 'op:send,'
	bad_list -r ',op:NOP'
	bad_list -r 'op:NOP,,kernel>=5.1'
	# checked before probing, also with -q
	run -2 "$UT_BIN" probe -q -r op:NOP -F ''
}

@test "--timeout accepts ms and s" {
	require_io_uring
	run -0 "$UT_BIN" probe -q --timeout 500ms
	run -0 "$UT_BIN" probe -q -t 2s
}

@test "--no-behaviour: behaviour probes are skipped, not run" {
	require_io_uring
	probe_to_file --json --no-behaviour
	assert_equal "$rc" 0
	json_check "$OUT" '
for name, b in d["behaviour"].items():
    assert b["status"] == "skipped" and b["ok"] is False, (name, b)
    assert b["duration_ns"] == 0, (name, b)
'
	run -0 "$UT_BIN" probe --no-behavior
	assert_line --regexp '^  not run$'
}

@test "-q prints nothing at all" {
	run --separate-stderr "$UT_BIN" probe -q
	[ "$status" -eq 0 ] || [ "$status" -eq 3 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	run --separate-stderr "$UT_BIN" probe --quiet --json -r 'kernel>=99.0'
	[ "$status" -eq 1 ] || [ "$status" -eq 3 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "unknown options and arguments: exit 2" {
	run --separate-stderr "$UT_BIN" probe --frobnicate
	assert_failure 2
	[[ "${stderr_lines[0]}" == "uring-tool: error: unknown option '--frobnicate'" ]]
	run --separate-stderr "$UT_BIN" probe -x
	assert_failure 2
	[[ "${stderr_lines[0]}" == "uring-tool: error: unknown option '-x'" ]]
	run --separate-stderr "$UT_BIN" probe --require
	assert_failure 2
	[[ "${stderr_lines[0]}" == *"'--require' needs a value" ]]
	run --separate-stderr "$UT_BIN" probe -r
	assert_failure 2
	[[ "${stderr_lines[0]}" == *"'-r' needs a value" ]]
	run --separate-stderr "$UT_BIN" probe --json=yes
	assert_failure 2
	run --separate-stderr "$UT_BIN" probe extra
	assert_failure 2
	[[ "${stderr_lines[0]}" == "uring-tool: error: unexpected argument 'extra'" ]]
	[[ "$stderr" == *"uring-tool probe --help"* ]]
}

@test "--flags the kernel refuses: the largest ring is still measured" {
	require_io_uring
	local plain refused
	plain=$("$UT_BIN" probe --no-behaviour --format shell | grep '^URING_MAX_RING_ENTRIES=')
	# DEFER_TASKRUN alone is refused (EINVAL): a flag error, not a size one
	refused=$("$UT_BIN" probe --no-behaviour --flags DEFER_TASKRUN --format shell |
		grep '^URING_MAX_RING_ENTRIES=') || true
	[ -n "$refused" ] || fail "no URING_MAX_RING_ENTRIES line"
	[ "$refused" = "$plain" ] || fail "with refused flags: $refused, without: $plain"
}

@test "--flags: BITn for unnamed bits, numbers decimal or 0x, bad forms exit 2" {
	run --separate-stderr "$UT_BIN" probe --no-behaviour --json -F BIT21
	printf '%s\n' "$output" >"$OUT"
	json_check "$OUT" 'assert d["ring"]["flags"] == 1 << 21, d["ring"]'
	# a leading 0 is not octal: 010 is ten
	run --separate-stderr "$UT_BIN" probe --no-behaviour --json -F 010
	printf '%s\n' "$output" >"$OUT"
	json_check "$OUT" 'assert d["ring"]["flags"] == 10, d["ring"]'
	run --separate-stderr "$UT_BIN" probe -q -F BIT32
	assert_equal "$status" 2
	assert_equal "$(head -1 <<<"$stderr")" "uring-tool: error: invalid setup flag 'BIT32': BITn takes a decimal n from 0 to 31"
	run --separate-stderr "$UT_BIN" probe -q -F 08x
	assert_equal "$status" 2
	[[ "$stderr" == *"invalid setup flags '08x': expected names, or a number"* ]] || fail "$stderr"
}
