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

/*
 * Rings are charged to RLIMIT_MEMLOCK per user and uncharged by a kernel
 * worker some time after close (SQPOLL rings, rings with work in flight,
 * another process's): while an expression yields -ENOMEM, retry it for up
 * to about 50 ms. ret gets the last result.
 */
#define UT_ENOMEM_RETRIES 50
#define UT_ENOMEM_WAIT_US 1000
#define UT_RETRY_ENOMEM(ret, expr)					\
	do {								\
		for (int ut_try_ = 0;; ut_try_++) {			\
			(ret) = (expr);					\
			if ((ret) != -ENOMEM ||				\
			    ut_try_ + 1 >= UT_ENOMEM_RETRIES)		\
				break;					\
			usleep(UT_ENOMEM_WAIT_US);			\
		}							\
	} while (0)

static inline int ut_sys_register(int fd, unsigned int op, void *arg,
				  unsigned int nr)
{
	long r = syscall(__NR_io_uring_register, fd, op, arg, nr);

	return r < 0 ? -errno : (int)r;
}

#endif
