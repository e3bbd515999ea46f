// SPDX-License-Identifier: MIT
/*
 * The classic path: blocking send()/recv() on one socket per thread, the
 * baseline every io_uring figure is set against.
 */
#include "bench_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The worker's message buffer, and the op it runs named for the report. */
static char *payload(struct ut_bench_worker *w, const char *op)
{
	void *buf = NULL;

	w->op = op;
	if (posix_memalign(&buf, 4096, w->size))
		return NULL;
	memset(buf, 'u', w->size);
	return buf;
}

int ut_engine_syscall_send(struct ut_bench_worker *w)
{
	char *buf = payload(w, "send(2)");
	int fd = w->fds[0], ret = 0;

	if (!buf)
		return ut_worker_fail(w, "allocate", -ENOMEM);
	ut_worker_ready(w);
	while (ut_worker_phase(w) != UT_PH_STOP) {
		ssize_t n = send(fd, buf, w->size, MSG_NOSIGNAL);

		ut_ctr_add(&w->syscalls, 1);
		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN)
				continue;
			ret = ut_worker_fail(w, "send", -errno);
			goto out;
		}
		ut_ctr_add(&w->bytes, (uint64_t)n);
		ut_ctr_add(&w->msgs, 1);
	}
	if (!w->c->udp)
		shutdown(fd, SHUT_WR);
out:
	free(buf);
	return ret;
}

int ut_engine_syscall_recv(struct ut_bench_worker *w)
{
	int flags = w->c->receiver == UT_RECV_DISCARD ? MSG_TRUNC : 0;
	char *buf = payload(w, "recv(2)");
	int fd = w->fds[0], ret = 0;

	if (!buf)
		return ut_worker_fail(w, "allocate", -ENOMEM);
	if (w->c->udp) {
		/* UDP has no end of stream: notice the stop by timing out */
		struct timeval tv = { 0, 50000 };

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	ut_worker_set_rcvlowat(w, fd);
	ut_worker_ready(w);
	for (;;) {
		ssize_t n = recv(fd, buf, w->size, flags);

		ut_ctr_add(&w->syscalls, 1);
		if (n < 0) {
			if (errno == EAGAIN && ut_worker_phase(w) == UT_PH_STOP)
				break;
			if (errno == EINTR || errno == EAGAIN)
				continue;
			ret = ut_worker_fail(w, "recv", -errno);
			break;
		}
		if (!n)
			break;
		/* MSG_TRUNC on UDP returns the datagram's length, not more */
		ut_ctr_add(&w->bytes, (uint64_t)n);
		ut_ctr_add(&w->msgs, 1);
		ut_worker_phase(w);
	}
	free(buf);
	return ret;
}
