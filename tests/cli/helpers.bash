# SPDX-License-Identifier: MIT
# Shared set-up for the bats tests of the uring-tool binary.
#
# ctest sets UT_BIN (the binary), UT_SRC (the source tree), UT_BUILD and
# UT_SECCOMP_EXEC (tests/helpers/seccomp_exec.c). Run by hand, the defaults
# below find a build in build/ of the source tree.

bats_require_minimum_version 1.5.0

load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash

: "${UT_SRC:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${UT_BUILD:=$UT_SRC/build}"
: "${UT_BIN:=$UT_BUILD/cli/uring-tool}"
: "${UT_SECCOMP_EXEC:=$UT_BUILD/tests/ut-seccomp-exec}"
export UT_SRC UT_BUILD UT_BIN UT_SECCOMP_EXEC

# The system interpreter reads JSON: no pyenv shim, no site packages needed.
UT_PY=/usr/bin/python3
[ -x "$UT_PY" ] || UT_PY=python3

ut_common_setup() {
	[ -x "$UT_BIN" ] || fail "UT_BIN '$UT_BIN' is not an executable"
}

# For tests that start the embedded interpreter: skip without Python, and in
# sanitizer builds leave CPython's own exit-time allocations out of LSan's
# report (tests/py/lsan.supp explains); leaks of our code are still reported.
python_setup() {
	if "$UT_BIN" --version | grep -q '^python: not built in'; then
		skip "this uring-tool was built without Python"
	fi
	export LSAN_OPTIONS="suppressions=$UT_SRC/tests/py/lsan.supp:print_suppressions=0"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}malloc_context_size=2"
}

# Skip the test unless io_uring works for this process.
require_io_uring() {
	local rc=0

	"$UT_BIN" probe -q --no-behaviour || rc=$?
	case $rc in
	0) ;;
	3) skip "io_uring is unavailable here ($("$UT_BIN" probe --json --no-behaviour |
		json_field "reason"))" ;;
	*) fail "probe -q exited $rc" ;;
	esac
}

# json_check FILE 'python statements using d' : fails the test when an
# assert in the statements fails; the message shows the failing line.
json_check() {
	local file=$1 code=$2

	"$UT_PY" - "$file" <<PY || fail "json_check failed on $file"
import json, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
$code
PY
}

# json_field KEY.PATH : print one value of the JSON document on stdin
# (null prints as "null", booleans as "true"/"false").
json_field() {
	"$UT_PY" -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(json.dumps(v) if not isinstance(v, str) else v)
' "$1"
}

# Copy the binary where an unprivileged user can run it: sets UT_UNPRIV_DIR
# and UT_UNPRIV_BIN (a bats temporary directory is private to root). The
# caller removes UT_UNPRIV_DIR in teardown.
unprivileged_copy() {
	UT_UNPRIV_DIR=$(mktemp -d /tmp/uring-tool-test.XXXXXX)
	chmod 755 "$UT_UNPRIV_DIR"
	cp "$UT_BIN" "$UT_UNPRIV_DIR/uring-tool"
	chmod 755 "$UT_UNPRIV_DIR/uring-tool"
	UT_UNPRIV_BIN=$UT_UNPRIV_DIR/uring-tool
}
