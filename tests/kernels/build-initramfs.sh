#!/bin/bash
# SPDX-License-Identifier: MIT
# Build the guest's initramfs (cpio newc, gzip): busybox-static, the static
# uring-tool, guest-exit (built here), /init and collect.sh.
#
# usage: build-initramfs.sh STATIC-URING-TOOL OUTPUT.cpio.gz
set -euo pipefail

tool=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
busybox=${UT_BUSYBOX:-/bin/busybox}

# static: an ELF file without a program interpreter
is_static() {
	local h
	h=$(readelf -lW "$1" 2>/dev/null) && ! grep -q 'program interpreter' <<<"$h"
}
for f in "$busybox" "$tool"; do
	if ! is_static "$f"; then
		echo "build-initramfs: '$f' is not a static executable" >&2
		exit 2
	fi
done

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp}
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
strip -o "$root/bin/uring-tool" "$tool"
"${CC:-cc}" -static -Os -Wall -Wextra -o "$root/bin/guest-exit" "$here/guest-exit.c"
install -m 755 "$here/init.sh" "$root/init"
install -m 755 "$here/collect.sh" "$root/collect.sh"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) | gzip -1 >"$out.new"
mv "$out.new" "$out"
