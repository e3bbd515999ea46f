#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The man pages keep up with the code: every command has a page, every long
# option and exit status is documented, the probe's JSON keys, reason
# tokens and shell keys are described, and the pages lint clean.

load helpers

setup() {
	ut_common_setup
	MAN=$UT_SRC/man
	CLI=$UT_SRC/cli
}

# Commands listed by `uring-tool --help`
commands() {
	"$UT_BIN" --help | sed -n 's/^  \([a-z][a-z0-9-]*\)  .*/\1/p'
}

@test "--help lists commands (the list the tests below walk)" {
	run commands
	assert_success
	assert_line probe
	[ "${#lines[@]}" -ge 3 ]
}

@test "every command has a man page (unless its cmd_*.c is a placeholder)" {
	local cmd missing=()
	for cmd in $(commands); do
		[ "$cmd" = help ] && continue
		[ -f "$MAN/uring-tool-$cmd.1" ] && continue
		if [ -f "$CLI/cmd_$cmd.c" ] && grep -q Placeholder "$CLI/cmd_$cmd.c"; then
			echo "# man/uring-tool-$cmd.1 not needed yet: cli/cmd_$cmd.c is a placeholder" >&3
			continue
		fi
		missing+=("man/uring-tool-$cmd.1")
	done
	[ "${#missing[@]}" -eq 0 ] || fail "missing man pages: ${missing[*]}"
}

@test "uring-tool(1) describes every command and refers to its page" {
	local cmd
	for cmd in $(commands); do
		grep -Eq "^\.(B|BR) $cmd( |\$)" "$MAN/uring-tool.1" ||
			fail "uring-tool.1 has no entry for command '$cmd'"
		[ "$cmd" = help ] && continue
		grep -q "uring-tool-$cmd (1)" "$MAN/uring-tool.1" ||
			fail "uring-tool.1 does not refer to uring-tool-$cmd(1)"
	done
}

# Every long option of the getopt_long tables in cli/*.c (and every short
# one of their option strings) appears in the command's own page, or in
# uring-tool.1 for files that are not a command.
@test "every option in the code is documented in a man page" {
	run "$UT_PY" - "$CLI" "$MAN" <<'PY'
import glob, os, re, sys
cli, man = sys.argv[1:]
def page_text(path):
    with open(path) as f:
        # troff escapes: \- is a minus, \f[BIR] change fonts
        return re.sub(r"\\f[BIRP]", "", f.read()).replace("\\-", "-")
pages = {os.path.basename(p): page_text(p) for p in glob.glob(man + "/*.1")}
missing = []
for src in sorted(glob.glob(cli + "/*.c")):
    code = open(src).read()
    longs = re.findall(r'\{\s*"([a-z0-9][a-z0-9-]*)"\s*,\s*(?:no|required|optional)_argument', code)
    shorts = []
    for s in re.findall(r'getopt_long\s*\([^,]+,[^,]+,\s*"([^"]*)"', code):
        shorts += [c for c in s if c not in ":+-"]
    if not longs and not shorts:
        continue
    m = re.match(r"cmd_(.+)\.c$", os.path.basename(src))
    page = "uring-tool-%s.1" % m.group(1) if m else "uring-tool.1"
    if page not in pages:
        print("# %s: no %s (the test above names it)" % (os.path.basename(src), page))
        continue
    text = pages[page]
    for o in longs:
        if not re.search(r"(?<![\w-])--%s(?![\w-])" % re.escape(o), text):
            missing.append("--%s (%s) in man/%s" % (o, os.path.basename(src), page))
    for c in shorts:
        if not re.search(r"(?<![\w-])-%s(?![\w-])" % re.escape(c), text):
            missing.append("-%s (%s) in man/%s" % (c, os.path.basename(src), page))
for m in missing:
    print("undocumented option " + m)
sys.exit(1 if missing else 0)
PY
	assert_success
}

@test "uring-tool(1) EXIT STATUS lists exactly the statuses of enum ut_exit" {
	run "$UT_PY" - "$CLI/cli.h" "$MAN/uring-tool.1" <<'PY'
import re, sys
hdr, page = (open(p).read() for p in sys.argv[1:])
enum = re.search(r"enum ut_exit\s*\{(.*?)\}", hdr, re.S).group(1)
codes = {int(v) for v in re.findall(r"UT_EXIT_\w+\s*=\s*(\d+)", enum)}
assert codes, "no statuses found in enum ut_exit"
sec = re.search(r"^\.SH EXIT STATUS\n(.*?)^\.SH ", page, re.S | re.M)
assert sec, "uring-tool.1 has no EXIT STATUS section"
listed = {int(v) for v in re.findall(r"^\.TP\n\.B (\d+)$", sec.group(1), re.M)}
assert codes == listed, "enum ut_exit %s, EXIT STATUS lists %s" % (sorted(codes), sorted(listed))
PY
	assert_success
}

@test "uring-tool-probe(1) documents every JSON key, reason and behaviour" {
	local page=$MAN/uring-tool-probe.1
	run "$UT_PY" - "$UT_SRC" "$page" <<'PY'
import re, sys
src, page = sys.argv[1:]
text = re.sub(r"\\f[BIRP]", "", open(page).read()).replace("\\-", "-")
missing = []
def need(what, word):
    if not re.search(r"(?<![\w])%s(?![\w])" % re.escape(word), text):
        missing.append("%s '%s'" % (what, word))
json_c = open(src + "/core/probe_json.c").read()
for k in set(re.findall(r'\badd\(\w+,\s*"(\w+)"', json_c)):
    need("JSON key", k)
cmd = open(src + "/cli/cmd_probe.c").read()
for k in set(re.findall(r'json_object_object_add\(\w+,\s*"(\w+)"', cmd)):
    need("JSON key", k)
need("JSON key", "requirements")
diag = open(src + "/core/diagnose.c").read()
for t in re.findall(r'return "(\w+)";', diag.split("ut_reason_token")[1].split("}")[0]):
    need("reason token", t)
beh = open(src + "/core/probe_behaviour.c").read()
for n in re.findall(r'\[UT_BEH_\w+\]\s*=\s*"(\w+)"', beh):
    need("behaviour", n)
for t in re.findall(r'case UT_B_\w+: return "(\w+)";', beh):
    need("behaviour status", t)
render = open(src + "/cli/probe_render.c").read()
def need_prefix(what, prefix):
    # URING_OP_%s is documented as URING_OP_NAME or by an example
    if prefix not in text:
        missing.append("%s '%s...'" % (what, prefix))
for k, fmt in set(re.findall(r'"(URING_[A-Z_]+)(%s)?=', render)):
    (need_prefix if fmt else need)("shell key", k)
for k, fmt in set(re.findall(r'"#define (URING_[A-Z_]+)(%s)? ', render)):
    (need_prefix if fmt else need)("C macro", k)
for m in missing:
    print("undocumented " + m)
sys.exit(1 if missing else 0)
PY
	assert_success
	grep -q '^\.SH EXIT STATUS' "$page"
	grep -q '^\.SH EXAMPLES' "$page"
	grep -q '^\.SH REQUIREMENT EXPRESSIONS' "$page"
	grep -q 'NO_SQARRAY' "$page"
}

@test "man pages lint clean (mandoc -Tlint -W warning)" {
	command -v mandoc >/dev/null || skip "mandoc is not installed (apt-get install mandoc)"
	run mandoc -Tlint -W warning "$MAN"/*.1
	assert_success
	assert_output ""
}

@test "man pages render without errors (man -l)" {
	command -v man >/dev/null || skip "man is not installed"
	local p
	for p in "$MAN"/*.1; do
		run --separate-stderr env MANWIDTH=80 man -l "$p"
		assert_success
		[ -z "$stderr" ] || fail "$p: $stderr"
		assert_line --regexp '^NAME$'
		assert_line --regexp '^EXIT STATUS$|^SEE ALSO$'
	done
}
