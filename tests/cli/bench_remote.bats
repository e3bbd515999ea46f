#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# uring-tool bench server / --connect: a server and a client on loopback,
# then in two network namespaces joined by a veth pair made here; bad input
# and a missing server get one clear line and the documented exit status.

load helpers

Q=(--time 200ms --warmup 50ms --no-progress)

setup() {
	ut_common_setup
	OUT=$BATS_TEST_TMPDIR/out.json
	SRV_OUT=$BATS_TEST_TMPDIR/server.json
	SRV_ERR=$BATS_TEST_TMPDIR/server.err
	SRV_PID=
	NS=
}

teardown() {
	# a server left behind would hold ctest's pipe open: kill it for sure
	if [ -n "$SRV_PID" ]; then
		pkill -KILL -P "$SRV_PID" 2>/dev/null || true
		kill -KILL "$SRV_PID" 2>/dev/null || true
		wait "$SRV_PID" 2>/dev/null || true
	fi
	if [ -n "$NS" ]; then
		ip netns del "${NS}a" 2>/dev/null || true
		ip netns del "${NS}b" 2>/dev/null || true
	fi
}

free_port() {
	"$UT_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# loopback_server: a server on 127.0.0.1 at a free port, kept in $port
# (declare "local port" in the test)
loopback_server() {
	port=$(free_port)
	start_server -- --bind 127.0.0.1 --port "$port"
}

# start_server [PREFIX...] -- ARGS : the server in the background, --once;
# waits (bounded) for its "listening on" line
start_server() {
	local pre=() i
	while [ "$1" != "--" ]; do pre+=("$1"); shift; done
	shift
	"${pre[@]}" timeout 20 "$UT_BIN" bench server --once --json "$@" \
		>"$SRV_OUT" 2>"$SRV_ERR" 3>&- &
	SRV_PID=$!
	for i in $(seq 100); do
		grep -q 'listening on' "$SRV_ERR" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "the server did not start: $(cat "$SRV_ERR")"
}

FAKE=$BATS_TEST_DIRNAME/../helpers/fake_peer.py

# start_fake REPLY : a scripted server (tests/helpers/fake_peer.py) that
# answers the client's hello with REPLY; sets FAKE_PORT
start_fake() {
	start_peer server "$1"
}

# start_session ROW [HELLO_OK] : a scripted server that runs the whole
# conversation and answers each run with plausible figures, ROW merged in
start_session() {
	start_peer session "$@"
}

# start_peer MODE ARGS... : fake_peer.py MODE PORTFILE ARGS..., the one
# before it (of a test that loops) ended first
start_peer() {
	local i mode=$1
	shift
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null || true
		wait "$SRV_PID" 2>/dev/null || true
	fi
	rm -f "$BATS_TEST_TMPDIR/port"
	timeout 20 "$UT_PY" "$FAKE" "$mode" "$BATS_TEST_TMPDIR/port" "$@" \
		>"$BATS_TEST_TMPDIR/fake.out" 2>&1 3>&- &
	SRV_PID=$!
	for i in $(seq 100); do
		[ -s "$BATS_TEST_TMPDIR/port" ] && break
		sleep 0.05
	done
	FAKE_PORT=$(cat "$BATS_TEST_TMPDIR/port" 2>/dev/null) ||
		fail "the fake server did not start: $(cat "$BATS_TEST_TMPDIR/fake.out")"
}

wait_server() {
	local rc=0
	wait "$SRV_PID" || rc=$?
	SRV_PID=
	[ "$rc" -eq 0 ] || fail "the server exited $rc: $(cat "$SRV_ERR")"
}

# The client's result: both sides' figures, the hosts, equal byte counts.
remote_ok() {
	json_check "$OUT" '
assert d["error"] is None, d["error"]
rm = d["remote"]
assert rm["role"] == "client", rm
for k in ("peer", "client_side", "server_side"):
    assert k in rm, k
assert d["results"], "no results"
for r in d["results"]:
    for k in ("bytes", "gbit_per_s", "duration_ns", "intervals", "sender", "receiver"):
        assert k in r, k
    assert r["sender"]["host"] != r["receiver"]["host"], r
    assert {r["sender"]["host"], r["receiver"]["host"]} == {"client", "server"}
    for side in ("sender", "receiver"):
        assert r[side]["op"] != "none", (side, r[side])
        assert r[side]["bytes_total"] > 0, (side, r[side])
    assert r["sender"]["bytes_total"] == r["receiver"]["bytes_total"], \
        (r["sender"]["bytes_total"], r["receiver"]["bytes_total"])
    assert r["bytes"] > 0 and r["gbit_per_s"] > 0, r
    assert sum(i["bytes"] for i in r["intervals"]) == r["bytes"]
'
}

@test "bench server --once and send --connect on loopback" {
	require_io_uring
	local port
	loopback_server
	run --separate-stderr "$UT_BIN" bench send --connect "127.0.0.1:$port" \
		"${Q[@]}" --json
	[ "$status" -eq 0 ] || fail "client exited $status: $stderr"
	printf '%s\n' "$output" >"$OUT"
	remote_ok
	json_check "$OUT" '
assert d["remote"]["client_side"] == "sender"
assert d["remote"]["server_side"] == "receiver"
assert d["remote"]["peer"].endswith(":'"$port"'")'
	wait_server
	grep -q 'client from 127.0.0.1:' "$SRV_ERR"
	json_check "$SRV_OUT" '
assert d["remote"]["role"] == "server"
assert d["results"][0]["receiver"]["host"] == "server"
assert d["results"][0]["receiver"]["bytes"] > 0'
}

@test "bench recv --connect: the server sends, IPv6, table output" {
	require_io_uring
	local port
	port=$(free_port)
	start_server -- --port "$port"
	run --separate-stderr "$UT_BIN" bench recv --connect "[::1]:$port" \
		"${Q[@]}" --engine syscall
	[ "$status" -eq 0 ] || fail "client exited $status: $stderr"
	assert_line --partial 'over IPv6 between two hosts'
	assert_line --partial 'this client runs the receiver; the sender runs on the server [::1]:'
	wait_server
}

@test "bench send in two network namespaces joined by a veth pair" {
	require_io_uring
	[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
	command -v ip >/dev/null || skip "no ip(8)"
	NS=utbr$$
	ip netns add "${NS}a" 2>/dev/null || { NS=; skip "ip netns is unavailable here"; }
	ip netns add "${NS}b" || fail "ip netns add ${NS}b"
	ip link add "${NS}x" type veth peer name "${NS}y" || fail "veth"
	ip link set "${NS}x" netns "${NS}a"
	ip link set "${NS}y" netns "${NS}b"
	ip -n "${NS}a" addr add 10.201.7.1/30 dev "${NS}x"
	ip -n "${NS}b" addr add 10.201.7.2/30 dev "${NS}y"
	ip -n "${NS}a" link set "${NS}x" up
	ip -n "${NS}b" link set "${NS}y" up
	ip -n "${NS}a" link set lo up
	ip -n "${NS}b" link set lo up
	start_server ip netns exec "${NS}a" -- --bind 10.201.7.1 --port 5301
	run --separate-stderr ip netns exec "${NS}b" "$UT_BIN" bench sendzc \
		--connect 10.201.7.1 "${Q[@]}" --json
	[ "$status" -eq 0 ] || fail "client exited $status: $stderr"
	printf '%s\n' "$output" >"$OUT"
	remote_ok
	json_check "$OUT" '
assert d["remote"]["peer"] == "10.201.7.1:5301", d["remote"]
assert "zc_copied_fraction" in d["results"][0]'
	wait_server
	grep -q 'client from 10.201.7.2:' "$SRV_ERR"
}

@test "bench over UDP between two hosts: every datagram sent is received or lost" {
	require_io_uring
	local port
	loopback_server
	run --separate-stderr "$UT_BIN" bench send --connect "127.0.0.1:$port" \
		--proto udp --size 1K,8K --flows 2 "${Q[@]}" --json
	[ "$status" -eq 0 ] || fail "client exited $status: $stderr"
	printf '%s\n' "$output" >"$OUT"
	json_check "$OUT" '
assert d["error"] is None, d["error"]
assert d["config"]["proto"] == "udp" and d["config"]["flows"] == 2
assert [r["size_bytes"] for r in d["results"]] == [1024, 8192]
for r in d["results"]:
    s, v = r["sender"], r["receiver"]
    assert {s["host"], v["host"]} == {"client", "server"}, r
    assert s["msgs_total"] > 0 and v["msgs_total"] > 0, r
    # a datagram is a message: whole datagrams only, none invented
    assert v["bytes_total"] == v["msgs_total"] * r["size_bytes"], r
    assert s["msgs_total"] >= v["msgs_total"], r
    assert r["udp_lost"] == s["msgs_total"] - v["msgs_total"], r
    assert r["gbit_per_s"] > 0, r
'
	wait_server
	# the server saw only its half: it cannot know the losses
	json_check "$SRV_OUT" 'assert all(r["udp_lost"] is None for r in d["results"]), d["results"]'
	# and the other way round, the server sending, over IPv6
	port=$(free_port)
	start_server -- --bind ::1 --port "$port"
	run --separate-stderr "$UT_BIN" bench recv --connect "[::1]:$port" \
		--proto udp --size 1K "${Q[@]}" --json
	[ "$status" -eq 0 ] || fail "client exited $status: $stderr"
	printf '%s\n' "$output" >"$OUT"
	json_check "$OUT" '
r = d["results"][0]
assert r["sender"]["host"] == "server" and r["receiver"]["host"] == "client", r
assert r["receiver"]["msgs_total"] > 0, r
assert r["udp_lost"] == r["sender"]["msgs_total"] - r["receiver"]["msgs_total"], r
'
	wait_server
}

@test "bench --connect: bad input exits 2" {
	run "$UT_BIN" bench send --connect ''
	assert_failure 2
	assert_output --partial "invalid --connect ''"
	run "$UT_BIN" bench send --connect :5301
	assert_failure 2
	run "$UT_BIN" bench send --connect 127.0.0.1:99999
	assert_failure 2
	assert_output --partial 'the port must be between 1 and 65535'
	run "$UT_BIN" bench send --connect 127.0.0.1 --port 0
	assert_failure 2
	assert_output --partial "invalid --port '0'"
	run "$UT_BIN" bench send --connect 127.0.0.1 --proto udp --size 64K
	assert_failure 2
	assert_output --partial "invalid --size '65536': UDP payload over IPv4"
	run "$UT_BIN" bench send --once
	assert_failure 2
}

@test "bench --connect to a missing server: exit 4 naming host:port" {
	require_io_uring
	local port
	port=$(free_port)
	run "$UT_BIN" bench send --connect "127.0.0.1:$port" "${Q[@]}"
	assert_failure 4
	assert_output "uring-tool: error: bench 'send': connect '127.0.0.1:$port': Connection refused"
	run --separate-stderr "$UT_BIN" bench send --connect "127.0.0.1:$port" "${Q[@]}" --json
	assert_failure 4
	printf '%s\n' "$output" >"$OUT"
	json_check "$OUT" '
assert d["error"] == {"step": "connect", "errno": "ECONNREFUSED",
                      "message": "Connection refused"}, d["error"]'
}

@test "bench server: a bad --bind" {
	run "$UT_BIN" bench server --bind not-an-address
	assert_failure 2
	assert_output --partial "invalid --bind 'not-an-address'"
	run "$UT_BIN" bench server --bind 192.0.2.1 --once
	assert_failure 4
	assert_output --partial "Cannot assign requested address"
	run "$UT_BIN" bench server --connect 127.0.0.1
	assert_failure 2
}

@test "bench server: Ctrl-C while waiting exits 130" {
	local port rc=0 i
	port=$(free_port)
	# the signal must reach the server itself, not a wrapper; with job
	# control, since background jobs of a non-interactive shell start with
	# SIGINT ignored
	set -m
	"$UT_BIN" bench server --once --port "$port" >"$SRV_OUT" 2>"$SRV_ERR" 3>&- &
	SRV_PID=$!
	set +m
	for i in $(seq 100); do
		grep -q 'listening on' "$SRV_ERR" 2>/dev/null && break
		sleep 0.05
	done
	grep -q 'listening on' "$SRV_ERR" || fail "the server did not start: $(cat "$SRV_ERR")"
	kill -INT "$SRV_PID"
	for i in $(seq 100); do
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$SRV_PID" 2>/dev/null && fail "the server ignored SIGINT for 5 s"
	wait "$SRV_PID" || rc=$?
	SRV_PID=
	[ "$rc" -eq 130 ] || fail "exit $rc: $(cat "$SRV_ERR")"
}

@test "bench --connect: the server lacks the opcode: exit 3 naming it" {
	require_io_uring
	start_fake '{"type": "error", "step": "probe", "errno": 95, "message": "Operation not supported", "op": 27}'
	run "$UT_BIN" bench send --connect "127.0.0.1:$FAKE_PORT" "${Q[@]}"
	assert_failure 3
	assert_output "uring-tool: error: bench 'send': server '127.0.0.1:$FAKE_PORT' lacks IORING_OP_RECV"
	# what the client said first: its protocol version, benchmark and side
	head -n1 "$BATS_TEST_TMPDIR/fake.out" >"$OUT"
	json_check "$OUT" '
assert d["type"] == "hello" and d["version"] == 1, d
assert d["bench"] == "send" and d["client_side"] == "sender", d
assert float(d["options"]["time"]) == 0.2, d["options"]'
}

@test "bench --connect: a server of another version: its reason, exit 4" {
	require_io_uring
	start_fake '{"type": "error", "step": "handshake", "errno": 71, "message": "protocol version 1, this server speaks 2: run the same uring-tool on both hosts"}'
	run "$UT_BIN" bench send --connect "127.0.0.1:$FAKE_PORT" "${Q[@]}"
	assert_failure 4
	assert_output "uring-tool: error: bench 'send': server handshake '127.0.0.1:$FAKE_PORT': protocol version 1, this server speaks 2: run the same uring-tool on both hosts"
}

@test "bench --connect: a peer that is not a bench server: exit 4, no hang" {
	require_io_uring
	start_fake 'HTTP/1.1 400 Bad Request'
	run timeout 15 "$UT_BIN" bench send --connect "127.0.0.1:$FAKE_PORT" "${Q[@]}"
	assert_failure 4
	assert_output "uring-tool: error: bench 'send': control protocol '127.0.0.1:$FAKE_PORT': the peer is not a uring-tool bench server"
}

@test "bench server: a client of another protocol version is told why" {
	local port
	loopback_server
	run "$UT_PY" "$FAKE" client "$port" \
		'{"type": "hello", "version": 99, "bench": "send", "client_side": "sender", "options": {}}'
	assert_success
	printf '%s\n' "$output" >"$OUT"
	json_check "$OUT" '
assert d["type"] == "error" and d["step"] == "handshake", d
assert d["errno"] == 71, d
assert d["message"] == "protocol version 99, this server speaks 1: run the same uring-tool on both hosts", d'
	local rc=0
	wait "$SRV_PID" || rc=$?
	SRV_PID=
	[ "$rc" -eq 4 ] || fail "the server exited $rc: $(cat "$SRV_ERR")"
	grep -q 'protocol version 99' "$SRV_ERR"
}

@test "bench server without io_uring (seccomp): the client exits 3" {
	require_io_uring
	local port
	port=$(free_port)
	start_server "$UT_SECCOMP_EXEC" eperm -- --bind 127.0.0.1 --port "$port"
	run "$UT_BIN" bench send --connect "127.0.0.1:$port" "${Q[@]}"
	assert_failure 3
	assert_output "uring-tool: error: bench 'send': server '127.0.0.1:$port' cannot use io_uring: Operation not permitted (see 'uring-tool probe' there)"
	# the same client with the classic engine on both hosts still runs
	wait "$SRV_PID" || true
	SRV_PID=
	start_server "$UT_SECCOMP_EXEC" eperm -- --bind 127.0.0.1 --port "$port"
	run --separate-stderr "$UT_BIN" bench send --connect "127.0.0.1:$port" \
		"${Q[@]}" --engine syscall --json
	[ "$status" -eq 0 ] || fail "client exited $status: $stderr"
}

@test "bench recv --connect --send-op bundle: the server's op comes back by name" {
	require_io_uring
	local port
	loopback_server
	run --separate-stderr "$UT_BIN" bench recv --connect "127.0.0.1:$port" \
		--send-op bundle "${Q[@]}" --json
	if [ "$status" -eq 3 ]; then
		wait "$SRV_PID" || true
		SRV_PID=
		skip "send bundles unsupported here: $stderr"
	fi
	[ "$status" -eq 0 ] || fail "client exited $status: $stderr"
	printf '%s\n' "$output" >"$OUT"
	remote_ok
	json_check "$OUT" '
assert d["results"][0]["sender"]["op"] == "send_bundle", d["results"][0]["sender"]'
	wait_server
}

# Hostile or broken peers (tests/helpers/fake_peer.py plays them): one line
# naming what was wrong, exit 4, and never their figures as a result.

# error_is FILE MESSAGE : FILE holds the server's error (EPROTO) saying MESSAGE
error_is() {
	WANT=$2 json_check "$1" '
import os
assert d["type"] == "error" and d["errno"] == 71, d
assert d["message"] == os.environ["WANT"], (d["message"], os.environ["WANT"])'
}

# wait_server_failed TEXT : the --once server exits 4, saying TEXT
wait_server_failed() {
	local rc=0
	wait "$SRV_PID" || rc=$?
	SRV_PID=
	[ "$rc" -eq 4 ] || fail "the server exited $rc: $(cat "$SRV_ERR")"
	grep -qF "$1" "$SRV_ERR" || fail "$(cat "$SRV_ERR")"
}

@test "bench server: a version that is not the integer 1 is refused, named as sent" {
	local port v want
	# version as sent | the server's message
	while IFS='|' read -r v want; do
		loopback_server
		run "$UT_PY" "$FAKE" client "$port" \
			'{"type": "hello", "version": '"$v"', "bench": "send", "client_side": "sender", "options": {}}'
		assert_success
		printf '%s\n' "$output" >"$OUT"
		error_is "$OUT" "$want"
		wait_server_failed "$want"
	done <<'CASES'
4294967297|protocol version 4294967297, this server speaks 1: run the same uring-tool on both hosts
"1"|protocol version "1" (not an integer), this server speaks 1: run the same uring-tool on both hosts
1.9|protocol version 1.9 (not an integer), this server speaks 1: run the same uring-tool on both hosts
18446744073709551617|the client's "version": 18446744073709551617 is out of the 64-bit range
CASES
}

@test "bench server: a stop outside a run, or any other stray message, ends the session: exit 4" {
	local port msg want hello='{"type": "hello", "version": 1, "bench": "send", "client_side": "sender", "options": {"engine": "syscall"}}'
	# what the client sends after its hello | the server's message
	while IFS='|' read -r msg want; do
		loopback_server
		# fifty stops used to use up the server's runs: "done, 0 runs", exit 0
		[ "$msg" = stops ] && msg=$(for i in $(seq 50); do echo '{"type": "stop"}'; done)
		run "$UT_PY" "$FAKE" client "$port" "$hello" "$msg"
		assert_success
		assert_line --index 0 --partial '"type":"hello_ok"'
		printf '%s\n' "${lines[1]}" >"$OUT"
		error_is "$OUT" "$want"
		wait_server_failed "control protocol: $want"
	done <<'CASES'
stops|the client sent a stop outside a run
{"type": "what"}|the client's message type is "what", not "run", "stop" or "bye"
{"type": "run", "size_bytes": 1.5, "engine": "uring"}|the client's run.size_bytes is 1.5, not an integer from 1 to 67108864
{"type": "run", "size_bytes": 1024, "engine": "io_uring"}|the client's run.engine is "io_uring", not "uring" or "syscall"
CASES
}

@test "bench --connect interrupted: the server takes the late stop, both end well" {
	local port rc=0 i
	loopback_server
	# SIGINT reaches a background job only with job control (see above)
	set -m
	"$UT_BIN" bench send --connect "127.0.0.1:$port" --time 10s --warmup 50ms \
		--no-progress --engine syscall --size 1K,2K --json >"$OUT" \
		2>"$BATS_TEST_TMPDIR/client.err" 3>&- &
	local cpid=$!
	set +m
	for i in $(seq 100); do
		grep -q 'client from' "$SRV_ERR" 2>/dev/null && break
		sleep 0.05
	done
	sleep 0.5
	kill -INT "$cpid"
	wait "$cpid" || rc=$?
	[ "$rc" -eq 130 ] || fail "the client exited $rc: $(cat "$BATS_TEST_TMPDIR/client.err")"
	json_check "$OUT" '
assert d["error"] is None and d["interrupted"], d
assert len(d["results"]) == 1 and d["results"][0]["interrupted"], d["results"]'
	wait_server
	grep -q 'done: send, 1 run' "$SRV_ERR"
}

@test "bench --connect: a scripted server's plausible row is taken (the fake is sane)" {
	start_session '{}'
	run --separate-stderr "$UT_BIN" bench send --connect "127.0.0.1:$FAKE_PORT" \
		"${Q[@]}" --engine syscall --json
	[ "$status" -eq 0 ] || fail "client exited $status: $stderr"
	printf '%s\n' "$output" >"$OUT"
	json_check "$OUT" '
assert d["error"] is None, d["error"]
r = d["results"][0]
assert r["receiver"]["host"] == "server" and r["receiver"]["bytes"] == 65536000, r
assert r["duration_ns"] == 200000000 and r["receiver"]["cpu_sys_pct"] == 20.0, r'
}

@test "bench --connect: impossible figures in a server's row: exit 4 naming the field, no result" {
	local row want
	# the row's fields the fake sets | the client's message
	while IFS='|' read -r row want; do
		start_session "$row"
		run --separate-stderr "$UT_BIN" bench send \
			--connect "127.0.0.1:$FAKE_PORT" "${Q[@]}" --engine syscall --json
		[ "$status" -eq 4 ] || fail "$row: client exited $status: $stderr"
		printf '%s\n' "$output" >"$OUT"
		WANT=$want json_check "$OUT" '
import os
assert d["error"]["step"] == "control protocol", d["error"]
assert d["error"]["message"] == os.environ["WANT"], (d["error"]["message"], os.environ["WANT"])
assert d["results"] == [], d["results"]'
	done <<'CASES'
{"duration_ns": 0}|the server's row.duration_ns is 0, yet the run was not interrupted
{"duration_ns": 0, "interrupted": true, "intervals": []}|the server's row.side has figures of a measured phase, yet its row.duration_ns is 0
{"duration_ns": 86400000000000000}|the server's row.duration_ns is 86400000000000000, not an integer from 0 to 20200000000
{"side": {"cpu_sys_pct": NaN}}|the server's row.side.cpu_sys_pct is NaN, not a number from 0 to 100000
{"side": {"cpu_user_pct": 1e26}}|the server's row.side.cpu_user_pct is 1e+26, not a number from 0 to 100000
{"side": {"cpu_user_pct": -Infinity}}|the server's row.side.cpu_user_pct is -Infinity, not a number from 0 to 100000
{"side": {"cpu_user_pct": 100000000000000001097906362}}|the server's "cpu_user_pct": 100000000000000001097906362 is out of the 64-bit range
{"side": {"bytes": -1}}|the server's row.side.bytes is -1, not an integer >= 0
{"side": {"bytes": "65536000"}}|the server's row.side.bytes is "65536000", not an integer >= 0
{"side": {"syscalls": 18446744073709551617}}|the server's "syscalls": 18446744073709551617 is out of the 64-bit range
{"side": {"bytes_total": 5}}|the server's row.side.bytes_total is 5, not an integer >= 65536000
{"side": {"ring_flags": 4294967296}}|the server's row.side.ring_flags is 4294967296, not an integer from 0 to 4294967295
{"side": {"fixed_files": "yes"}}|the server's row.side.fixed_files is "yes", not true or false
{"intervals": [{"start_ns": 5, "end_ns": 4, "bytes": 1, "msgs": 1}]}|the server's row.intervals[0].end_ns is 4, not an integer from 5 to 200000000
{"intervals": [{"start_ns": 0, "end_ns": 9, "bytes": 1, "msgs": 1}, {"start_ns": 5, "end_ns": 20, "bytes": 1, "msgs": 1}]}|the server's row.intervals[1].start_ns is 5, not an integer from 9 to 200000000
{"type": "hello"}|the server's message type is "hello", not "row"
CASES
	# and in a table: the one line, no row of figures above it
	start_session '{"duration_ns": 0}'
	run "$UT_BIN" bench send --connect "127.0.0.1:$FAKE_PORT" "${Q[@]}" --engine syscall
	assert_failure 4
	assert_output "uring-tool: error: bench 'send': control protocol '127.0.0.1:$FAKE_PORT': the server's row.duration_ns is 0, yet the run was not interrupted"
}

@test "bench --connect: a server's hello_ok of another version: exit 4 naming it" {
	start_session '{}' '{"version": "1"}'
	run "$UT_BIN" bench send --connect "127.0.0.1:$FAKE_PORT" "${Q[@]}" --engine syscall
	assert_failure 4
	assert_output "uring-tool: error: bench 'send': handshake '127.0.0.1:$FAKE_PORT': the server speaks version \"1\" (not an integer), this client 1: run the same uring-tool on both hosts"
}

@test "bench --connect --proto udp: a port message without a port per flow: exit 4" {
	start_session '{}'
	run "$UT_BIN" bench send --connect "127.0.0.1:$FAKE_PORT" "${Q[@]}" \
		--engine syscall --proto udp --size 1K
	assert_failure 4
	assert_output "uring-tool: error: bench 'send': control protocol '127.0.0.1:$FAKE_PORT': the server's port.ports is missing, not a port per flow"
}

@test "bench --connect: a server error naming an opcode out of range or unknown: exit 4" {
	start_fake '{"type": "error", "step": "probe", "errno": 95, "message": "Operation not supported", "op": 1099511627776}'
	run "$UT_BIN" bench send --connect "127.0.0.1:$FAKE_PORT" "${Q[@]}" --engine syscall
	assert_failure 4
	assert_output "uring-tool: error: bench 'send': control protocol '127.0.0.1:$FAKE_PORT': the server's error.op is 1099511627776, not an integer from 0 to 255"
	start_fake '{"type": "error", "step": "probe", "errno": 95, "message": "Operation not supported", "op": 200}'
	run "$UT_BIN" bench send --connect "127.0.0.1:$FAKE_PORT" "${Q[@]}" --engine syscall
	assert_failure 4
	assert_output "uring-tool: error: bench 'send': server probe '127.0.0.1:$FAKE_PORT': the server lacks opcode 200, which this uring-tool does not know: run the same uring-tool on both hosts"
	refute_output --partial 'IORING_OP_OP_'
}
