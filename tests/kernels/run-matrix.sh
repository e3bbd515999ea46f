#!/bin/bash
# SPDX-License-Identifier: MIT
# The kernel matrix: run the static uring-tool on Debian 12's 6.1 and 6.12
# cloud kernels under qemu and directly on the host, check every probe
# against the tool's version table, and optionally write the matrix.
#
# usage: run-matrix.sh [--matrix FILE]
# env:   UT_BIN    a static uring-tool (else one is built with -DUT_STATIC=ON)
#        UT_BUILD  build tree for the static build and the logs (build-kern)
#        UT_KERNEL_SERIES  kernels to boot (default "6.1 6.12")
# exit:  0 all agree, 1 a disagreement or a failed run, 2 usage,
#        77 skipped (qemu, busybox-static or the kernels not to be had)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=${UT_SRC:-$(cd "$here/../.." && pwd)}
build=${UT_BUILD:-$src/build-kern}
out=${UT_KERNELS_OUT:-$build/kernels}
series=${UT_KERNEL_SERIES:-6.1 6.12}
matrix=

while [ $# -gt 0 ]; do
	case $1 in
	--matrix) matrix=${2:?--matrix needs a file}; shift 2 ;;
	-h | --help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run-matrix: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

skip() {
	echo "run-matrix: skip: $*" >&2
	exit 77
}

# static: an ELF file without a program interpreter
is_static() {
	local h
	h=$(readelf -lW "$1" 2>/dev/null) && ! grep -q 'program interpreter' <<<"$h"
}

for cmd in qemu-system-x86_64 cpio gzip python3 dpkg-deb apt-cache cmake cc readelf strip; do
	command -v "$cmd" >/dev/null || skip "'$cmd' not installed"
done
is_static "${UT_BUSYBOX:-/bin/busybox}" ||
	skip "no static busybox (apt-get install --no-install-recommends busybox-static)"

mkdir -p "$out"
export PYTHONDONTWRITEBYTECODE=1	# keep the source tree clean
start=$(date +%s)

# 1. a static uring-tool
tool=${UT_BIN:-}
if [ -z "$tool" ] || ! is_static "$tool"; then
	sb=$build/kernels-static
	echo "run-matrix: building a static uring-tool in $sb" >&2
	if ! { timeout 600 cmake -S "$src" -B "$sb" -DUT_STATIC=ON \
			-DBUILD_TESTING=OFF &&
		timeout 600 cmake --build "$sb" -j2 --target uring-tool; } \
		>"$out/static-build.log" 2>&1; then
		tail -n 30 "$out/static-build.log" >&2
		echo "run-matrix: static build failed (log: $out/static-build.log)" >&2
		exit 1
	fi
	tool=$sb/cli/uring-tool
	is_static "$tool" || { echo "run-matrix: $tool is not static" >&2; exit 1; }
fi

# 2. the kernels (cached) and the initramfs
# shellcheck disable=SC2086	# one word per series
kernels=$("$here/fetch-kernels.sh" $series) || {
	rc=$?
	[ "$rc" -eq 77 ] && skip "kernels not available (see above)"
	exit "$rc"
}
"$here/build-initramfs.sh" "$tool" "$out/initramfs.cpio.gz"

# 3. the host, directly
runs=()
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
host_config=
[ -r /proc/config.gz ] && host_config=,/proc/config.gz
[ -r "/boot/config-$(uname -r)" ] && host_config=,/boot/config-$(uname -r)
echo "run-matrix: host $(uname -r)" >&2
timeout 300 "$here/collect.sh" "$tool" "$scratch" >"$out/host.log" ||
	echo "run-matrix: host run exited $?" >&2

# 4. each kernel under qemu
while read -r s vmlinuz; do
	echo "run-matrix: booting $s ($vmlinuz)" >&2
	t0=$(date +%s)
	"$here/boot-kernel.sh" "$vmlinuz" "$out/initramfs.cpio.gz" "$out/$s.log" || true
	echo "run-matrix: $s done in $(($(date +%s) - t0)) s" >&2
	runs+=("$s=$out/$s.log,$(dirname "$vmlinuz")/config")
done <<<"$kernels"
runs+=("host=$out/host.log$host_config")

# 5. check, and write the matrix
rc=0
python3 "$here/check_results.py" "${runs[@]}" || rc=$?
if [ -n "$matrix" ]; then
	python3 "$here/make_matrix.py" "${runs[@]}" >"$matrix.new"
	mv "$matrix.new" "$matrix"
	echo "run-matrix: wrote $matrix" >&2
fi
echo "run-matrix: logs in $out; $(($(date +%s) - start)) s in all" >&2
exit "$rc"
