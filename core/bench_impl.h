/* SPDX-License-Identifier: MIT */
/* Between the benchmark harness (bench_run.c) and the engines; private. */
#ifndef UT_BENCH_IMPL_H
#define UT_BENCH_IMPL_H

#include "abi.h"
#include "bench.h"

#include <liburing.h>

#include <pthread.h>
#include <stdatomic.h>
#include <sys/resource.h>


struct ut_remote;

enum ut_phase { UT_PH_SETUP, UT_PH_WARMUP, UT_PH_MEASURE, UT_PH_STOP };

struct ut_bench_shared {
	_Atomic int phase;
	_Atomic int failed;		/* index + 1 of the first worker that failed */
	_Atomic int ready;		/* workers done with setup */
	_Atomic int done;		/* workers returned */
	_Atomic bool forced;		/* the harness shut sockets down: errors expected */
	struct ut_remote *rm;		/* two hosts: the peer runs the other side */
};

/* One thread of one side; engines fill the second half. */
struct ut_bench_worker {
	const struct ut_bench *b;
	const struct ut_bench_config *c;
	struct ut_bench_shared *sh;
	int index;
	bool sender;
	int fds[UT_BENCH_MAX_FLOWS];
	unsigned int nr_fds;
	uint64_t size;
	int cpu;
	pthread_t thread;
	bool started;
	_Atomic bool finished;

	/* live counters: the worker stores, the harness loads */
	_Atomic uint64_t bytes, msgs, syscalls;
	int seen_phase;
	struct rusage ru0, ru1;
	bool have_ru0, have_ru1;
	int sq_tid;			/* the SQPOLL thread of its ring, or 0 */
	uint64_t sq_ns0, sq_ns1;	/* its CPU time at ru0 and ru1 */
	bool sq_ok0, sq_ok1;		/* read at both: its time counts */
	int err;
	const char *step;
	uint32_t ring_flags;
	const char *op;
	bool fixed_buffers, fixed_files;
	uint64_t zc_notifs, zc_copied;
	uint64_t *lat;			/* notification latencies, ns */
	unsigned int nr_lat;
};

#define UT_LAT_MAX	65536u

static inline void ut_ctr_add(_Atomic uint64_t *c, uint64_t n)
{
	/* single writer: a plain load and store, no locked instruction */
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

/* Current phase; takes the CPU readings as the worker crosses phases. */
int ut_worker_phase(struct ut_bench_worker *w);
/* Take the CPU readings not taken yet; engines call it before their ring
 * goes (an SQPOLL ring's thread goes with it). */
void ut_worker_last_readings(struct ut_bench_worker *w);
/* Record a failure (first one wins), wake the peers; returns err. */
int ut_worker_fail(struct ut_bench_worker *w, const char *step, int err);
/* SO_RCVLOWAT from --rcvlowat on a TCP receive socket (both engines). */
void ut_worker_set_rcvlowat(const struct ut_bench_worker *w, int fd);
/* Setup done: tell the harness and wait for the start. */
void ut_worker_ready(struct ut_bench_worker *w);

/* Engines: 0 or -errno via ut_worker_fail(). */
int ut_engine_syscall_send(struct ut_bench_worker *w);
int ut_engine_syscall_recv(struct ut_bench_worker *w);
int ut_engine_uring_send(struct ut_bench_worker *w);
int ut_engine_uring_recv(struct ut_bench_worker *w);

/*
 * The harness (bench_run.c): one row, one size with one engine. With rm,
 * only this host's side gets workers and rm supplies the connections.
 */
int ut_bench_run_row(const struct ut_bench *b, const struct ut_bench_config *c,
		     enum ut_bench_engine engine, uint64_t size,
		     struct ut_bench_row *row, struct ut_bench_result *r,
		     volatile sig_atomic_t *stop, struct ut_remote *rm);
/* The registry's run: every size (and engine) of c on this host. */
int ut_bench_run_all(const struct ut_bench *b, const struct ut_bench_config *c,
		     struct ut_bench_result *r, volatile sig_atomic_t *stop);
/* Every size (and engine) of c, as ut_bench_run(), with rm as above. */
int ut_bench_run_rows(const struct ut_bench *b, const struct ut_bench_config *c,
		      struct ut_bench_result *r, volatile sig_atomic_t *stop,
		      struct ut_remote *rm);
/* The workers' live counters at one instant, summed per side. */
struct ut_bench_snap {
	uint64_t sbytes, smsgs, ssys, rbytes, rmsgs, rsys;
};

/* The `config` object of `bench --json`, from the option table. */
struct json_object *ut_bench_config_json(const struct ut_bench_config *c);

/* Figures (bench_figures.c): counters now, one interval sample, totals. */
void ut_bench_snapshot(struct ut_bench_worker *ws, unsigned int n,
		       struct ut_bench_snap *s);
int ut_bench_add_sample(struct ut_bench_row *row, uint64_t start, uint64_t end,
			uint64_t bytes, uint64_t msgs);
void ut_bench_figures(const struct ut_bench_config *c, struct ut_bench_row *row,
		      struct ut_bench_worker *ws, unsigned int n,
		      const struct ut_bench_snap *s0,
		      const struct ut_bench_snap *s1);
/* Throughput, messages and syscalls per message from the two sides. */
void ut_bench_row_derive(const struct ut_bench_config *c,
			 struct ut_bench_row *row);
/* The op the uring engine needs on this host's side, or -1 if it won't run. */
int ut_bench_uring_op(const struct ut_bench *b, const struct ut_bench_config *c,
		      const struct ut_remote *rm);
/* 0 if the uring engine has op here, else -errno with r->failed_step. */
int ut_bench_check_op(int op, struct ut_bench_result *r);

/*
 * Two hosts (bench_remote.c), called by the harness in this order:
 * open_flows fills pairs[f][0] (sender) or [1] (receiver), the other -1;
 * sync after local setup (ok: it succeeded) starts both hosts together;
 * aborted (polled while measuring) says the peer asked to stop; finish
 * trades the figures after the run and completes row with the peer's side.
 */
bool ut_remote_local_sender(const struct ut_remote *rm);
int ut_remote_open_flows(struct ut_remote *rm, const struct ut_bench_config *c,
			 enum ut_bench_engine engine, uint64_t size,
			 int (*pairs)[2], const char **step);
int ut_remote_sync(struct ut_remote *rm, int err, const char *err_step,
		   const char **step);
bool ut_remote_aborted(struct ut_remote *rm);
int ut_remote_finish(struct ut_remote *rm, const struct ut_bench_config *c,
		     struct ut_bench_row *row, int err, const char *err_step,
		     bool interrupted, const char **step);

#endif
