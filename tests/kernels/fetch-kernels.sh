#!/bin/bash
# SPDX-License-Identifier: MIT
# Fetch Debian 12 cloud kernels (6.1 LTS and 6.12) without installing them:
# `apt-get download` of the -unsigned image package, then boot/vmlinuz-* and
# boot/config-* (the checker reads which options are built in) out of its
# data tarball. Cached, so a re-run costs two apt-cache look-ups.
#
# usage: fetch-kernels.sh SERIES...     (SERIES: 6.1 or 6.12)
# prints one line per series: SERIES PATH-TO-VMLINUZ
# exit: 0 all fetched, 77 a kernel is neither cached nor downloadable
set -euo pipefail

cache=${UT_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uring-tool-kernels}
mkdir -p "$cache"

# The metapackage that follows each series; its dependency names the image.
meta_for() {
	case $1 in
	6.1) echo linux-image-cloud-amd64 ;;
	6.12) echo linux-image-6.12-cloud-amd64 ;;
	*) echo "fetch-kernels: unknown series '$1'" >&2; return 2 ;;
	esac
}

image_pkg() {
	local dep
	dep=$(apt-cache depends "$(meta_for "$1")" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
	[ -n "$dep" ] && echo "$dep-unsigned"
}

# Newest cached kernel of a series, for machines whose apt lists moved on
# or cannot be read.
cached_for() {
	local f
	for f in "$cache"/linux-image-"$1".*/vmlinuz; do
		[ -f "$f" ] && echo "$f"
	done | sort -V | tail -n 1
}

fetch() {
	local series=$1 pkg dir tmp deb
	pkg=$(image_pkg "$series" || true)
	if [ -z "$pkg" ]; then
		dir=$(cached_for "$series")
		if [ -n "$dir" ]; then
			echo "$series $dir"
			return 0
		fi
		echo "fetch-kernels: no package for $series (run apt-get update)" >&2
		return 77
	fi
	dir=$cache/$pkg
	if [ ! -s "$dir/vmlinuz" ] || [ ! -s "$dir/config" ]; then
		tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
		chmod 755 "$tmp"	# apt's _apt user writes the download here
		echo "fetch-kernels: downloading $pkg" >&2
		if ! (cd "$tmp" && timeout 600 apt-get download -q "$pkg" >&2); then
			echo "fetch-kernels: apt-get download $pkg failed" >&2
			rm -rf "$tmp"
			return 77
		fi
		deb=$(ls "$tmp"/*.deb)
		dpkg-deb --fsys-tarfile "$deb" |
			tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' './boot/config-*'
		mkdir -p "$dir"
		mv "$tmp"/boot/config-* "$dir/config"
		mv "$tmp"/boot/vmlinuz-* "$dir/vmlinuz.new"
		mv "$dir/vmlinuz.new" "$dir/vmlinuz"
		rm -rf "$tmp"
	fi
	echo "$series $dir/vmlinuz"
}

[ $# -gt 0 ] || set -- 6.1 6.12
for s in "$@"; do
	fetch "$s"
done
