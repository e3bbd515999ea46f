// SPDX-License-Identifier: MIT
/*
 * The harness every benchmark shares: sockets, one sender and one receiver
 * thread per side (one per flow for the syscall engine), the warm-up and
 * measured phases, interval samples, and the figures of each run.
 */
#define _GNU_SOURCE
#include "bench.h"
#include "bench_impl.h"

#include "net.h"
#include "ring.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SETUP_TIMEOUT_NS	(10ull * 1000000000ull)
#define DRAIN_TIMEOUT_NS	(3ull * 1000000000ull)
#define TICK_NS			(10ull * 1000000ull)

/* In a two-host run only one side has local workers. */
static bool has_side(const struct ut_bench_shared *sh, bool sender)
{
	return !sh->rm || ut_remote_local_sender(sh->rm) == sender;
}

/*
 * The worker thread's CPU time, and its ring's SQPOLL thread's, which does
 * the submission work the worker would otherwise do (and polls while
 * idle): leaving it out would make an SQPOLL run look nearly free. The SQ
 * thread's comes from its thread CPU clock (the clockid glibc's
 * pthread_getcpuclockid builds): /proc's utime/stime lag while it spins.
 */
static void worker_rusage(struct ut_bench_worker *w, struct rusage *ru,
			  uint64_t *sq_ns, bool *sq_ok)
{
	clockid_t cid = (clockid_t)((~(unsigned int)w->sq_tid << 3) | 6);
	struct timespec ts;

	getrusage(RUSAGE_THREAD, ru);
	*sq_ok = w->sq_tid > 0 && !clock_gettime(cid, &ts);
	if (*sq_ok)
		*sq_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void reading_start(struct ut_bench_worker *w)
{
	if (w->have_ru0)
		return;
	worker_rusage(w, &w->ru0, &w->sq_ns0, &w->sq_ok0);
	w->have_ru0 = true;
}

static void reading_end(struct ut_bench_worker *w)
{
	if (w->have_ru1)
		return;
	worker_rusage(w, &w->ru1, &w->sq_ns1, &w->sq_ok1);
	w->have_ru1 = true;
}

void ut_worker_last_readings(struct ut_bench_worker *w)
{
	reading_start(w);
	reading_end(w);
}

int ut_worker_phase(struct ut_bench_worker *w)
{
	int ph = atomic_load_explicit(&w->sh->phase, memory_order_relaxed);

	if (ph == w->seen_phase)
		return ph;
	w->seen_phase = ph;
	if (ph >= UT_PH_MEASURE)
		reading_start(w);
	if (ph == UT_PH_STOP)
		reading_end(w);
	return ph;
}

int ut_worker_fail(struct ut_bench_worker *w, const char *step, int err)
{
	int zero = 0;

	w->step = step;
	w->err = err;
	if (atomic_load(&w->sh->forced))
		return err;
	/* the first failure is the one to report; wake everyone else up */
	if (atomic_compare_exchange_strong(&w->sh->failed, &zero, w->index + 1))
		for (unsigned int i = 0; i < w->nr_fds; i++)
			shutdown(w->fds[i], SHUT_RDWR);
	return err;
}

uint64_t ut_bench_rcvlowat(const struct ut_bench_config *c)
{
	uint64_t v = c->udp ? 0 : c->rcvlowat;

	/* above half the receive buffer the receiver could never wake */
	if (c->sockbuf && c->sockbuf / 2 < v)
		v = c->sockbuf / 2;
	return v;
}

void ut_worker_set_rcvlowat(const struct ut_bench_worker *w, int fd)
{
	uint64_t v = ut_bench_rcvlowat(w->c);

	if (!v)
		return;
	/* an optimisation only: old kernels without it just wake more */
	setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &(int){ (int)v }, sizeof(int));
}

void ut_worker_ready(struct ut_bench_worker *w)
{
	struct timespec ts = { 0, 50000 };

	atomic_fetch_add(&w->sh->ready, 1);
	while (atomic_load(&w->sh->phase) == UT_PH_SETUP)
		nanosleep(&ts, NULL);
	ut_worker_phase(w);
}

static void *worker_main(void *arg)
{
	struct ut_bench_worker *w = arg;
	int ret = 0;

	if (w->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(w->cpu, &set);
		ret = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
		if (ret)
			ut_worker_fail(w, "cpu affinity", -ret);
	}
	if (!ret) {
		if (w->c->engine == UT_ENGINE_SYSCALL)
			ret = w->sender ? ut_engine_syscall_send(w) :
					  ut_engine_syscall_recv(w);
		else
			ret = w->sender ? ut_engine_uring_send(w) :
					  ut_engine_uring_recv(w);
	}
	ut_worker_last_readings(w);
	/* a setup failure must still release the harness's wait */
	if (ret && atomic_load(&w->sh->phase) == UT_PH_SETUP)
		atomic_fetch_add(&w->sh->ready, 1);
	atomic_store(&w->finished, true);
	atomic_fetch_add(&w->sh->done, 1);
	return NULL;
}

static bool interrupted(volatile sig_atomic_t *stop)
{
	return stop && *stop;
}

/* Sleep until deadline; false if stopped or a worker failed first. */
static bool wait_until(uint64_t deadline, volatile sig_atomic_t *stop,
		       struct ut_bench_shared *sh)
{
	for (;;) {
		uint64_t now = ut_now_ns(), left;
		struct timespec ts;

		if (interrupted(stop) || atomic_load(&sh->failed))
			return false;
		if (sh->rm && ut_remote_aborted(sh->rm))
			return false;
		if (now >= deadline)
			return true;
		left = deadline - now;
		if (left > TICK_NS)
			left = TICK_NS;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)left;
		nanosleep(&ts, NULL);
	}
}

/* The measured phase with its interval samples; returns false if cut short. */
static bool measure(const struct ut_bench_config *c, struct ut_bench_row *row,
		    struct ut_bench_worker *ws, unsigned int n,
		    struct ut_bench_shared *sh, volatile sig_atomic_t *stop,
		    uint64_t t0, const struct ut_bench_snap *s0, uint64_t *t1,
		    struct ut_bench_snap *s1)
{
	uint64_t end = t0 + c->time_ns, istart = t0;
	struct ut_bench_snap prev = *s0, cur;
	bool ok = true;

	while (ok) {
		uint64_t next = istart + c->interval_ns, now;

		if (next > end)
			next = end;
		ok = wait_until(next, stop, sh);
		now = ut_now_ns();
		ut_bench_snapshot(ws, n, &cur);
		/* a sample shorter than a tenth of an interval is noise */
		if (ok || now - istart >= c->interval_ns / 10) {
			/* the samples count what this host's side moved */
			bool rx = has_side(sh, false);
			uint64_t b = rx ? cur.rbytes - prev.rbytes :
					  cur.sbytes - prev.sbytes;
			uint64_t m = rx ? cur.rmsgs - prev.rmsgs :
					  cur.smsgs - prev.smsgs;

			/* a TCP message is --size bytes, not a completion */
			if (!ut_bench_add_sample(row, istart - t0, now - t0, b,
						 c->udp ? m : b / row->size) &&
			    c->progress)
				c->progress(row, &row->samples[row->nr_samples - 1],
					    c->progress_arg);
		}
		prev = cur;
		istart = now;
		if (now >= end)
			break;
	}
	/* the totals end where the last sample does, so samples add up */
	*t1 = istart;
	*s1 = prev;
	return ok;
}

static int open_flows(const struct ut_bench_config *c, int (*pairs)[2],
		      const char **step)
{
	for (unsigned int f = 0; f < c->flows; f++) {
		int ret = c->udp ? ut_udp_pair(c->family, pairs[f]) :
				   ut_tcp_pair(c->family, pairs[f]);

		if (ret) {
			*step = "socket";
			return ret;
		}
		if (c->sockbuf) {
			ret = ut_sock_set_bufs(pairs[f][0], c->sockbuf);
			if (!ret)
				ret = ut_sock_set_bufs(pairs[f][1], c->sockbuf);
			if (ret) {
				*step = "socket buffers";
				return ret;
			}
		}
	}
	return 0;
}

static unsigned int make_workers(const struct ut_bench *b,
				 const struct ut_bench_config *c,
				 enum ut_bench_engine engine, uint64_t size,
				 int (*pairs)[2], struct ut_bench_shared *sh,
				 struct ut_bench_worker *ws,
				 struct ut_bench_config *cc)
{
	unsigned int per_side = engine == UT_ENGINE_SYSCALL ? c->flows : 1;
	unsigned int n = 0;

	*cc = *c;
	cc->engine = engine;
	for (int side = 0; side < 2; side++)
		for (unsigned int t = 0; t < per_side && has_side(sh, !side); t++) {
			struct ut_bench_worker *w = &ws[n];

			w->b = b;
			w->c = cc;
			w->sh = sh;
			w->index = (int)n;
			w->sender = side == 0;
			w->size = size;
			w->cpu = w->sender ? c->cpu_sender : c->cpu_receiver;
			w->seen_phase = UT_PH_SETUP;
			for (unsigned int f = t; f < c->flows; f += per_side)
				w->fds[w->nr_fds++] = pairs[f][w->sender ? 0 : 1];
			n++;
		}
	return n;
}

static int start_workers(struct ut_bench_worker *ws, unsigned int n)
{
	sigset_t block, old;
	int ret = 0;

	/* helper threads leave SIGINT/SIGTERM to the caller's thread */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (unsigned int i = 0; i < n; i++) {
		ret = -pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]);
		if (ret)
			break;
		ws[i].started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

/* Stop, let senders finish and receivers drain; force it after a bound. */
static void stop_workers(const struct ut_bench_config *c,
			 struct ut_bench_worker *ws, unsigned int n,
			 struct ut_bench_shared *sh, int (*pairs)[2])
{
	uint64_t deadline = ut_now_ns() + DRAIN_TIMEOUT_NS;
	struct timespec ts = { 0, 1000000 };
	bool rd_shut = false;
	unsigned int started = 0;

	atomic_store(&sh->phase, UT_PH_STOP);
	for (unsigned int i = 0; i < n; i++)
		started += ws[i].started;
	while ((unsigned int)atomic_load(&sh->done) < started &&
	       ut_now_ns() < deadline) {
		bool senders_done = true;

		for (unsigned int i = 0; i < n; i++)
			if (ws[i].started && ws[i].sender && !atomic_load(&ws[i].finished))
				senders_done = false;
		/*
		 * UDP has no end of stream: shut the receivers once senders are
		 * done; when they run on the other host, give their last
		 * datagrams time to arrive (the hosts stop a little apart).
		 */
		if (c->udp && senders_done && !rd_shut) {
			struct timespec grace = { 0, 100000000 };

			nanosleep(has_side(sh, true) ? &ts : &grace, NULL);
			for (unsigned int f = 0; f < c->flows; f++)
				shutdown(pairs[f][1], SHUT_RD);
			rd_shut = true;
		}
		nanosleep(&ts, NULL);
	}
	if ((unsigned int)atomic_load(&sh->done) < started) {
		atomic_store(&sh->forced, true);
		for (unsigned int f = 0; f < c->flows; f++) {
			shutdown(pairs[f][0], SHUT_RDWR);
			shutdown(pairs[f][1], SHUT_RDWR);
		}
	}
	for (unsigned int i = 0; i < n; i++)
		if (ws[i].started)
			pthread_join(ws[i].thread, NULL);
}

int ut_bench_run_row(const struct ut_bench *b, const struct ut_bench_config *c,
		     enum ut_bench_engine engine, uint64_t size,
		     struct ut_bench_row *row, struct ut_bench_result *r,
		     volatile sig_atomic_t *stop, struct ut_remote *rm)
{
	int pairs[UT_BENCH_MAX_FLOWS][2];
	struct ut_bench_worker *ws;
	struct ut_bench_config cc;
	struct ut_bench_shared sh;
	struct ut_bench_snap s0, s1;
	uint64_t t, t0 = 0, t1 = 0;
	unsigned int n = 0;
	int ret, failed;
	bool measured = false, synced = false;

	memset(&sh, 0, sizeof(sh));
	sh.rm = rm;
	memset(&s0, 0, sizeof(s0));
	memset(&s1, 0, sizeof(s1));
	memset(pairs, -1, sizeof(pairs));
	row->size = size;
	row->engine = engine;

	ws = calloc(2 * UT_BENCH_MAX_FLOWS, sizeof(*ws));
	if (!ws) {
		r->failed_step = "allocate";
		return -ENOMEM;
	}
	if (rm)
		ret = ut_remote_open_flows(rm, c, engine, size, pairs,
					   &r->failed_step);
	else
		ret = open_flows(c, pairs, &r->failed_step);
	if (ret)
		goto out;
	n = make_workers(b, c, engine, size, pairs, &sh, ws, &cc);
	ret = start_workers(ws, n);
	if (ret) {
		r->failed_step = "start threads";
		goto stop;
	}

	t = ut_now_ns() + SETUP_TIMEOUT_NS;
	while ((unsigned int)atomic_load(&sh.ready) < n && !atomic_load(&sh.failed)) {
		struct timespec ts = { 0, 100000 };

		if (ut_now_ns() > t) {
			r->failed_step = "setup";
			ret = -ETIMEDOUT;
			goto stop;
		}
		nanosleep(&ts, NULL);
	}
	if (rm) {
		/* both hosts ready, or neither starts */
		failed = atomic_load(&sh.failed);
		ret = ut_remote_sync(rm, failed ? ws[failed - 1].err : 0,
				     failed ? ws[failed - 1].step : NULL,
				     &r->failed_step);
		if (ret)
			goto stop;
		synced = !failed;
	}
	if (atomic_load(&sh.failed))
		goto stop;

	atomic_store(&sh.phase, UT_PH_WARMUP);
	if (!wait_until(ut_now_ns() + c->warmup_ns, stop, &sh))
		goto stop;
	t0 = ut_now_ns();
	ut_bench_snapshot(ws, n, &s0);
	atomic_store(&sh.phase, UT_PH_MEASURE);
	measured = true;
	measure(c, row, ws, n, &sh, stop, t0, &s0, &t1, &s1);
stop:
	stop_workers(c, ws, n, &sh, pairs);
	if (interrupted(stop))
		row->interrupted = true;
	if (measured) {
		row->duration_ns = t1 - t0;
		ut_bench_figures(&cc, row, ws, n, &s0, &s1);
	}
	failed = atomic_load(&sh.failed);
	if (!ret && failed) {
		r->failed_step = ws[failed - 1].step;
		ret = ws[failed - 1].err;
	}
	if (synced) {
		/* trade figures: the peer's side completes the row */
		int ret2 = ut_remote_finish(rm, &cc, row, ret, r->failed_step,
					    interrupted(stop),
					    ret ? NULL : &r->failed_step);

		if (!ret)
			ret = ret2;
	}
out:
	for (unsigned int i = 0; i < n; i++)
		free(ws[i].lat);
	free(ws);
	for (unsigned int f = 0; f < UT_BENCH_MAX_FLOWS; f++) {
		if (pairs[f][0] >= 0)
			close(pairs[f][0]);
		if (pairs[f][1] >= 0)
			close(pairs[f][1]);
	}
	return ret;
}

/* Can the uring engine run op here? 0, or -errno with the step set. */
int ut_bench_check_op(int op, struct ut_bench_result *r)
{
	struct io_uring ring;
	int ret = io_uring_queue_init(2, &ring, 0);

	if (ret) {
		r->failed_step = "io_uring setup";
		return ret;
	}
	ret = ut_ring_has_op(&ring, op);
	io_uring_queue_exit(&ring);
	if (ret < 0) {
		r->failed_step = "probe";
		return ret;
	}
	if (!ret) {
		r->failed_step = "probe";
		return -EOPNOTSUPP;
	}
	return 0;
}

int ut_bench_run_all(const struct ut_bench *b, const struct ut_bench_config *c,
		     struct ut_bench_result *r, volatile sig_atomic_t *stop)
{
	return ut_bench_run_rows(b, c, r, stop, NULL);
}

int ut_bench_uring_op(const struct ut_bench *b, const struct ut_bench_config *c,
		      const struct ut_remote *rm)
{
	if (c->engine != UT_ENGINE_URING && !c->compare)
		return -1;
	/* the op under test, or on the other side's host its partner */
	if (!rm || ut_remote_local_sender(rm) != b->receiver_under_test)
		return b->required_op;
	return b->receiver_under_test ? IORING_OP_SEND : IORING_OP_RECV;
}

int ut_bench_run_rows(const struct ut_bench *b, const struct ut_bench_config *c,
		      struct ut_bench_result *r, volatile sig_atomic_t *stop,
		      struct ut_remote *rm)
{
	enum ut_bench_engine engines[2];
	unsigned int ne = 0;
	const char *key, *why;
	int ret, op = ut_bench_uring_op(b, c, rm);

	if (ut_bench_config_check(b, c, &key, &why)) {
		r->failed_step = "config";
		return r->err = -EINVAL;
	}
	if (c->compare) {
		engines[ne++] = UT_ENGINE_URING;
		engines[ne++] = UT_ENGINE_SYSCALL;
	} else {
		engines[ne++] = c->engine;
	}
	if (op >= 0) {
		ret = ut_bench_check_op(op, r);
		if (ret)
			return r->err = ret;
	}
	r->rows = calloc((size_t)c->nr_sizes * ne, sizeof(*r->rows));
	if (!r->rows) {
		r->failed_step = "allocate";
		return r->err = -ENOMEM;
	}
	for (unsigned int i = 0; i < c->nr_sizes; i++)
		for (unsigned int e = 0; e < ne; e++) {
			struct ut_bench_row *row = &r->rows[r->nr_rows];

			ret = ut_bench_run_row(b, c, engines[e], c->sizes[i], row,
					       r, stop, rm);
			if (row->duration_ns || row->interrupted)
				r->nr_rows++;
			else
				free(row->samples);
			if (ret)
				return r->err = ret;
			if (interrupted(stop)) {
				r->interrupted = true;
				return 0;
			}
		}
	return 0;
}

int ut_bench_run(const struct ut_bench *b, const struct ut_bench_config *c,
		 struct ut_bench_result *r, volatile sig_atomic_t *stop)
{
	memset(r, 0, sizeof(*r));
	r->bench = b->name;
	return b->run(b, c, r, stop);
}

void ut_bench_result_free(struct ut_bench_result *r)
{
	for (unsigned int i = 0; i < r->nr_rows; i++)
		free(r->rows[i].samples);
	free(r->rows);
	r->rows = NULL;
	r->nr_rows = 0;
}
