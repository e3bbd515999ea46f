// SPDX-License-Identifier: MIT
/*
 * The behaviour probes: real operations on loopback sockets, each with its
 * own ring, bounded by the caller's timeout. An errno that means "the kernel
 * does not know this" is reported as unsupported, anything else as failed.
 */
#define _GNU_SOURCE
#include "probe_ops.h"

#include "abi.h"
#include "net.h"
#include "sys.h"
#include "util.h"

#include <errno.h>
#include <liburing.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BGID 7

static bool unsupported_errno(int err)
{
	return err == EINVAL || err == EOPNOTSUPP || err == ENOSYS ||
	       err == EBADF;
}

/*
 * One CQE by end (ut_now_ns() time): a probe that waits twice shares its
 * one --timeout between the waits, as the parent's bound assumes.
 */
static int wait_one(struct io_uring *ring, uint64_t end,
		    struct io_uring_cqe *out)
{
	struct io_uring_cqe *cqe;
	int ret;

	do {
		uint64_t now = ut_now_ns(), left = end > now ? end - now : 0;
		struct __kernel_timespec ts = {
			.tv_sec = (long long)(left / 1000000000ull),
			.tv_nsec = (long long)(left % 1000000000ull),
		};

		ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
	} while (ret == -EINTR);
	if (ret)
		return ret;
	*out = *cqe;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

static int init_ring(struct io_uring *ring, unsigned int flags,
		     struct ut_behaviour *b)
{
	int ret;

	/* the previous probe's ring may still be charged to memlock */
	UT_RETRY_ENOMEM(ret, io_uring_queue_init(16, ring, flags));
	/* failed, the ring holds nothing (or zeroes): say so to the closers */
	if (ret < 0)
		ring->ring_fd = -1;
	if (ret < 0)
		ut_beh_set(b, unsupported_errno(-ret) ? UT_B_UNSUPPORTED :
			   UT_B_FAILED, -ret, "ring setup: %s", strerror(-ret));
	return ret;
}

/* A CQE result that is an error: classify it and say which step. */
static void cqe_error(struct ut_behaviour *b, const char *step, int res)
{
	ut_beh_set(b, unsupported_errno(-res) ? UT_B_UNSUPPORTED : UT_B_FAILED,
		   -res, "%s: %s%s", step, strerror(-res),
		   res == -ENOMEM ? " (pinned pages count against RLIMIT_MEMLOCK)" : "");
}

static void wait_error(struct ut_behaviour *b, const char *step, int ret)
{
	if (ret == -ETIME)
		ut_beh_set(b, UT_B_TIMEOUT, ETIMEDOUT, "%s: no completion in time",
			   step);
	else
		ut_beh_set(b, UT_B_FAILED, -ret, "%s: %s", step, strerror(-ret));
}

void ut_beh_socket(unsigned int timeout_ms, struct ut_behaviour *b)
{
	const uint64_t end = ut_now_ns() + timeout_ms * 1000000ull;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int ret;

	if (init_ring(&ring, 0, b) < 0)
		return;
	io_uring_prep_socket(io_uring_get_sqe(&ring), AF_INET, SOCK_STREAM, 0, 0);
	io_uring_submit(&ring);
	ret = wait_one(&ring, end, &cqe);
	if (ret)
		wait_error(b, "socket", ret);
	else if (cqe.res < 0)
		cqe_error(b, "socket", cqe.res);
	else {
		close(cqe.res);
		ut_beh_set(b, UT_B_OK, 0, "IORING_OP_SOCKET returned fd %d", cqe.res);
	}
	io_uring_queue_exit(&ring);
}

void ut_beh_accept_multishot(unsigned int timeout_ms, struct ut_behaviour *b)
{
	const uint64_t end = ut_now_ns() + timeout_ms * 1000000ull;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	unsigned short port;
	int lfd, c[2] = { -1, -1 }, got = 0, more = 0, ret = 0;

	if (init_ring(&ring, 0, b) < 0)
		return;
	lfd = ut_tcp_listen_loopback(AF_INET, 4, &port);
	if (lfd < 0) {
		ut_beh_set(b, UT_B_FAILED, -lfd, "listen: %s", strerror(-lfd));
		goto out;
	}
	io_uring_prep_multishot_accept(io_uring_get_sqe(&ring), lfd, NULL, NULL, 0);
	io_uring_submit(&ring);
	for (int i = 0; i < 2; i++)
		c[i] = ut_tcp_connect_loopback(AF_INET, port);
	while (got < 2) {
		ret = wait_one(&ring, end, &cqe);
		if (ret) {
			wait_error(b, "accept", ret);
			goto out;
		}
		if (cqe.res < 0) {
			cqe_error(b, "multishot accept", cqe.res);
			goto out;
		}
		close(cqe.res);
		got++;
		more += !!(cqe.flags & IORING_CQE_F_MORE);
	}
	if (more == 2)
		ut_beh_set(b, UT_B_OK, 0, "one request accepted 2 connections, "
			   "IORING_CQE_F_MORE set on each");
	else
		ut_beh_set(b, UT_B_FAILED, 0, "accepted 2 connections but "
			   "IORING_CQE_F_MORE was missing");
out:
	for (int i = 0; i < 2; i++)
		if (c[i] >= 0)
			close(c[i]);
	if (lfd >= 0)
		close(lfd);
	io_uring_queue_exit(&ring);
}

/*
 * A provided-buffer ring of n buffers of size sz, group BGID. Both in
 * anonymous mappings, never heap: these probes also run inside a Python
 * process, and a request the kernel still holds when a probe gives up must
 * not write into memory the allocator has handed out again.
 */
struct pbuf {
	struct io_uring_buf_ring *br;
	size_t ring_bytes, mem_bytes;
	char *mem;
	unsigned int n, sz;
};

static int pbuf_setup(struct io_uring *ring, struct pbuf *p, unsigned int n,
		      unsigned int sz)
{
	struct io_uring_buf_reg reg;
	int ret;

	p->n = n;
	p->sz = sz;
	p->ring_bytes = n * sizeof(struct io_uring_buf);
	p->br = ut_map_kernel(p->ring_bytes);
	if (!p->br)
		return -ENOMEM;
	p->mem_bytes = (size_t)n * sz;
	p->mem = ut_map_kernel(p->mem_bytes);
	if (!p->mem)
		return -ENOMEM;
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (unsigned long)p->br;
	reg.ring_entries = n;
	reg.bgid = BGID;
	ret = io_uring_register_buf_ring(ring, &reg, 0);
	if (ret)
		return ret;
	io_uring_buf_ring_init(p->br);
	for (unsigned int i = 0; i < n; i++)
		io_uring_buf_ring_add(p->br, p->mem + i * sz, sz, (unsigned short)i,
				      io_uring_buf_ring_mask(n), (int)i);
	io_uring_buf_ring_advance(p->br, (int)n);
	return 0;
}

static void pbuf_free(struct pbuf *p)
{
	if (p->br)
		munmap(p->br, p->ring_bytes);
	if (p->mem)
		munmap(p->mem, p->mem_bytes);
}

static int pair_and_ring(struct io_uring *ring, struct pbuf *p, unsigned int n,
			 unsigned int sz, int fds[2], struct ut_behaviour *b)
{
	int ret;

	fds[0] = fds[1] = -1;
	memset(p, 0, sizeof(*p));
	if (init_ring(ring, 0, b) < 0)
		return -1;
	ret = ut_tcp_pair(AF_INET, fds);
	if (ret < 0) {
		ut_beh_set(b, UT_B_FAILED, -ret, "socket pair: %s", strerror(-ret));
		return -1;
	}
	ret = pbuf_setup(ring, p, n, sz);
	if (ret < 0) {
		ut_beh_set(b, unsupported_errno(-ret) ? UT_B_UNSUPPORTED :
			   UT_B_FAILED, -ret, "provided-buffer ring: %s",
			   strerror(-ret));
		return -1;
	}
	return 0;
}

static void pair_close(struct io_uring *ring, struct pbuf *p, int fds[2])
{
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (ring->ring_fd >= 0)
		io_uring_queue_exit(ring);
	pbuf_free(p);
}

void ut_beh_recv_multishot(unsigned int timeout_ms, struct ut_behaviour *b)
{
	const uint64_t end = ut_now_ns() + timeout_ms * 1000000ull;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct pbuf p;
	int fds[2], ret, got = 0;

	if (pair_and_ring(&ring, &p, 8, 64, fds, b) < 0)
		goto out;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_recv_multishot(sqe, fds[1], NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	io_uring_submit(&ring);
	for (int i = 0; i < 2; i++) {
		if (send(fds[0], "probe", 5, MSG_NOSIGNAL) != 5) {
			ut_beh_set(b, UT_B_FAILED, errno, "send: %s", strerror(errno));
			goto out;
		}
		ret = wait_one(&ring, end, &cqe);
		if (ret) {
			wait_error(b, "recv", ret);
			goto out;
		}
		if (cqe.res < 0) {
			cqe_error(b, "multishot recv", cqe.res);
			goto out;
		}
		if (!(cqe.flags & IORING_CQE_F_MORE) ||
		    !(cqe.flags & IORING_CQE_F_BUFFER)) {
			ut_beh_set(b, UT_B_FAILED, 0, "completion %d lacks "
				   "IORING_CQE_F_MORE or F_BUFFER", i);
			goto out;
		}
		got++;
	}
	ut_beh_set(b, UT_B_OK, 0, "one request received %d messages into "
		   "provided buffers", got);
out:
	pair_close(&ring, &p, fds);
}

void ut_beh_recv_bundle(unsigned int timeout_ms, struct ut_behaviour *b)
{
	const uint64_t end = ut_now_ns() + timeout_ms * 1000000ull;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct pbuf p;
	char msg[24];
	int fds[2], ret;

	if (pair_and_ring(&ring, &p, 8, 8, fds, b) < 0)
		goto out;
	memset(msg, 'b', sizeof(msg));
	/* queue 3 buffers' worth first, so one bundle can take all of it */
	if (send(fds[0], msg, sizeof(msg), MSG_NOSIGNAL) != sizeof(msg)) {
		ut_beh_set(b, UT_B_FAILED, errno, "send: %s", strerror(errno));
		goto out;
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_recv(sqe, fds[1], NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	sqe->ioprio |= UT_RECVSEND_BUNDLE;
	io_uring_submit(&ring);
	ret = wait_one(&ring, end, &cqe);
	if (ret)
		wait_error(b, "recv", ret);
	else if (cqe.res < 0)
		cqe_error(b, "recv bundle", cqe.res);
	else if (cqe.res > (int)p.sz)
		ut_beh_set(b, UT_B_OK, 0, "one completion filled %d buffers "
			   "(%d bytes)", (cqe.res + (int)p.sz - 1) / (int)p.sz,
			   cqe.res);
	else
		ut_beh_set(b, UT_B_UNSUPPORTED, 0, "recv took one buffer only "
			   "(%d bytes): no bundling", cqe.res);
out:
	pair_close(&ring, &p, fds);
}

void ut_beh_send_zc(unsigned int timeout_ms, struct ut_behaviour *b)
{
	const uint64_t end = ut_now_ns() + timeout_ms * 1000000ull;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	static char buf[4096];
	char sink[4096];
	int fds[2] = { -1, -1 }, ret;

	if (init_ring(&ring, 0, b) < 0)
		return;
	ret = ut_tcp_pair(AF_INET, fds);
	if (ret < 0) {
		ut_beh_set(b, UT_B_FAILED, -ret, "socket pair: %s", strerror(-ret));
		goto out;
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_send_zc(sqe, fds[0], buf, sizeof(buf), MSG_NOSIGNAL,
			      UT_SEND_ZC_REPORT_USAGE);
	io_uring_submit(&ring);
	ret = wait_one(&ring, end, &cqe);
	if (ret) {
		wait_error(b, "send_zc", ret);
		goto out;
	}
	if (cqe.res < 0 && !(cqe.flags & IORING_CQE_F_MORE)) {
		cqe_error(b, "send_zc", cqe.res);
		goto out;
	}
	/* F_MORE on the first CQE, not res, says a notification follows */
	if (cqe.flags & IORING_CQE_F_MORE) {
		int first = cqe.res;
		ret = wait_one(&ring, end, &cqe);
		if (ret) {
			wait_error(b, "send_zc notification", ret);
			goto out;
		}
		if (!(cqe.flags & IORING_CQE_F_NOTIF)) {
			ut_beh_set(b, UT_B_FAILED, 0, "second completion is no "
				   "notification");
			goto out;
		}
		if (first < 0) {
			cqe_error(b, "send_zc", first);
			goto out;
		}
		b->zc_copied = !!((uint32_t)cqe.res & UT_NOTIF_USAGE_ZC_COPIED);
		ut_beh_set(b, UT_B_OK, 0, "sent %d bytes, notified; the kernel %s",
			   first, b->zc_copied ? "copied them (as it does on "
			   "loopback)" : "sent them without copying");
	} else {
		ut_beh_set(b, UT_B_FAILED, 0, "no notification announced");
	}
	while (recv(fds[1], sink, sizeof(sink), MSG_DONTWAIT) > 0)
		;
out:
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	io_uring_queue_exit(&ring);
}

void ut_beh_defer_taskrun(unsigned int timeout_ms, struct ut_behaviour *b)
{
	const uint64_t end = ut_now_ns() + timeout_ms * 1000000ull;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	char buf[8];
	int fds[2] = { -1, -1 }, ret;
	unsigned int before;

	if (init_ring(&ring, IORING_SETUP_SINGLE_ISSUER |
		      IORING_SETUP_DEFER_TASKRUN, b) < 0)
		return;
	ret = ut_tcp_pair(AF_INET, fds);
	if (ret < 0) {
		ut_beh_set(b, UT_B_FAILED, -ret, "socket pair: %s", strerror(-ret));
		goto out;
	}
	io_uring_prep_recv(io_uring_get_sqe(&ring), fds[1], buf, sizeof(buf), 0);
	io_uring_submit(&ring);
	if (send(fds[0], "x", 1, MSG_NOSIGNAL) != 1) {
		ut_beh_set(b, UT_B_FAILED, errno, "send: %s", strerror(errno));
		goto out;
	}
	usleep(1000);
	/* deferred: nothing may be posted until this task asks for events */
	before = io_uring_cq_ready(&ring);
	ret = wait_one(&ring, end, &cqe);
	if (ret)
		wait_error(b, "recv", ret);
	else if (cqe.res != 1)
		cqe_error(b, "recv", cqe.res < 0 ? cqe.res : -EIO);
	else if (before)
		ut_beh_set(b, UT_B_FAILED, 0, "completion was posted before the "
			   "ring was waited on");
	else
		ut_beh_set(b, UT_B_OK, 0, "completion deferred until the ring "
			   "was waited on");
out:
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	io_uring_queue_exit(&ring);
}
