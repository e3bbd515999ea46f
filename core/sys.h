/* SPDX-License-Identifier: MIT */
/* Raw io_uring syscalls: the probe needs the errno liburing would hide. */
#ifndef UT_SYS_H
#define UT_SYS_H

#include <errno.h>
#include <linux/io_uring.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline int ut_sys_setup(unsigned int entries, struct io_uring_params *p)
{
	long r = syscall(__NR_io_uring_setup, entries, p);

	return r < 0 ? -errno : (int)r;
}

static inline int ut_sys_register(int fd, unsigned int op, void *arg,
				  unsigned int nr)
{
	long r = syscall(__NR_io_uring_register, fd, op, arg, nr);

	return r < 0 ? -errno : (int)r;
}

#endif
