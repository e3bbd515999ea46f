#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# uring-tool bench: every benchmark runs briefly with both engines and in
# both output modes; TCP bytes sent equal bytes received; faults and bad
# input get the documented exit status and one clear line.

load helpers

# a fraction of a second per run
Q=(--time 200ms --warmup 0 --no-progress)

setup() {
	ut_common_setup
	require_io_uring
	OUT=$BATS_TEST_TMPDIR/out.json
}

teardown() {
	[ -z "${UT_UNPRIV_DIR:-}" ] || rm -rf "$UT_UNPRIV_DIR"
}

# bench_json BENCH ARGS... : run with --json into $OUT, expect success
bench_json() {
	run --separate-stderr "$UT_BIN" bench "$@" "${Q[@]}" --json
	[ "$status" -eq 0 ] || fail "bench $* exited $status: $stderr"
	printf '%s\n' "$output" >"$OUT"
}

# The checks every TCP result must pass: keys, units, equal byte counts.
tcp_result_ok() {
	json_check "$OUT" '
assert d["error"] is None, d["error"]
assert d["interrupted"] is False
assert d["results"], "no results"
for r in d["results"]:
    for k in ("size_bytes", "engine", "receiver_mode", "duration_ns", "bytes",
              "gbit_per_s", "gbyte_per_s", "msgs_per_s", "sender", "receiver",
              "intervals", "interrupted"):
        assert k in r, k
    for side in ("sender", "receiver"):
        s = r[side]
        for k in ("op", "bytes", "msgs", "bytes_total", "msgs_total", "syscalls",
                  "syscalls_per_msg", "cpu_user_pct", "cpu_sys_pct",
                  "cpu_includes_sq_thread"):
            assert k in s, (side, k)
    assert r["bytes"] > 0 and r["gbit_per_s"] > 0, r
    assert r["sender"]["bytes_total"] == r["receiver"]["bytes_total"], \
        (r["sender"]["bytes_total"], r["receiver"]["bytes_total"])
    assert abs(r["gbit_per_s"] - r["bytes"] * 8 / r["duration_ns"]) < 0.01 * r["gbit_per_s"]
    assert 150e6 <= r["duration_ns"] <= 2e9, r["duration_ns"]
    assert r["intervals"] and sum(i["bytes"] for i in r["intervals"]) == r["bytes"]
    # a TCP message is size_bytes, whatever each engine completes at once
    size = r["size_bytes"]
    for side in ("sender", "receiver"):
        s = r[side]
        assert s["msgs_total"] == s["bytes_total"] // size, (side, s)
        assert s["msgs"] == s["bytes"] // size, (side, s)
    assert r["sender"]["msgs_total"] == r["receiver"]["msgs_total"]
'
}

@test "bench list names every benchmark and the opcode it needs" {
	run "$UT_BIN" bench list
	assert_success
	assert_line --regexp '^send +.*IORING_OP_SEND\)$'
	assert_line --regexp '^sendzc +.*IORING_OP_SEND_ZC\)$'
	assert_line --regexp '^recv +.*IORING_OP_RECV\)$'
}

@test "every benchmark has a section in uring-tool-bench(1)" {
	local name
	for name in $("$UT_BIN" bench list | awk '{print $1}'); do
		grep -Pzq "\.TP\n\.B $name\n" "$UT_SRC/man/uring-tool-bench.1" ||
			fail "no BENCHMARKS entry for '$name'"
	done
}

@test "every JSON key of bench --json is documented" {
	run "$UT_PY" - "$UT_SRC" <<'PY'
import re, sys
src = sys.argv[1]
text = re.sub(r"\\f[BIRP]", "", open(src + "/man/uring-tool-bench.1").read())
code = open(src + "/core/bench_json.c").read()
keys = set(re.findall(r'\badd\(\w+,\s*"(\w+)"', code))
assert len(keys) > 40, keys
missing = [k for k in sorted(keys) if not re.search(r"(?<!\w)%s(?!\w)" % k, text)]
print("undocumented:", missing)
sys.exit(1 if missing else 0)
PY
	assert_success
}

@test "send, uring engine: JSON keys, TCP bytes sent == received" {
	bench_json send
	tcp_result_ok
	json_check "$OUT" '
r = d["results"][0]
assert d["benchmark"] == "send"
assert r["engine"] == "uring" and r["receiver_mode"] == "copy"
assert r["sender"]["op"] == "send", r["sender"]["op"]
assert r["receiver"]["op"] in ("recv_bundle", "recv_multishot"), r["receiver"]["op"]
assert "DEFER_TASKRUN" in r["sender"]["ring_flags"], r["sender"]["ring_flags"]
assert r["sender"]["fixed_files"] is True
assert 0 < r["sender"]["syscalls_per_msg"] < 1, r["sender"]["syscalls_per_msg"]
assert "zc_notifs" not in r and "udp_lost" not in r
'
}

@test "send, syscall engine: the classic path, one call per message" {
	bench_json send --engine syscall
	tcp_result_ok
	json_check "$OUT" '
r = d["results"][0]
assert r["engine"] == "syscall"
assert r["sender"]["op"] == "send(2)" and r["receiver"]["op"] == "recv(2)"
assert r["sender"]["syscalls_per_msg"] >= 0.99, r["sender"]["syscalls_per_msg"]
assert "ring_flags" not in r["sender"]
'
}

@test "send, table: a row per engine, the receiver mode and ring flags in effect" {
	run --separate-stderr "$UT_BIN" bench send "${Q[@]}" --compare --size 4K,64K
	assert_success
	assert_line --index 0 --regexp '^bench send: TCP over IPv4 loopback, 1 flow, depth 8'
	assert_line --regexp '^receiver mode: copy '
	assert_line 'receiver wake-ups: at 512 KiB queued (SO_RCVLOWAT, both engines; iperf3 runs as --rcvlowat 0)'
	assert_line --regexp '^ +4 KiB +uring +[0-9.]+ +[0-9.]+ '
	assert_line --regexp '^ +4 KiB +syscall +[0-9.]+ '
	assert_line --regexp '^ +64 KiB +uring +[0-9.]+ '
	assert_line --regexp '^uring/syscall at 64 KiB: [0-9.]+x$'
	assert_line --regexp '^uring: sender send \(ring .*DEFER_TASKRUN.*fixed files\)'
	assert_line --regexp '^syscall: sender send\(2\); receiver recv\(2\)$'
	# the wake-up line follows what the receivers really get
	run --separate-stderr "$UT_BIN" bench send "${Q[@]}" --rcvlowat 0
	assert_success
	refute_line --partial 'receiver wake-ups'
	run --separate-stderr "$UT_BIN" bench send "${Q[@]}" --sockbuf 256K
	assert_success
	assert_line --partial 'receiver wake-ups: at 128 KiB queued'
}

@test "send --compare --json: both engines per size and the ratio" {
	bench_json send --compare --size 16K
	tcp_result_ok
	json_check "$OUT" '
assert [r["engine"] for r in d["results"]] == ["uring", "syscall"]
c = d["comparisons"]
assert len(c) == 1 and c[0]["size_bytes"] == 16384, c
u, s = (r["gbit_per_s"] for r in d["results"])
assert abs(c[0]["uring_over_syscall"] - u / s) < 0.01 * u / s, (c, u, s)
'
}

@test "sendzc: notifications counted, loopback copies, the note says so" {
	bench_json sendzc
	tcp_result_ok
	json_check "$OUT" '
r = d["results"][0]
assert r["sender"]["op"] == "send_zc"
assert r["sender"]["fixed_buffers"] is True
assert r["zc_notifs"] > 0, r["zc_notifs"]
assert r["zc_copied"] == r["zc_notifs"], (r["zc_copied"], r["zc_notifs"])
assert r["zc_copied_fraction"] == 1
assert 0 <= r["zc_notif_p50_ns"] <= r["zc_notif_p99_ns"] and r["zc_notif_p99_ns"] > 0, r
assert "loopback" in r["zc_note"], r["zc_note"]
'
	run "$UT_BIN" bench sendzc "${Q[@]}" --no-fixed-buffers --compare
	assert_success
	assert_line --regexp '^ +64 KiB +uring .* +100\.0%$'
	assert_line --regexp '^ +64 KiB +syscall .* +-$'
	assert_line --regexp '^note: the kernel copied the zero-copy sends \(always so on loopback'
	refute_line --partial 'fixed buffers'
}

@test "sendmsg_zc: the msghdr variant, notifications counted" {
	bench_json sendmsg_zc
	tcp_result_ok
	json_check "$OUT" '
r = d["results"][0]
assert r["sender"]["op"] == "sendmsg_zc", r["sender"]["op"]
assert r["sender"]["fixed_buffers"] is False
assert r["zc_notifs"] > 0 and r["zc_copied"] == r["zc_notifs"], r
'
}

@test "--rcvlowat: 512K by default, 0 as iperf3 runs, echoed in the JSON" {
	bench_json send
	json_check "$OUT" 'assert d["config"]["rcvlowat_bytes"] == 524288, d["config"]'
	bench_json send --rcvlowat 0
	tcp_result_ok
	json_check "$OUT" 'assert d["config"]["rcvlowat_bytes"] == 0, d["config"]'
	bench_json send --rcvlowat 64K --engine syscall
	tcp_result_ok
	json_check "$OUT" 'assert d["config"]["rcvlowat_bytes"] == 65536, d["config"]'
}

@test "recv: plain, multishot and bundle receivers" {
	local op want no_bundle=
	for op in plain multishot bundle; do
		case $op in
		plain) want=recv ;;
		*) want=recv_$op ;;
		esac
		run --separate-stderr "$UT_BIN" bench recv --recv-op $op "${Q[@]}" --json
		if [ "$op" = bundle ] && [ "$status" -eq 3 ]; then
			no_bundle=$stderr
			continue
		fi
		[ "$status" -eq 0 ] || fail "recv-op $op exited $status: $stderr"
		printf '%s\n' "$output" >"$OUT"
		tcp_result_ok
		json_check "$OUT" "
r = d['results'][0]
assert d['config']['recv_op'] == '$op'
assert r['receiver']['op'] == '$want', r['receiver']['op']
"
	done
	# plain and multishot were checked; say that bundles were not
	[ -z "$no_bundle" ] || skip "recv bundles unsupported here: $no_bundle"
}

@test "send --send-op bundle: queued messages per SQE, bytes add up" {
	require_io_uring
	run --separate-stderr "$UT_BIN" bench send --send-op bundle "${Q[@]}" --json
	if [ "$status" -eq 3 ]; then
		[[ "$stderr" == *"send bundles need a 6.10+ kernel"* ]] || fail "$stderr"
		skip "send bundles unsupported here"
	fi
	[ "$status" -eq 0 ] || fail "exited $status: $stderr"
	printf '%s\n' "$output" >"$OUT"
	tcp_result_ok
	json_check "$OUT" '
r = d["results"][0]
assert d["config"]["send_op"] == "bundle", d["config"]
assert r["sender"]["op"] == "send_bundle", r["sender"]
# one SQE per many messages: far fewer io_uring_enter calls than messages
assert r["sender"]["syscalls_per_msg"] < 0.5, r["sender"]
'
	bench_json send
	json_check "$OUT" 'assert d["config"]["send_op"] == "plain"
assert d["results"][0]["sender"]["op"] == "send"'
}

@test "--send-op bundle: TCP only, not for the zero-copy benchmarks" {
	run --separate-stderr "$UT_BIN" bench send --send-op bundle --proto udp --size 1K
	[ "$status" -eq 2 ] || fail "exited $status"
	[[ "$stderr" == *"invalid --send-op 'bundle': bundles are TCP only"* ]] || fail "$stderr"
	run --separate-stderr "$UT_BIN" bench sendzc --send-op bundle
	[ "$status" -eq 2 ] || fail "exited $status"
	[[ "$stderr" == *"invalid --send-op 'bundle': bundles are for the send and recv benchmarks"* ]] ||
		fail "$stderr"
}

@test "--receiver discard: MSG_TRUNC on both engines, said in the output" {
	bench_json recv --receiver discard --compare
	tcp_result_ok
	json_check "$OUT" '
assert all(r["receiver_mode"] == "discard" for r in d["results"])
assert d["config"]["receiver"] == "discard"
'
	run "$UT_BIN" bench send "${Q[@]}" --receiver discard
	assert_success
	assert_line --regexp '^receiver mode: discard \(MSG_TRUNC'
}

@test "--flows 3 on both engines: every byte arrives" {
	bench_json send --flows 3 --compare --size 8K
	tcp_result_ok
	json_check "$OUT" 'assert d["config"]["flows"] == 3'
}

@test "--ipv6 runs over ::1" {
	[ -e /proc/net/if_inet6 ] || skip "no IPv6 in this kernel"
	grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 ||
		skip "no ::1 on lo"
	bench_json send -6 --size 4K
	tcp_result_ok
	json_check "$OUT" 'assert d["config"]["family"] == "ipv6"'
}

@test "--proto udp without --size: 1460-byte datagrams, as iperf3" {
	bench_json send --proto udp
	json_check "$OUT" 'assert d["config"]["sizes_bytes"] == [1460], d["config"]'
	# an explicit size wins, whichever option comes first
	bench_json send --size 64K --proto udp --proto tcp
	json_check "$OUT" 'assert d["config"]["sizes_bytes"] == [65536], d["config"]'
	run --separate-stderr "$UT_BIN" bench send --size 64K --proto udp
	[ "$status" -eq 2 ] || fail "exited $status"
	[[ "$stderr" == *"invalid --size '65536': UDP payload over IPv4"* ]] || fail "$stderr"
}

@test "--cpu a CPU this process cannot use: exit 2 naming it" {
	local bad
	bad=$(( $(nproc --all) + 64 ))
	run --separate-stderr "$UT_BIN" bench send --cpu "0,$bad"
	[ "$status" -eq 2 ] || fail "exited $status: $stderr"
	[[ "$stderr" == "uring-tool: error: invalid --cpu '0,$bad': not a CPU this process may run on"* ]] ||
		fail "$stderr"
}

@test "--proto udp: datagrams, losses counted, both engines" {
	bench_json send --proto udp --size 1400 --compare
	json_check "$OUT" '
assert d["error"] is None
assert d["config"]["proto"] == "udp"
for r in d["results"]:
    s, v = r["sender"], r["receiver"]
    assert "udp_lost" in r
    assert v["msgs_total"] > 0 and v["msgs_total"] <= s["msgs_total"], (s, v)
    assert r["udp_lost"] == s["msgs_total"] - v["msgs_total"]
    assert v["bytes_total"] == 1400 * v["msgs_total"]
'
}

@test "ring options: --no-defer-taskrun, --sqpoll, --no-fixed-files, --depth, --batch" {
	bench_json send --no-defer-taskrun --no-fixed-files --depth 4 --batch 2
	tcp_result_ok
	json_check "$OUT" '
r = d["results"][0]
assert "DEFER_TASKRUN" not in r["sender"]["ring_flags"], r["sender"]["ring_flags"]
assert r["sender"]["fixed_files"] is False
c = d["config"]
assert (c["depth"], c["batch"], c["defer_taskrun"], c["fixed_files"]) == (4, 2, False, False)
'
	bench_json send --sqpoll --defer-taskrun --fixed-files
	tcp_result_ok
	json_check "$OUT" '
r = d["results"][0]
assert "SQPOLL" in r["sender"]["ring_flags"], r["sender"]["ring_flags"]
assert d["config"]["sqpoll"] is True
'
}

@test "--cpu pins both sides" {
	bench_json send --cpu 0,0 --sockbuf 1M --size 4K
	tcp_result_ok
	json_check "$OUT" '
c = d["config"]
assert (c["cpu_sender"], c["cpu_receiver"], c["sockbuf_bytes"]) == (0, 0, 1048576), c
'
}

@test "--interval samples: several per run, progress lines on stderr" {
	run --separate-stderr "$UT_BIN" bench send --time 300ms --warmup 0 \
		--interval 100ms --json --progress
	assert_success
	printf '%s\n' "$output" >"$OUT"
	json_check "$OUT" '
iv = d["results"][0]["intervals"]
assert 2 <= len(iv) <= 4, iv
assert iv[0]["start_ns"] == 0 and all(i["end_ns"] > i["start_ns"] for i in iv)
assert all(i["gbit_per_s"] > 0 for i in iv)
'
	[[ "$stderr" =~ \[\ +64\ KiB\ uring\ +\]\ +0\.00-\ +0\.1[0-9]\ s\ .*Gbit/s ]] ||
		fail "no progress line: $stderr"
	run --separate-stderr "$UT_BIN" bench send "${Q[@]}" --interval 50ms --json
	assert_success
	[ -z "$stderr" ] || fail "--no-progress printed: $stderr"
}

@test "bad sizes exit 2 naming the value" {
	local bad
	for bad in 0 -1 junk 12Q 65M 1T ",4K" "4K,"; do
		run --separate-stderr "$UT_BIN" bench send --size "$bad"
		[ "$status" -eq 2 ] || fail "--size '$bad' exited $status"
		[[ "$stderr" == "uring-tool: error: invalid --size '$bad': "* ]] ||
			fail "--size '$bad': $stderr"
	done
	run --separate-stderr "$UT_BIN" bench send --proto udp --size 65508
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"invalid --size '65508': UDP payload over IPv4 is at most 65507 bytes"* ]] ||
		fail "$stderr"
	run --separate-stderr "$UT_BIN" bench send --proto udp -6 --size 65528
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"at most 65527"* ]] || fail "$stderr"
}

@test "bad option values exit 2 naming the option and value" {
	local args
	for args in "--time 0" "--time 5x" "--warmup -1" "--interval 0ms" \
		"--flows 0" "--flows 65" "--depth 0" "--depth 257" "--batch -1" \
		"--engine epoll" "--receiver maybe" "--recv-op turbo" "--proto sctp" \
		"--send-op many" \
		"--cpu a,b" "--cpu 1,2,3" "--sockbuf 2G" "--rcvlowat 2G" \
		"--rcvlowat x"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$UT_BIN" bench send $args
		[ "$status" -eq 2 ] || fail "'$args' exited $status"
		[[ "$stderr" == "uring-tool: error: invalid ${args% *} '${args#* }': "* ]] ||
			fail "'$args': $stderr"
	done
}

@test "the option table's CLI forms: letters, flags, --no-NAME, prefixes" {
	local args want
	while IFS='|' read -r args want; do
		# shellcheck disable=SC2086
		run --separate-stderr "$UT_BIN" bench send $args
		[ "$status" -eq 2 ] || fail "'$args' exited $status"
		[ "${stderr%%$'\n'*}" = "uring-tool: error: $want" ] ||
			fail "'$args': $stderr"
	done <<'EOF'
-P 0|invalid --flows '0': must be a whole number between 1 and 64
-A x|invalid --cpu 'x': expected CPU numbers: SENDER,RECEIVER or one CPU for both
--siz 0|invalid --size '0': must be at least 1 byte
--sockbuf=2G|invalid --sockbuf '2G': must be at most 1G
--sqpoll=1|option '--sqpoll' takes no value
--no-sqpoll|unknown option '--no-sqpoll'
--no-ipv6|unknown option '--no-ipv6'
--fix|unknown option '--fix'
--recv-op|option '--recv-op' needs a value
-s|option '-s' needs a value
EOF
}

@test "every benchmark option is in the usage" {
	"$UT_BIN" run -c 'import uring' 2>/dev/null || skip "built without Python"
	local name usage
	usage=$("$UT_BIN" bench --help)
	for name in $("$UT_BIN" run -c 'import uring; print(*uring.bench_options())'); do
		name=${name//_/-}
		[[ "$usage" == *"--$name "* || "$usage" == *"--[no-]$name "* ]] ||
			fail "--$name is not in 'bench --help'"
	done
}

@test "unknown benchmark, unknown option, missing value, no benchmark: exit 2" {
	run --separate-stderr "$UT_BIN" bench sned
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unknown benchmark 'sned' (did you mean 'send'?)"* ]] || fail "$stderr"
	run --separate-stderr "$UT_BIN" bench send --bogus
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unknown option '--bogus'"* ]] || fail "$stderr"
	run --separate-stderr "$UT_BIN" bench send --size
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"option '--size' needs a value"* ]] || fail "$stderr"
	run --separate-stderr "$UT_BIN" bench
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"which benchmark?"* ]] || fail "$stderr"
	run --separate-stderr "$UT_BIN" bench send recv
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unexpected argument 'recv'"* ]] || fail "$stderr"
}

@test "-h prints the usage on stdout and exits 0" {
	run "$UT_BIN" bench -h
	assert_success
	assert_line --index 0 'usage: uring-tool bench BENCHMARK [OPTIONS]'
	assert_line --partial '--recv-op OP'
}

@test "SIGINT: the partial result, exit 130" {
	set -m	# background jobs of a non-interactive shell ignore SIGINT otherwise
	"$UT_BIN" bench send --time 20s --warmup 0 --no-progress --json >"$OUT" &
	local pid=$! rc=0 i
	sleep 0.5
	kill -INT "$pid"
	for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	wait "$pid" || rc=$?
	[ "$rc" -eq 130 ] || fail "exited $rc"
	json_check "$OUT" '
r = d["results"][0]
assert d["interrupted"] is True and r["interrupted"] is True
assert 0.2e9 < r["duration_ns"] < 5e9, r["duration_ns"]
assert r["bytes"] > 0
assert r["sender"]["bytes_total"] == r["receiver"]["bytes_total"]
'
}

@test "ENOMEM from the locked-memory limit: exit 4 pointing at ulimit -l" {
	id nobody >/dev/null 2>&1 || skip "no user 'nobody'"
	command -v setpriv >/dev/null || skip "no setpriv"
	[ "$(id -u)" -eq 0 ] || skip "needs root to become 'nobody'"
	unprivileged_copy
	run --separate-stderr sh -c 'ulimit -l 1024 && exec setpriv --reuid=nobody \
		--regid=nogroup --clear-groups "$0" bench sendzc --size 16M \
		--time 200ms --warmup 0' "$UT_UNPRIV_BIN"
	[ "$status" -eq 4 ] || fail "exited $status: $stderr"
	[ "$stderr" = "uring-tool: error: bench 'sendzc': register buffers: Cannot allocate memory (raise the locked-memory limit: ulimit -l)" ] ||
		fail "$stderr"
}

@test "--sqpoll: the CPU columns count each ring's kernel submission thread" {
	bench_json send --sqpoll --time 300ms
	grep -q '"SQPOLL"' "$OUT" || skip "the kernel refused SQPOLL"
	grep -q '"cpu_includes_sq_thread": true' "$OUT" ||
		skip "the kernel did not name the SQ threads in fdinfo"
	# the SQ thread polls for submissions the whole run: most of a CPU,
	# where the worker thread alone shows a few percent
	json_check "$OUT" '
r = d["results"][0]
for side in ("sender", "receiver"):
    assert "SQPOLL" in r[side]["ring_flags"], r[side]
    assert r[side]["cpu_includes_sq_thread"] is True, r[side]
    assert r[side]["cpu_sys_pct"] > 20, (side, r[side])
'
	run "$UT_BIN" bench send --sqpoll --time 100ms --warmup 0 --no-progress
	assert_success
	assert_line "usr/sys%: the sender's and receiver's figures include the SQPOLL kernel thread, which polls (busy even when idle)"
	# without SQPOLL there is no such thread and no such line
	bench_json send
	json_check "$OUT" '
for side in ("sender", "receiver"):
    assert d["results"][0][side]["cpu_includes_sq_thread"] is False
'
}

@test "--connect: malformed addresses and family clashes are usage errors" {
	local long
	long=$(printf 'a%.0s' {1..256})
	for bad in 127.0.0.1:1:2 '::1]:5' '[]:5' '[a]b:1' "$long:1" 'fe80::1%lo:6000' 'fe80::1%'; do
		run --separate-stderr "$UT_BIN" bench send --connect "$bad" "${Q[@]}"
		[ "$status" -eq 2 ] || fail "--connect '$bad' exited $status: $stderr"
		[[ "$stderr" == *"invalid --connect '${bad:0:40}"* ]] || fail "$stderr"
	done
	run --separate-stderr "$UT_BIN" bench send --connect '[::1]:1' -4 "${Q[@]}"
	assert_equal "$status" 2
	assert_equal "$(head -1 <<<"$stderr")" "uring-tool: error: --connect '[::1]:1' is an IPv6 address, but -4 was given"
	run --separate-stderr "$UT_BIN" bench send --connect 127.0.0.1:1 -6 "${Q[@]}"
	assert_equal "$status" 2
	# a scoped link-local address is an address, not a malformed value;
	# one that does not resolve is named as given, in brackets
	run --separate-stderr "$UT_BIN" bench send --connect 'fe80::1%nosuchif0' "${Q[@]}"
	assert_equal "$status" 4
	assert_equal "$stderr" "uring-tool: error: bench 'send': resolve '[fe80::1%nosuchif0]:5301': Name or service not known"
}

@test "an error message stays on one line, whatever the bad value holds" {
	run --separate-stderr "$UT_BIN" bench send --size $'4K\n\x01' "${Q[@]}"
	assert_equal "$status" 2
	assert_equal "$(head -1 <<<"$stderr")" "uring-tool: error: invalid --size '4K\\n\\x01': expected a positive size like 64K or 1M"
	assert_equal "$(wc -l <<<"$stderr")" 2	# and the --help hint
}
