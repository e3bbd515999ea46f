#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what building and testing uring-tool needs on Debian 12 (as root).
# Quiet when everything is already there, so re-runs cost nothing.
set -euo pipefail

build=(build-essential cmake pkg-config liburing-dev libjson-c-dev python3-dev)
tests=(bats bats-assert bats-support mandoc iproute2 util-linux file python3-matplotlib
       qemu-system-x86 busybox-static cpio)

want=("${build[@]}")
[ "${1:-}" = "--tests" ] && want+=("${tests[@]}")

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages: ${missing[*]} (run as root to install)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
