// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include "ring.h"

#include "abi.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef IORING_SETUP_COOP_TASKRUN
#define IORING_SETUP_COOP_TASKRUN	(1U << 8)
#endif
#ifndef IORING_SETUP_SINGLE_ISSUER
#define IORING_SETUP_SINGLE_ISSUER	(1U << 12)
#endif
#ifndef IORING_SETUP_DEFER_TASKRUN
#define IORING_SETUP_DEFER_TASKRUN	(1U << 13)
#endif

int ut_ring_init(struct io_uring *ring, unsigned int entries,
		 unsigned int cq_entries, unsigned int want,
		 uint32_t *in_effect)
{
	uint32_t ladder[5];
	unsigned int n = 0;
	int ret = -EINVAL;

	if (want & UT_RING_WANT_SQPOLL)
		ladder[n++] = IORING_SETUP_SQPOLL;
	else if (want & UT_RING_WANT_DEFER)
		ladder[n++] = IORING_SETUP_DEFER_TASKRUN |
			      IORING_SETUP_SINGLE_ISSUER;
	if (!(want & UT_RING_WANT_SQPOLL)) {
		ladder[n++] = IORING_SETUP_COOP_TASKRUN |
			      IORING_SETUP_SINGLE_ISSUER;
		ladder[n++] = IORING_SETUP_COOP_TASKRUN;
	}
	ladder[n++] = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct io_uring_params p;

		memset(&p, 0, sizeof(p));
		p.flags = ladder[i];
		if (cq_entries > entries) {
			p.flags |= IORING_SETUP_CQSIZE;
			p.cq_entries = cq_entries;
		}
		if (p.flags & IORING_SETUP_SQPOLL)
			p.sq_thread_idle = 100;
		ret = io_uring_queue_init_params(entries, ring, &p);
		if (!ret) {
			*in_effect = p.flags;
			/* fewer fdget()s per enter; optional */
			io_uring_register_ring_fd(ring);
			return 0;
		}
		if (ret != -EINVAL)
			return ret;
	}
	return ret;
}

static int fdinfo_sq_thread(int ring_fd)
{
	char path[64], line[128];
	int tid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ring_fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "SqThread:", 9)) {
			tid = atoi(line + 9);
			break;
		}
	fclose(f);
	return tid;
}

int ut_ring_sq_tid(const struct io_uring *ring)
{
	struct timespec ms = { 0, 1000000 };

	if (!(ring->flags & IORING_SETUP_SQPOLL))
		return 0;
	/*
	 * Until the new thread first runs, the kernel shows its creator's
	 * tid (ours), and it leaves the line out (6.18) or shows -1 while
	 * the ring's lock is held: ask again, briefly.
	 */
	for (int i = 0; i < 100; i++) {
		int tid = fdinfo_sq_thread(ring->ring_fd);

		if (tid > 0 && tid != gettid())
			return tid;
		nanosleep(&ms, NULL);
	}
	return 0;
}

int ut_ring_has_op(struct io_uring *ring, int op)
{
	struct io_uring_probe *p = io_uring_get_probe_ring(ring);
	int ret;

	if (!p)
		return -ENOMEM;
	ret = op <= p->last_op && (p->ops[op].flags & IO_URING_OP_SUPPORTED);
	io_uring_free_probe(p);
	return ret;
}

const char *ut_ring_flags_str(uint32_t flags, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	if (!flags) {
		snprintf(buf, len, "none");
		return buf;
	}
	for (unsigned int bit = 0; bit < 32; bit++) {
		char tmp[16];
		int n;

		if (!(flags & (1u << bit)))
			continue;
		n = snprintf(buf + off, len - off, "%s%s", off ? "|" : "",
			     ut_abi_name(&ut_setup_flags, bit, tmp, sizeof(tmp)));
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += n;
	}
	return buf;
}
