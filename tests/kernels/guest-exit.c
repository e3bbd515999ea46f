// SPDX-License-Identifier: MIT
/*
 * Leave the guest through qemu's isa-debug-exit device: write the status to
 * I/O port 0xf4 and qemu exits with (status << 1) | 1. Debian's cloud kernels
 * have no /dev/port (CONFIG_DEVPORT is off), so busybox cannot do this.
 *
 * usage: guest-exit STATUS
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>
#include <unistd.h>

#define DEBUG_EXIT_PORT 0xf4

int main(int argc, char **argv)
{
	int status = argc > 1 ? atoi(argv[1]) : 0;

	if (ioperm(DEBUG_EXIT_PORT, 4, 1)) {
		perror("guest-exit: ioperm");
		return 1;
	}
	outb((unsigned char)status, DEBUG_EXIT_PORT);
	/* still here: no isa-debug-exit device on this machine */
	fprintf(stderr, "guest-exit: port 0x%x did not end the machine\n",
		DEBUG_EXIT_PORT);
	return 1;
}
