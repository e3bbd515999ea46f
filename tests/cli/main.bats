#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The binary as a user first meets it: help, version, dispatch, exit statuses.

load helpers

setup() {
	ut_common_setup
}

@test "--help prints usage and every command to stdout, exit 0" {
	run --separate-stderr "$UT_BIN" --help
	assert_success
	assert_line --index 0 "usage: uring-tool [--version] [--help] COMMAND [ARGS]"
	assert_line --regexp '^  probe +[a-z]'
	assert_line --regexp '^  bench +[a-z]'
	assert_line --regexp '^  run +[a-z]'
	assert_line --regexp '^  help +[a-z]'
	assert_output --partial "uring-tool(1)"
	[ -z "$stderr" ]
}

@test "-h is --help" {
	run -0 "$UT_BIN" --help
	local want=$output
	run --separate-stderr "$UT_BIN" -h
	assert_success
	assert_output "$want"
}

@test "help, help help and help --help print the global usage" {
	run -0 "$UT_BIN" --help
	local want=$output
	run -0 "$UT_BIN" help
	assert_output "$want"
	run -0 "$UT_BIN" help help
	assert_output "$want"
	# help takes --help like every command
	run -0 "$UT_BIN" help --help
	assert_output "$want"
	run -0 "$UT_BIN" help -h
	assert_output "$want"
}

@test "help probe is probe --help, on stdout" {
	run --separate-stderr "$UT_BIN" help probe
	assert_success
	assert_line --index 0 "usage: uring-tool probe [OPTIONS]"
	assert_output --partial "--require"
	[ -z "$stderr" ]
	local want=$output
	run --separate-stderr "$UT_BIN" probe --help
	assert_success
	assert_output "$want"
	[ -z "$stderr" ]
	run -0 "$UT_BIN" probe -h
	assert_output "$want"
}

@test "help bench" {
	run --separate-stderr "$UT_BIN" help bench
	assert_success
	assert_line --index 0 --regexp '^usage: uring-tool bench'
	[ -z "$stderr" ]
}

@test "help run" {
	run --separate-stderr "$UT_BIN" help run
	assert_success
	assert_line --index 0 --regexp '^usage: uring-tool run'
	[ -z "$stderr" ]
}

@test "help with an unknown command: exit 2 with a suggestion" {
	run --separate-stderr "$UT_BIN" help prob
	assert_failure 2
	[ -z "$output" ]
	[[ "$stderr" == *"uring-tool: error: unknown command 'prob' (did you mean 'probe'?)"* ]]
}

@test "help with two commands: exit 2" {
	run --separate-stderr "$UT_BIN" help probe bench
	assert_failure 2
	[[ "$stderr" == "uring-tool: error: "*"too many arguments"* ]]
}

@test "--version: tool, liburing built and running, python" {
	run --separate-stderr "$UT_BIN" --version
	assert_success
	[ -z "$stderr" ]
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 --regexp '^uring-tool [0-9]+\.[0-9]+\.[0-9]+$'
	assert_line --index 1 --regexp '^liburing [0-9]+\.[0-9]+(\.[0-9]+)? \(built with\), [0-9]+\.[0-9]+(\.[0-9]+)? \(running\)$'
	assert_line --index 2 --regexp '^python(: not built in| [0-9]+\.[0-9]+(\.[0-9]+)?.* \(embedded\))$'
	# the version is the project's
	local want
	want=$(sed -n 's/^project(uring-tool VERSION \([0-9.]*\).*/\1/p' "$UT_SRC/CMakeLists.txt")
	assert_line --index 0 "uring-tool $want"
	# built with the liburing pkg-config found
	if command -v pkg-config >/dev/null && pkg-config --exists liburing; then
		assert_line --index 1 --regexp "^liburing $(pkg-config --modversion liburing) \(built with\)"
	fi
	run -0 "$UT_BIN" -V
	assert_line --index 0 --regexp '^uring-tool [0-9]'
}

@test "--version says whether python is built in, as the build says" {
	local cache=$UT_BUILD/CMakeCache.txt
	[ -r "$cache" ] || skip "no CMakeCache.txt in UT_BUILD '$UT_BUILD'"
	run -0 "$UT_BIN" --version
	if grep -q '^UT_WITH_PYTHON:BOOL=OFF' "$cache"; then
		assert_line --index 2 "python: not built in"
	else
		assert_line --index 2 --regexp '^python [0-9]+\.[0-9]+.*\(embedded\)$'
	fi
}

@test "unknown command: exit 2, one error line naming it, a suggestion" {
	run --separate-stderr "$UT_BIN" prob
	assert_failure 2
	[ -z "$output" ]
	[[ "${stderr_lines[0]}" == "uring-tool: error: unknown command 'prob' (did you mean 'probe'?)" ]]
	[[ "$stderr" == *"--help"* ]]
}

@test "unknown command far from any: no suggestion" {
	run --separate-stderr "$UT_BIN" xyzzyplugh
	assert_failure 2
	[[ "${stderr_lines[0]}" == "uring-tool: error: unknown command 'xyzzyplugh'" ]]
}

@test "commands are matched exactly, not by prefix or case" {
	run -2 "$UT_BIN" pro
	run -2 "$UT_BIN" PROBE
	run -2 "$UT_BIN" probes
}

@test "unknown global option: exit 2" {
	run --separate-stderr "$UT_BIN" --frobnicate
	assert_failure 2
	[ -z "$output" ]
	[[ "${stderr_lines[0]}" == "uring-tool: error: unknown option '--frobnicate'" ]]
	run -2 "$UT_BIN" -x probe
}

@test "a value for an option that takes none: exit 2 naming the option" {
	local args opt
	# with and without a short letter, in both commands' option tables
	for args in "bench send --json=1" "bench send --sqpoll=1" \
		"bench send --no-progress=0" "probe --no-behaviour=1"; do
		opt=${args##* }
		opt=${opt%%=*}
		# shellcheck disable=SC2086
		run --separate-stderr "$UT_BIN" $args
		[ "$status" -eq 2 ] || fail "'$args' exited $status"
		[ "${stderr_lines[0]}" = "uring-tool: error: option '$opt' takes no value" ] ||
			fail "'$args': $stderr"
	done
}

@test "no arguments: usage on stderr, exit 2" {
	run --separate-stderr "$UT_BIN"
	assert_failure 2
	[ -z "$output" ]
	[[ "$stderr" == "usage: uring-tool"* ]]
}

@test "a full disk is a failure, not success (exit 4)" {
	[ -w /dev/full ] || skip "/dev/full is missing"
	run --separate-stderr bash -c '"$UT_BIN" --help >/dev/full'
	assert_failure 4
	[[ "$stderr" == *"uring-tool: error: write to standard output: No space left on device"* ]]
	run -4 bash -c '"$UT_BIN" --version >/dev/full'
	run -4 bash -c '"$UT_BIN" help probe >/dev/full'
}

@test "a full disk fails probe output too, but -q writes nothing" {
	[ -w /dev/full ] || skip "/dev/full is missing"
	require_io_uring
	run -4 bash -c '"$UT_BIN" probe --json --no-behaviour >/dev/full'
	run -0 bash -c '"$UT_BIN" probe -q --no-behaviour >/dev/full'
}

@test "error messages follow the conventions: lowercase, quoted value" {
	run --separate-stderr "$UT_BIN" probe --format yaml
	assert_failure 2
	[[ "${stderr_lines[0]}" =~ ^uring-tool:\ error:\ [a-z] ]]
	[[ "${stderr_lines[0]}" == *"'yaml'"* ]]
	[[ "${stderr_lines[0]}" != *. ]]
}
