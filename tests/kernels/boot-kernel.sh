#!/bin/bash
# SPDX-License-Identifier: MIT
# Boot one kernel with the initramfs under qemu (TCG; /dev/kvm here is a
# nested virtualisation far slower than TCG) and keep the serial console.
#
# usage: boot-kernel.sh VMLINUZ INITRAMFS SERIAL-LOG
# exit: 0 the guest ran collect.sh to the end, 1 otherwise
set -euo pipefail

kernel=$1 initrd=$2 log=$3
bound=${UT_QEMU_BOUND:-150}

rc=0
# thread=single: two guest CPUs, run round-robin on one host thread. With
# multi-threaded TCG a 6.12 guest panicked (int3 in inet_ehashfn) when the
# kernel patched its own text while the other vCPU ran it.
timeout -k 5 "$bound" qemu-system-x86_64 \
	-accel tcg,thread=single -cpu max -smp "${UT_QEMU_SMP:-2}" -m 512M \
	-machine pc -display none -monitor none -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-serial "file:$log" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 quiet loglevel=1 panic=-1 rdinit=/init" \
	</dev/null || rc=$?

# isa-debug-exit: qemu's status is (guest status << 1) | 1
case $rc in
1) exit 0 ;;
124 | 137) echo "boot-kernel: $kernel: no exit within ${bound}s" >&2 ;;
*) echo "boot-kernel: $kernel: qemu exited $rc" >&2 ;;
esac
exit 1
