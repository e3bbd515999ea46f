// SPDX-License-Identifier: MIT
/*
 * ut-seccomp-exec eperm|enosys PROG [ARGS...]
 *
 * Install a seccomp filter that fails io_uring_setup, io_uring_enter and
 * io_uring_register with EPERM (Docker's default profile) or ENOSYS (other
 * sandboxes), then exec PROG. Everything else is allowed. The tests use it
 * to see the probe's verdict under a sandbox without needing one.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH_NR AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH_NR AUDIT_ARCH_AARCH64
#else
#error "ut-seccomp-exec: add this architecture's AUDIT_ARCH_*"
#endif

/* the numbers are the same on every architecture (asm-generic) */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter 426
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register 427
#endif

static int usage(void)
{
	fprintf(stderr, "usage: ut-seccomp-exec eperm|enosys PROG [ARGS...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned int err;

	if (argc < 3)
		return usage();
	if (!strcmp(argv[1], "eperm"))
		err = EPERM;
	else if (!strcmp(argv[1], "enosys"))
		err = ENOSYS;
	else
		return usage();

	struct sock_filter filter[] = {
		/* a syscall of another ABI (i386 compat) is killed, not let by */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_NR, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_enter, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_register, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
	};
	struct sock_fprog prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = filter,
	};

	/* lets an unprivileged caller install a filter; exec keeps it */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		perror("ut-seccomp-exec: prctl(PR_SET_NO_NEW_PRIVS)");
		return 1;
	}
	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) {
		perror("ut-seccomp-exec: seccomp(SECCOMP_SET_MODE_FILTER)");
		return 1;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "ut-seccomp-exec: exec '%s': %s\n", argv[2], strerror(errno));
	return 127;
}
