// SPDX-License-Identifier: MIT
/*
 * The io_uring sender: IORING_OP_SEND or IORING_OP_SEND_ZC over every flow
 * from one ring, --depth requests in flight per flow, many SQEs per
 * io_uring_enter. Zero copy (IORING_OP_SEND_ZC, or IORING_OP_SENDMSG_ZC
 * when the benchmark's required op is that one) asks for usage reports and
 * counts the notifications the kernel flagged as copied after all.
 * --send-op bundle: one IORING_RECVSEND_BUNDLE send per flow takes every
 * message queued in that flow's provided-buffer ring (all entries point at
 * the one message buffer: the kernel only reads it) in one sendmsg.
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
#include <unistd.h>

#define NOTIF_MAX	512u	/* zero copy: notifications pending at most */
/*
 * Messages queued per flow, in bytes: one bundle sends at most this. Bigger
 * bundles hold the socket longer per sendmsg; on loopback, 64K messages
 * with a copying receiver went from about 72 to 90 Gbit/s when this went
 * from 4 MiB to 1 MiB, and 1M messages lost a quarter in 8 MiB bundles.
 */
#define BUNDLE_BYTES	(1u << 20)
#define BUNDLE_MAX	256u	/* the kernel takes at most 256 per bundle */

struct sender {
	struct ut_bench_worker *w;
	struct io_uring ring;
	bool zc, msg, fixed_buf, fixed_files, bundle;
	char *buf;
	struct iovec iov;		/* sendmsg_zc: one message, shared by all SQEs */
	struct msghdr mh;
	unsigned int inflight[UT_BENCH_MAX_FLOWS];
	unsigned int total, notifs_pending;
	uint64_t seq;
	uint64_t *ts;			/* zc: send completion times, by seq */
	unsigned int ts_mask;
	int err;
	/* bundles: a buffer ring per flow (group f), nbufs entries each */
	struct io_uring_buf_ring *br;
	size_t br_bytes, br_stride;	/* a page-aligned ring per flow */
	unsigned int nbufs;
};

static unsigned int pow2_at_least(unsigned int n)
{
	unsigned int p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static struct io_uring_buf_ring *flow_ring(struct sender *s, unsigned int f)
{
	return (struct io_uring_buf_ring *)((char *)s->br + f * s->br_stride);
}

/* Queue n more messages on flow f's ring: every entry is the one buffer. */
static void queue_msgs(struct sender *s, unsigned int f, unsigned int n)
{
	struct io_uring_buf_ring *br = flow_ring(s, f);

	for (unsigned int i = 0; i < n; i++)
		io_uring_buf_ring_add(br, s->buf, (unsigned int)s->w->size, 0,
				      io_uring_buf_ring_mask(s->nbufs), (int)i);
	io_uring_buf_ring_advance(br, (int)n);
}

/*
 * A send bundle: no MSG_WAITALL, so a full socket ends it short and its
 * CQE says how far it got (liburing 2.3 has no io_uring_prep_send_bundle).
 */
static void prep_bundle(struct io_uring_sqe *sqe, int fd, unsigned int f)
{
	io_uring_prep_send(sqe, fd, NULL, 0, MSG_NOSIGNAL);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = (uint16_t)f;
	sqe->ioprio |= UT_RECVSEND_BUNDLE;
}

/* Queue sends until every flow has --depth in flight or the batch is full. */
static unsigned int fill(struct sender *s)
{
	struct ut_bench_worker *w = s->w;
	unsigned int depth = w->c->depth, batch = w->c->batch, queued = 0;

	if (s->zc && s->notifs_pending >= NOTIF_MAX)
		return 0;
	if (s->bundle)
		depth = 1;	/* one bundle takes every queued message */
	for (unsigned int f = 0; f < w->nr_fds; f++) {
		while (s->inflight[f] < depth && (!batch || queued < batch)) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&s->ring);
			int fd = s->fixed_files ? (int)f : w->fds[f];

			if (!sqe)
				return queued;
			if (s->msg)
				io_uring_prep_sendmsg_zc(sqe, fd, &s->mh,
							 MSG_NOSIGNAL | MSG_WAITALL);
			else if (s->zc)
				io_uring_prep_send_zc(sqe, fd, s->buf, w->size,
						      MSG_NOSIGNAL | MSG_WAITALL, 0);
			else if (s->bundle)
				prep_bundle(sqe, fd, f);
			else
				io_uring_prep_send(sqe, fd, s->buf, w->size,
						   MSG_NOSIGNAL | MSG_WAITALL);
			if (s->zc)
				sqe->ioprio |= UT_SEND_ZC_REPORT_USAGE;
			if (s->fixed_buf) {
				sqe->ioprio |= IORING_RECVSEND_FIXED_BUF;
				sqe->buf_index = 0;
			}
			if (s->fixed_files)
				sqe->flags |= IOSQE_FIXED_FILE;
			sqe->user_data = (s->seq++ << 8) | f;
			s->inflight[f]++;
			s->total++;
			queued++;
		}
	}
	return queued;
}

static bool transient(int res)
{
	return res == -EAGAIN || res == -EINTR || res == -ENOBUFS;
}

static void reap(struct sender *s, bool measuring)
{
	struct ut_bench_worker *w = s->w;
	uint64_t bytes = 0, msgs = 0;
	struct io_uring_cqe *cqe;
	unsigned int head, n = 0;

	io_uring_for_each_cqe(&s->ring, head, cqe) {
		unsigned int f = cqe->user_data & 0xff;
		uint64_t seq = cqe->user_data >> 8;

		n++;
		if (cqe->flags & IORING_CQE_F_NOTIF) {
			s->notifs_pending--;
			w->zc_notifs++;
			if ((uint32_t)cqe->res & UT_NOTIF_USAGE_ZC_COPIED)
				w->zc_copied++;
			if (measuring && w->lat && w->nr_lat < UT_LAT_MAX)
				w->lat[w->nr_lat++] = ut_now_ns() -
						      s->ts[seq & s->ts_mask];
			continue;
		}
		s->inflight[f]--;
		s->total--;
		if (cqe->flags & IORING_CQE_F_MORE) {
			s->notifs_pending++;
			s->ts[seq & s->ts_mask] = ut_now_ns();
		}
		if (cqe->res > 0 && s->bundle) {
			/* the messages it took, the last maybe in part: requeue */
			unsigned int taken = (unsigned int)((cqe->res + w->size - 1) /
							    w->size);

			queue_msgs(s, f, taken);
			bytes += (uint64_t)cqe->res;
			msgs += taken;
		} else if (cqe->res >= 0) {
			bytes += (uint64_t)cqe->res;
			msgs++;
		} else if (!transient(cqe->res) && !s->err) {
			s->err = cqe->res;
		}
	}
	io_uring_cq_advance(&s->ring, n);
	ut_ctr_add(&w->bytes, bytes);
	ut_ctr_add(&w->msgs, msgs);
}

/* Submit and wait for want completions, never longer than 100 ms. */
static int submit_wait(struct sender *s, unsigned int want)
{
	struct __kernel_timespec ts = { 0, 100000000 };
	struct io_uring_cqe *cqe;
	int ret;

	ret = io_uring_submit_and_wait_timeout(&s->ring, &cqe, want, &ts, NULL);
	ut_ctr_add(&s->w->syscalls, 1);
	if (ret == -ETIME || ret == -EINTR)
		return 0;
	return ret < 0 ? ret : 0;
}

/* A buffer ring per flow, full of messages; mapped, as the kernel holds it. */
static int setup_bundles(struct sender *s)
{
	struct ut_bench_worker *w = s->w;
	struct io_uring_buf_reg reg;
	unsigned int n = (unsigned int)(BUNDLE_BYTES / w->size);
	size_t page;
	int ret;

	if (!(s->ring.features & UT_FEAT_RECVSEND_BUNDLE))
		return -EOPNOTSUPP;
	s->nbufs = pow2_at_least(n < BUNDLE_MAX ? n : BUNDLE_MAX);
	/* each flow's ring starts on a page of its own, as the kernel requires */
	page = (size_t)sysconf(_SC_PAGESIZE);
	s->br_stride = (s->nbufs * sizeof(struct io_uring_buf) + page - 1) &
		       ~(page - 1);
	s->br_bytes = w->nr_fds * s->br_stride;
	s->br = ut_map_kernel(s->br_bytes);
	if (!s->br)
		return -ENOMEM;
	for (unsigned int f = 0; f < w->nr_fds; f++) {
		memset(&reg, 0, sizeof(reg));
		reg.ring_addr = (unsigned long)flow_ring(s, f);
		reg.ring_entries = s->nbufs;
		reg.bgid = (uint16_t)f;
		ret = io_uring_register_buf_ring(&s->ring, &reg, 0);
		if (ret)
			return ret;
		io_uring_buf_ring_init(flow_ring(s, f));
		queue_msgs(s, f, s->nbufs);
	}
	return 0;
}

static int setup(struct sender *s)
{
	struct ut_bench_worker *w = s->w;
	const struct ut_bench_config *c = w->c;
	unsigned int entries = pow2_at_least(c->depth * w->nr_fds);
	unsigned int want = 0;
	struct iovec iov;
	int ret;

	if (entries < 8)
		entries = 8;
	if (c->defer_taskrun)
		want |= UT_RING_WANT_DEFER;
	if (c->sqpoll)
		want |= UT_RING_WANT_SQPOLL;
	ret = ut_ring_init(&s->ring, entries, 2 * entries + (s->zc ? 2 * NOTIF_MAX : 0),
			   want, &w->ring_flags);
	if (ret)
		return ut_worker_fail(w, "io_uring setup", ret);
	w->sq_tid = ut_ring_sq_tid(&s->ring);
	if (posix_memalign((void **)&s->buf, 4096, w->size)) {
		s->buf = NULL;
		return ut_worker_fail(w, "allocate", -ENOMEM);
	}
	memset(s->buf, 'u', w->size);
	if (c->fixed_files) {
		ret = io_uring_register_files(&s->ring, w->fds, w->nr_fds);
		if (ret)
			return ut_worker_fail(w, "register files", ret);
		s->fixed_files = w->fixed_files = true;
	}
	if (s->bundle) {
		ret = setup_bundles(s);
		if (ret)
			return ut_worker_fail(w, "send bundle", ret);
	}
	s->iov.iov_base = s->buf;
	s->iov.iov_len = w->size;
	s->mh.msg_iov = &s->iov;
	s->mh.msg_iovlen = 1;
	/*
	 * Plain SEND takes no registered buffer (EINVAL), nor does SENDMSG_ZC
	 * before 6.15's vectored ones: SEND_ZC only.
	 */
	if (c->fixed_buffers && s->zc && !s->msg) {
		iov.iov_base = s->buf;
		iov.iov_len = w->size;
		ret = io_uring_register_buffers(&s->ring, &iov, 1);
		if (ret)
			return ut_worker_fail(w, "register buffers", ret);
		s->fixed_buf = w->fixed_buffers = true;
	}
	if (s->zc) {
		/*
		 * A stamp waits for its notification while at most NOTIF_MAX
		 * others do (fill() holds back) and every send in flight
		 * completes: room for all, so none is overwritten early.
		 */
		s->ts_mask = pow2_at_least(NOTIF_MAX + c->depth * w->nr_fds) - 1;
		s->ts = calloc((size_t)s->ts_mask + 1, sizeof(*s->ts));
		w->lat = malloc(sizeof(*w->lat) * UT_LAT_MAX);
		if (!s->ts || !w->lat)
			return ut_worker_fail(w, "allocate", -ENOMEM);
	}
	return 0;
}

int ut_engine_uring_send(struct ut_bench_worker *w)
{
	struct sender *s;
	int ret, ph;

	s = calloc(1, sizeof(*s));
	if (!s)
		return ut_worker_fail(w, "allocate", -ENOMEM);
	s->w = w;
	s->zc = w->b->zerocopy;
	s->msg = s->zc && w->b->required_op == IORING_OP_SENDMSG_ZC;
	s->bundle = w->c->send_op == UT_SENDOP_BUNDLE;
	w->op = s->msg ? "sendmsg_zc" : s->zc ? "send_zc" :
		s->bundle ? "send_bundle" : "send";
	s->ring.ring_fd = -1;
	ret = setup(s);
	if (ret)
		goto out;
	ut_worker_ready(w);
	while ((ph = ut_worker_phase(w)) != UT_PH_STOP &&
	       !atomic_load_explicit(&w->sh->failed, memory_order_relaxed)) {
		unsigned int want;

		fill(s);
		/* let several completions gather per wakeup */
		want = s->total > 1 ? s->total / 2 : 1;
		ret = submit_wait(s, want);
		if (ret) {
			ret = ut_worker_fail(w, "submit", ret);
			goto drain;
		}
		reap(s, ph == UT_PH_MEASURE);
		if (s->err) {
			ret = ut_worker_fail(w, "send", s->err);
			goto drain;
		}
	}
drain:
	/* bounded: the harness shuts the sockets down if the peer is stuck */
	while ((s->total || s->notifs_pending) && !atomic_load(&w->sh->forced)) {
		if (submit_wait(s, 1))
			break;
		reap(s, false);
	}
	if (!ret && !w->c->udp)
		for (unsigned int f = 0; f < w->nr_fds; f++)
			shutdown(w->fds[f], SHUT_WR);
out:
	ut_worker_last_readings(w);	/* an SQ thread goes with its ring */
	if (s->ring.ring_fd >= 0)
		io_uring_queue_exit(&s->ring);
	if (s->br)
		munmap(s->br, s->br_bytes);
	free(s->buf);
	free(s->ts);
	free(s);
	return ret;
}
