// SPDX-License-Identifier: MIT
/*
 * The io_uring receiver: plain IORING_OP_RECV into one buffer per request,
 * multishot recv from a provided-buffer ring, or multishot recv bundles
 * (several ring buffers per completion, 6.10+). Copy mode lands the bytes
 * in user memory; discard mode passes MSG_TRUNC so the kernel drops them.
 */
#include "bench_impl.h"

#include "ring.h"
#include "util.h"

#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#define BGID		7
#define IDLE_NS		50000000	/* UDP: this long without data after the stop ends it */
/* provided-buffer memory per ring: small enough to stay in cache */
#define POOL_BYTES	(1u << 20)
#define STREAM_BUF	(64u << 10)	/* TCP provided-buffer size cap */

struct receiver {
	struct ut_bench_worker *w;
	struct io_uring ring;
	enum ut_bench_recv_op op;
	bool fixed_files;
	int flags;			/* MSG_TRUNC in discard mode */
	char *mem;			/* plain: depth buffers per flow; else the pool */
	size_t mem_bytes, br_bytes;	/* both mapped with ut_map_kernel() */
	size_t buf_len;
	struct io_uring_buf_ring *br;
	unsigned int nbufs;
	bool eof[UT_BENCH_MAX_FLOWS];
	unsigned int open;
	int err;
};

static unsigned int pow2_at_most(unsigned long n)
{
	unsigned int p = 1;

	while ((unsigned long)p * 2 <= n && p < 32768)
		p <<= 1;
	return p;
}

static int sqe_fd(struct receiver *r, unsigned int f)
{
	return r->fixed_files ? (int)f : r->w->fds[f];
}

static int arm(struct receiver *r, unsigned int f, unsigned int slot)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring);

	if (!sqe)
		return -EBUSY;
	if (r->op == UT_RECVOP_PLAIN) {
		char *buf = r->mem + ((size_t)f * r->w->c->depth + slot) * r->buf_len;

		io_uring_prep_recv(sqe, sqe_fd(r, f), buf, r->buf_len, r->flags);
	} else {
		io_uring_prep_recv_multishot(sqe, sqe_fd(r, f), NULL, 0, r->flags);
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = BGID;
		if (r->op == UT_RECVOP_BUNDLE)
			sqe->ioprio |= UT_RECVSEND_BUNDLE;
	}
	if (r->fixed_files)
		sqe->flags |= IOSQE_FIXED_FILE;
	sqe->user_data = ((uint64_t)slot << 8) | f;
	return 0;
}

static int setup_pool(struct receiver *r)
{
	struct io_uring_buf_reg reg;
	size_t ring_bytes;
	int ret;

	/* a power of two, at least 8: 1 MiB in all, more for big sizes */
	r->nbufs = pow2_at_most(POOL_BYTES / r->buf_len);
	if (r->nbufs < 8)
		r->nbufs = 8;
	ring_bytes = r->nbufs * sizeof(struct io_uring_buf);
	r->br = ut_map_kernel(ring_bytes);
	if (!r->br)
		return -ENOMEM;
	r->br_bytes = ring_bytes;
	r->mem = ut_map_kernel(r->nbufs * r->buf_len);
	if (!r->mem)
		return -ENOMEM;
	r->mem_bytes = r->nbufs * r->buf_len;
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (unsigned long)r->br;
	reg.ring_entries = r->nbufs;
	reg.bgid = BGID;
	ret = io_uring_register_buf_ring(&r->ring, &reg, 0);
	if (ret)
		return ret;
	io_uring_buf_ring_init(r->br);
	for (unsigned int i = 0; i < r->nbufs; i++)
		io_uring_buf_ring_add(r->br, r->mem + (size_t)i * r->buf_len,
				      r->buf_len, i,
				      io_uring_buf_ring_mask(r->nbufs), i);
	io_uring_buf_ring_advance(r->br, r->nbufs);
	return 0;
}

/* Give the buffers of one completion back; bundles span several in order. */
static unsigned int recycle(struct receiver *r, unsigned int bid, int res)
{
	unsigned int count = 1, mask = io_uring_buf_ring_mask(r->nbufs);

	if (r->op == UT_RECVOP_BUNDLE)
		count = (unsigned int)((res + r->buf_len - 1) / r->buf_len);
	/* buffers come back in ring order, so ring slot == bid (mod nbufs) */
	for (unsigned int i = 0; i < count; i++) {
		unsigned int b = (bid + i) & mask;

		io_uring_buf_ring_add(r->br, r->mem + (size_t)b * r->buf_len,
				      r->buf_len, b, mask, i);
	}
	io_uring_buf_ring_advance(r->br, count);
	return count;
}

static void reap(struct receiver *r)
{
	struct ut_bench_worker *w = r->w;
	uint64_t bytes = 0, msgs = 0;
	struct io_uring_cqe *cqe;
	unsigned int head, n = 0;

	io_uring_for_each_cqe(&r->ring, head, cqe) {
		unsigned int f = cqe->user_data & 0xff;
		unsigned int slot = (unsigned int)(cqe->user_data >> 8);
		bool more = cqe->flags & IORING_CQE_F_MORE;

		n++;
		if (cqe->res > 0) {
			bytes += (uint64_t)cqe->res;
			msgs++;
			if (cqe->flags & IORING_CQE_F_BUFFER)
				recycle(r, cqe->flags >> IORING_CQE_BUFFER_SHIFT,
					cqe->res);
		} else if (cqe->res == 0) {
			if (!r->eof[f]) {
				r->eof[f] = true;
				r->open--;
			}
			continue;
		} else if (cqe->res != -ENOBUFS && cqe->res != -EAGAIN &&
			   cqe->res != -EINTR) {
			if (!r->err)
				r->err = cqe->res;
			continue;
		}
		/* plain recv and ended multishots go again */
		if (!more && !r->eof[f] && arm(r, f, slot) && !r->err)
			r->err = -EBUSY;
	}
	io_uring_cq_advance(&r->ring, n);
	ut_ctr_add(&w->bytes, bytes);
	ut_ctr_add(&w->msgs, msgs);
}

static int choose_op(struct receiver *r, uint32_t features)
{
	bool bundle = features & UT_FEAT_RECVSEND_BUNDLE;

	r->op = r->w->c->recv_op;
	if (r->op == UT_RECVOP_AUTO)
		r->op = bundle ? UT_RECVOP_BUNDLE : UT_RECVOP_MULTISHOT;
	if (r->op == UT_RECVOP_BUNDLE && !bundle)
		return -EOPNOTSUPP;
	/* a datagram per buffer: bundles would merge nothing useful */
	if (r->w->c->udp && r->op == UT_RECVOP_BUNDLE &&
	    r->w->c->recv_op == UT_RECVOP_AUTO)
		r->op = UT_RECVOP_MULTISHOT;
	r->w->op = r->op == UT_RECVOP_PLAIN ? "recv" :
		   r->op == UT_RECVOP_MULTISHOT ? "recv_multishot" : "recv_bundle";
	return 0;
}

static int setup(struct receiver *r)
{
	struct ut_bench_worker *w = r->w;
	const struct ut_bench_config *c = w->c;
	unsigned int want = 0, entries = 8;
	int ret;

	while (entries < c->depth * w->nr_fds)
		entries <<= 1;
	if (c->defer_taskrun)
		want |= UT_RING_WANT_DEFER;
	if (c->sqpoll)
		want |= UT_RING_WANT_SQPOLL;
	ret = ut_ring_init(&r->ring, entries, 4 * entries, want, &w->ring_flags);
	if (ret)
		return ut_worker_fail(w, "io_uring setup", ret);
	w->sq_tid = ut_ring_sq_tid(&r->ring);
	if (choose_op(r, r->ring.features))
		return ut_worker_fail(w, "recv bundle", -EOPNOTSUPP);
	r->flags = c->receiver == UT_RECV_DISCARD ? MSG_TRUNC : 0;
	r->buf_len = w->size;
	/* a byte stream needs no message-sized buffers: small ones stay cached */
	if (!c->udp && r->op != UT_RECVOP_PLAIN && r->buf_len > STREAM_BUF)
		r->buf_len = STREAM_BUF;
	if (c->fixed_files) {
		ret = io_uring_register_files(&r->ring, w->fds, w->nr_fds);
		if (ret)
			return ut_worker_fail(w, "register files", ret);
		r->fixed_files = w->fixed_files = true;
	}
	if (r->op == UT_RECVOP_PLAIN) {
		size_t len = (size_t)c->depth * w->nr_fds * r->buf_len;

		r->mem = ut_map_kernel(len);
		if (!r->mem)
			return ut_worker_fail(w, "allocate", -ENOMEM);
		r->mem_bytes = len;
	} else {
		ret = setup_pool(r);
		if (ret)
			return ut_worker_fail(w, "register buffer ring", ret);
	}
	for (unsigned int f = 0; f < w->nr_fds; f++) {
		unsigned int n = r->op == UT_RECVOP_PLAIN ? c->depth : 1;

		for (unsigned int s = 0; s < n; s++)
			if (arm(r, f, s))
				return ut_worker_fail(w, "submit", -EBUSY);
	}
	r->open = w->nr_fds;
	for (unsigned int f = 0; f < w->nr_fds; f++)
		ut_worker_set_rcvlowat(w, w->fds[f]);
	return 0;
}

int ut_engine_uring_recv(struct ut_bench_worker *w)
{
	struct receiver *r;
	int ret;

	r = calloc(1, sizeof(*r));
	if (!r)
		return ut_worker_fail(w, "allocate", -ENOMEM);
	r->w = w;
	r->ring.ring_fd = -1;
	ret = setup(r);
	if (ret)
		goto out;
	ut_worker_ready(w);
	while (r->open && !r->err) {
		struct __kernel_timespec ts = { 0, IDLE_NS };
		struct io_uring_cqe *cqe;
		uint64_t before = atomic_load_explicit(&w->bytes,
						       memory_order_relaxed);

		/* bounded waits: UDP has no end of stream to wake us */
		ret = io_uring_submit_and_wait_timeout(&r->ring, &cqe, 1, &ts, NULL);
		ut_ctr_add(&w->syscalls, 1);
		if (ret < 0 && ret != -ETIME && ret != -EINTR) {
			ret = ut_worker_fail(w, "submit", ret);
			goto out;
		}
		ret = 0;
		reap(r);
		if (ut_worker_phase(w) == UT_PH_STOP &&
		    (atomic_load(&w->sh->forced) ||
		     (w->c->udp && atomic_load_explicit(&w->bytes,
				memory_order_relaxed) == before)))
			break;
	}
	if (r->err)
		ret = ut_worker_fail(w, "recv", r->err);
out:
	ut_worker_last_readings(w);	/* an SQ thread goes with its ring */
	if (r->ring.ring_fd >= 0)
		io_uring_queue_exit(&r->ring);
	if (r->mem)
		munmap(r->mem, r->mem_bytes);
	if (r->br)
		munmap(r->br, r->br_bytes);
	free(r);
	return ret;
}
