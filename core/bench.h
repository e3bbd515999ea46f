/* SPDX-License-Identifier: MIT */
/*
 * Socket benchmarks: the registry, their configuration and their results.
 *
 * The CLI (cli/cmd_bench.c) and the Python module (uring.bench()) are two
 * front ends of exactly this interface:
 *
 *	struct ut_bench_config c;
 *	struct ut_bench_result r;
 *	const struct ut_bench *b = ut_bench_find("send");
 *
 *	ut_bench_config_init(&c);
 *	ut_bench_config_set(&c, "size", "64K", &why);	// one call per option
 *	ut_bench_config_check(&c, &key, &why);		// cross-option checks
 *	ret = ut_bench_run(b, &c, &r, &stop);		// 0 or -errno
 *	doc = ut_bench_result_to_json(&c, &r);		// bench --json
 *	ut_bench_result_free(&r);
 *
 * Keys of ut_bench_config_set() are the CLI's long option names without
 * the dashes ("size", "fixed-buffers"); Python kwargs are the same names
 * with '-' replaced by '_'. Flags take "1"/"0"/"true"/"false"/"yes"/"no".
 * Nothing here prints or exits.
 */
#ifndef UT_BENCH_H
#define UT_BENCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UT_BENCH_MAX_SIZES	16
#define UT_BENCH_MAX_FLOWS	64
#define UT_BENCH_MAX_SIZE	(64ull << 20)	/* TCP message size cap */
#define UT_BENCH_TCP_SIZE	(64u << 10)	/* default --size, as iperf3 -l */
#define UT_BENCH_UDP_SIZE	1460u		/* default --size on UDP, as iperf3 */
#define UT_UDP_MAX_PAYLOAD4	65507		/* 65535 - 20 (IPv4) - 8 (UDP) */
#define UT_UDP_MAX_PAYLOAD6	65527		/* 65535 - 8 (UDP) */

enum ut_bench_engine {
	UT_ENGINE_URING,	/* io_uring on both sides */
	UT_ENGINE_SYSCALL,	/* blocking send()/recv() on both sides */
};

enum ut_bench_receiver {
	UT_RECV_COPY,		/* copy into user buffers, as iperf3 does */
	UT_RECV_DISCARD,	/* MSG_TRUNC: the kernel drops the bytes */
};

enum ut_bench_recv_op {
	UT_RECVOP_AUTO,		/* bundle, else multishot, else plain */
	UT_RECVOP_PLAIN,	/* IORING_OP_RECV, one buffer per SQE */
	UT_RECVOP_MULTISHOT,	/* multishot recv, provided-buffer ring */
	UT_RECVOP_BUNDLE,	/* multishot recv + IORING_RECVSEND_BUNDLE */
};

enum ut_bench_send_op {
	UT_SENDOP_PLAIN,	/* one --size message per SQE */
	UT_SENDOP_BUNDLE,	/* IORING_RECVSEND_BUNDLE: queued messages per SQE */
};

struct ut_bench_sample;
struct ut_bench_row;

/*
 * Called on the thread that called ut_bench_run(), once per --interval
 * during the measured phase (never during warm-up); row describes the run
 * in progress (size, engine). May be NULL.
 */
typedef void (*ut_bench_progress_fn)(const struct ut_bench_row *row,
				     const struct ut_bench_sample *s,
				     void *arg);

struct ut_bench_config {
	uint64_t sizes[UT_BENCH_MAX_SIZES];	/* "size": bytes per message */
	unsigned int nr_sizes;
	bool sizes_given;		/* "size" was set: "proto" keeps it */
	uint64_t time_ns;		/* "time": measured phase per run */
	uint64_t warmup_ns;		/* "warmup": unmeasured lead-in */
	uint64_t interval_ns;		/* "interval": sample period */
	int family;			/* "ipv4"/"ipv6": AF_INET or AF_INET6 */
	bool udp;			/* "proto": tcp (false) or udp */
	unsigned int flows;		/* "flows": connections */
	unsigned int depth;		/* "depth": requests in flight per flow */
	unsigned int batch;		/* "batch": SQEs per io_uring_enter (0 = depth*flows) */
	bool fixed_buffers;		/* "fixed-buffers": registered buffers (sendzc) */
	bool fixed_files;		/* "fixed-files": registered socket fds */
	bool defer_taskrun;		/* "defer-taskrun": DEFER_TASKRUN|SINGLE_ISSUER first */
	bool sqpoll;			/* "sqpoll": SQPOLL ring (kernel thread submits) */
	bool compare;			/* "compare": run both engines, report the ratio */
	enum ut_bench_engine engine;	/* "engine": uring | syscall */
	enum ut_bench_receiver receiver; /* "receiver": copy | discard */
	enum ut_bench_recv_op recv_op;	/* "recv-op": auto|plain|multishot|bundle */
	enum ut_bench_send_op send_op;	/* "send-op": plain|bundle */
	int cpu_sender, cpu_receiver;	/* "cpu": "S,R" or "S"; -1 = not pinned */
	uint64_t sockbuf;		/* "sockbuf": SO_SNDBUF/SO_RCVBUF, 0 = kernel's */
	uint64_t rcvlowat;		/* "rcvlowat": SO_RCVLOWAT of TCP receivers, 0 = kernel's */

	ut_bench_progress_fn progress;	/* not an option: set by the caller */
	void *progress_arg;
};

/* One --interval sample, relative to the start of the measured phase. */
struct ut_bench_sample {
	uint64_t start_ns, end_ns;
	uint64_t bytes;			/* received in the interval (sent for UDP) */
	uint64_t msgs;
	double gbit_per_s;
};

/* Figures of one side (sender or receiver) over the measured phase. */
struct ut_bench_side {
	uint64_t bytes, msgs;		/* in the measured phase */
	uint64_t bytes_total, msgs_total; /* whole connection, warm-up and drain too */
	uint64_t syscalls;		/* io_uring_enter (uring) or send/recv (syscall) */
	double syscalls_per_msg;
	double cpu_user_pct, cpu_sys_pct; /* getrusage(RUSAGE_THREAD), % of one CPU */
	bool cpu_sq_thread;		/* sys includes the SQPOLL kernel thread */
	uint32_t ring_flags;		/* setup flags in effect (uring engine) */
	const char *op;			/* "send", "send_zc", "recv", "recv_multishot",
					   "recv_bundle", "send(2)", "recv(2)" */
	bool fixed_buffers, fixed_files; /* in effect */
};

/* One run: one size with one engine. */
struct ut_bench_row {
	uint64_t size;
	enum ut_bench_engine engine;
	uint64_t duration_ns;		/* measured phase actually run */
	bool interrupted;		/* stopped early by *stop */
	struct ut_bench_side sender, receiver;
	double gbit_per_s, gbyte_per_s, msgs_per_s; /* from received bytes (TCP) */
	/* zero copy (sendzc) */
	uint64_t zc_notifs, zc_copied;
	double zc_copied_fraction;
	uint64_t zc_notif_p50_ns, zc_notif_p99_ns; /* send completion -> notification */
	/* UDP */
	uint64_t udp_lost;		/* datagrams sent - received (see below) */
	struct ut_bench_sample *samples;
	unsigned int nr_samples;
};

/* Two hosts: who ran what, and what the peer said when it failed. */
struct ut_bench_remote_info {
	bool server;			/* this host served the run */
	bool local_sender;		/* this host ran the sender side */
	char peer[64];			/* "10.0.0.2:5301", "[fd00::2]:5301" */
	char step[48];			/* storage for result.failed_step */
	char msg[128];			/* the peer's or resolver's words, or "" */
	int missing_op;			/* IORING_OP_* the server lacks, or -1 */
};

struct ut_bench_result {
	const char *bench;		/* registry name */
	const struct ut_bench_remote_info *remote; /* NULL on loopback */
	struct ut_bench_row *rows;	/* per size; with compare, uring then syscall */
	unsigned int nr_rows;
	bool interrupted;
	const char *failed_step;	/* static: "socket", "register buffers", ... */
	int err;			/* -errno of the failure, 0 if none */
};

struct ut_bench {
	const char *name;
	const char *summary;
	int required_op;		/* IORING_OP_* number the uring engine needs */
	bool zerocopy;			/* sender uses SEND_ZC */
	bool receiver_under_test;	/* headline side for syscalls_per_msg */
	int (*run)(const struct ut_bench *b, const struct ut_bench_config *c,
		   struct ut_bench_result *r, volatile sig_atomic_t *stop);
};

extern const struct ut_bench ut_benches[];
extern const unsigned int ut_bench_count;

/* The benchmark called name, or NULL. */
const struct ut_bench *ut_bench_find(const char *name);
/* Whether the result is of a zero-copy benchmark (false for none). */
bool ut_bench_result_zerocopy(const struct ut_bench_result *r);

void ut_bench_config_init(struct ut_bench_config *c);
/*
 * Set one option by its long name. Returns 0, -ENOENT for an unknown key,
 * -EINVAL for an unparsable value, -ERANGE for one out of range; *why gets
 * a static message ("must be between 1 and 64").
 */
int ut_bench_config_set(struct ut_bench_config *c, const char *key,
			const char *value, const char **why);
/*
 * Checks between options (UDP size limits, send bundles, CPUs this process
 * may use), and against benchmark b when not NULL; *key names the culprit.
 */
int ut_bench_config_check(const struct ut_bench *b,
			  const struct ut_bench_config *c, const char **key,
			  const char **why);

/*
 * Run b for every size (and with compare, for both engines). *stop (may be
 * NULL) is polled; when set, the run ends early with a partial result and
 * r->interrupted. Returns 0, or -errno with r->failed_step set (rows done
 * so far are kept). -EOPNOTSUPP: the kernel lacks b->required_op or a
 * feature asked for. Always call ut_bench_result_free() afterwards.
 */
int ut_bench_run(const struct ut_bench *b, const struct ut_bench_config *c,
		 struct ut_bench_result *r, volatile sig_atomic_t *stop);
void ut_bench_result_free(struct ut_bench_result *r);

/*
 * Two hosts (bench_remote.c). The client runs its side of b against a
 * `bench server` at host:port (a numeric address or a name; c->family is
 * set from the address used). Errors as ut_bench_run(), plus steps
 * "resolve", "connect", "handshake" and "server ..." with info->msg.
 */
#define UT_BENCH_PORT		5301
#define UT_BENCH_PROTO_VERSION	1
int ut_bench_run_remote(const struct ut_bench *b, struct ut_bench_config *c,
			const char *host, unsigned short port, bool any_family,
			struct ut_bench_result *r, volatile sig_atomic_t *stop,
			struct ut_bench_remote_info *info);
/* The control listener: fd or -errno (-EINVAL: addr is not numeric). */
int ut_bench_server_listen(const char *addr, unsigned short port, int family,
			   char *where, size_t len);
/* Wait for a client (polling *stop): 0 with *cfd, -EINTR when stopped. */
int ut_bench_server_accept(int lfd, volatile sig_atomic_t *stop, int *cfd,
			   char *peer, size_t len);
/* Serve one client on cfd (closed here): its config into c, this host's
 * side into r (r->remote = info). 0 or -errno as ut_bench_run(). */
int ut_bench_serve_client(int cfd, volatile sig_atomic_t *stop,
			  struct ut_bench_config *c, struct ut_bench_result *r,
			  struct ut_bench_remote_info *info);

/* The config as option name -> string, as ut_bench_config_set() takes. */
struct json_object *ut_bench_config_to_options(const struct ut_bench_config *c);
/* The document of `bench --json` (and the dict of uring.bench()). */
struct json_object *ut_bench_result_to_json(const struct ut_bench_config *c,
					    const struct ut_bench_result *r);

/* Names for output: "uring", "copy", "auto", "tcp" ... */
const char *ut_bench_engine_name(enum ut_bench_engine e);
const char *ut_bench_receiver_name(enum ut_bench_receiver m);
const char *ut_bench_recv_op_name(enum ut_bench_recv_op o);
const char *ut_bench_send_op_name(enum ut_bench_send_op o);
/* udp_lost means something: the row has both sides (not a server's half). */
bool ut_bench_row_lost_known(const struct ut_bench_row *row);
/* The SO_RCVLOWAT TCP receivers get (--rcvlowat, capped by --sockbuf). */
uint64_t ut_bench_rcvlowat(const struct ut_bench_config *c);
/* Ratio of engines for one size in a --compare result, or 0. */
double ut_bench_compare_ratio(const struct ut_bench_result *r, uint64_t size);
/* One line on what the zero-copy copied fraction means, or NULL. */
const char *ut_bench_zc_note(const struct ut_bench_row *row);
/* The config's option names, for help and Python: NULL-terminated. */
extern const char *const ut_bench_option_names[];

/*
 * The options as a table (bench_options.c), one row each in the order of
 * ut_bench_option_names: ut_bench_config_set() parses by it, the echo and
 * the JSON config render by it, and the CLI derives its options from it.
 */
#define UT_BENCH_MAX_OPTIONS	32

enum ut_bench_option_kind {
	UT_OPT_BOOL,		/* 1/0, true/false, yes/no */
	UT_OPT_COUNT,		/* a whole number in [min, max] */
	UT_OPT_DURATION,	/* 10, 10s, 250ms: ns in [min, 24h] */
	UT_OPT_BYTES,		/* 4M, 512K: 0 to 1G, a socket option's int */
	UT_OPT_ENUM,		/* one of names[]: its index */
	UT_OPT_CUSTOM,		/* set, echo and json_add do it all */
};

struct ut_bench_option {
	const char *name;		/* the key: "size", "fixed-buffers" */
	/* the CLI's forms besides --NAME VALUE */
	char letter;			/* -LETTER, or 0 */
	bool flag;			/* --NAME takes no value: "1" */
	const char *negation;		/* "no-NAME": "0", or NULL */
	enum ut_bench_option_kind kind;
	size_t offset, size;		/* the field it sets, in ut_bench_config */
	uint64_t min, max;		/* COUNT: bounds; DURATION: the least */
	const char *const *names;	/* ENUM: the values, in the enum's order */
	unsigned int nr_names;
	const char *why;		/* COUNT, BYTES, ENUM: a bad value's error */
	const char *json_key;		/* the key in the JSON config, or NULL */
	/* instead of the kind's: parse and set, echo (false: none), JSON */
	int (*set)(struct ut_bench_config *c, const struct ut_bench_option *o,
		   const char *value, const char **why);
	bool (*echo)(const struct ut_bench_config *c, char *buf, size_t len);
	void (*json_add)(struct json_object *obj, const struct ut_bench_config *c);
};

extern const struct ut_bench_option ut_bench_options[];
extern const unsigned int ut_bench_nr_options;

/* The option called name, or NULL. */
const struct ut_bench_option *ut_bench_option_find(const char *name);

#endif
