// SPDX-License-Identifier: MIT
/* The benchmark registry and the one parser of benchmark options. */
#define _GNU_SOURCE
#include "bench.h"
#include "bench_impl.h"

#include "util.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

const struct ut_bench ut_benches[] = {
	{ "recv", "receiver under test: recv, multishot recv, recv bundles",
	  IORING_OP_RECV, false, true, ut_bench_run_all },
	{ "send", "sender under test: IORING_OP_SEND",
	  IORING_OP_SEND, false, false, ut_bench_run_all },
	{ "sendmsg_zc", "sender under test: IORING_OP_SENDMSG_ZC with usage reports",
	  IORING_OP_SENDMSG_ZC, true, false, ut_bench_run_all },
	{ "sendzc", "sender under test: IORING_OP_SEND_ZC with usage reports",
	  IORING_OP_SEND_ZC, true, false, ut_bench_run_all },
};
const unsigned int ut_bench_count = UT_ARRAY_SIZE(ut_benches);

const char *const ut_bench_option_names[] = {
	"size", "time", "warmup", "interval", "proto", "ipv4", "ipv6",
	"flows", "depth", "batch", "fixed-buffers", "fixed-files",
	"defer-taskrun", "sqpoll", "compare", "engine", "receiver", "recv-op",
	"send-op", "cpu", "sockbuf", "rcvlowat", NULL,
};

bool ut_bench_result_zerocopy(const struct ut_bench_result *r)
{
	const struct ut_bench *b = r->bench ? ut_bench_find(r->bench) : NULL;

	return b && b->zerocopy;
}

const struct ut_bench *ut_bench_find(const char *name)
{
	for (unsigned int i = 0; i < ut_bench_count; i++)
		if (!strcmp(ut_benches[i].name, name))
			return &ut_benches[i];
	return NULL;
}

void ut_bench_config_init(struct ut_bench_config *c)
{
	memset(c, 0, sizeof(*c));
	c->sizes[0] = UT_BENCH_TCP_SIZE;
	c->nr_sizes = 1;
	c->time_ns = 2000000000ull;
	c->warmup_ns = 500000000ull;
	c->interval_ns = 1000000000ull;
	c->family = AF_INET;
	c->flows = 1;
	c->depth = 8;
	c->fixed_buffers = true;
	c->fixed_files = true;
	c->defer_taskrun = true;
	c->engine = UT_ENGINE_URING;
	c->receiver = UT_RECV_COPY;
	c->recv_op = UT_RECVOP_AUTO;
	/*
	 * Wake TCP receivers only once 512 KiB is queued: fewer wakeups and
	 * window-update ACKs for the busy sender, bigger reads (the kernel
	 * still wakes early on FIN, a small window or memory pressure).
	 * Loopback, 64 KiB, copying: about 1.5x for both engines, so both set
	 * it and the uring/syscall ratio stays about io_uring; 512 KiB lets
	 * one recv bundle take 8 buffers per wakeup. iperf3 does not set it.
	 */
	c->rcvlowat = 512 << 10;
	c->cpu_sender = -1;
	c->cpu_receiver = -1;
}

static int parse_bool(const char *v, bool *out, const char **why)
{
	if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no")) {
		*out = false;
		return 0;
	}
	*why = "expected 1, 0, true, false, yes or no";
	return -EINVAL;
}

static int parse_sizes(struct ut_bench_config *c, const char *v,
		       const char **why)
{
	uint64_t sizes[UT_BENCH_MAX_SIZES];
	unsigned int n = 0;
	const char *p = v;

	for (;;) {
		char tok[32];
		size_t len = strcspn(p, ",");
		int ret;

		if (!len || len >= sizeof(tok)) {
			*why = "expected sizes like 4K,64K,1M";
			return -EINVAL;
		}
		if (n == UT_BENCH_MAX_SIZES) {
			*why = "at most 16 sizes";
			return -ERANGE;
		}
		memcpy(tok, p, len);
		tok[len] = '\0';
		ret = ut_parse_size(tok, &sizes[n]);
		if (ret) {
			*why = ret == -ERANGE ? "too large" :
			       "expected a positive size like 64K or 1M";
			return ret;
		}
		if (!sizes[n]) {
			*why = "must be at least 1 byte";
			return -ERANGE;
		}
		if (sizes[n] > UT_BENCH_MAX_SIZE) {
			*why = "must be at most 64M";
			return -ERANGE;
		}
		n++;
		p += len;
		if (!*p)
			break;
		p++;
	}
	memcpy(c->sizes, sizes, sizeof(sizes[0]) * n);
	c->nr_sizes = n;
	return 0;
}

static int parse_duration(const char *v, uint64_t *out, uint64_t min,
			  const char **why)
{
	uint64_t ns;
	int ret = ut_parse_duration(v, &ns);

	if (ret) {
		*why = "expected a duration like 10, 10s or 250ms";
		return ret;
	}
	if (ns < min || ns > 86400ull * 1000000000ull) {
		*why = min ? "must be between 1ms and 24h" :
			     "must be at most 24h";
		return -ERANGE;
	}
	*out = ns;
	return 0;
}

static int parse_count(const char *v, uint64_t min, uint64_t max,
		       unsigned int *out, const char **why, const char *range)
{
	uint64_t n;
	int ret = ut_parse_uint(v, min, max, &n);

	if (ret) {
		*why = range;
		return ret;
	}
	*out = (unsigned int)n;
	return 0;
}

static int parse_cpu(const char *s, int *out, const char **why)
{
	uint64_t n;

	if (ut_parse_uint(s, 0, 4095, &n)) {
		*why = "expected CPU numbers: SENDER,RECEIVER or one CPU for both";
		return -EINVAL;
	}
	*out = (int)n;
	return 0;
}

static int parse_cpus(struct ut_bench_config *c, const char *v,
		      const char **why)
{
	char buf[32];
	char *comma;
	int s, r;

	if (strlen(v) >= sizeof(buf)) {
		*why = "expected CPU numbers: SENDER,RECEIVER or one CPU for both";
		return -EINVAL;
	}
	strcpy(buf, v);
	comma = strchr(buf, ',');
	if (comma)
		*comma = '\0';
	if (parse_cpu(buf, &s, why))
		return -EINVAL;
	r = s;
	if (comma && parse_cpu(comma + 1, &r, why))
		return -EINVAL;
	c->cpu_sender = s;
	c->cpu_receiver = r;
	return 0;
}

static int pick(const char *v, const char *const *names, int n, int *out,
		const char **why, const char *expect)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v, names[i])) {
			*out = i;
			return 0;
		}
	*why = expect;
	return -EINVAL;
}

static const char *const engine_names[] = { "uring", "syscall" };
static const char *const receiver_names[] = { "copy", "discard" };
static const char *const recv_op_names[] = { "auto", "plain", "multishot",
					     "bundle" };
static const char *const send_op_names[] = { "plain", "bundle" };

const char *ut_bench_engine_name(enum ut_bench_engine e)
{
	return engine_names[e];
}

const char *ut_bench_receiver_name(enum ut_bench_receiver m)
{
	return receiver_names[m];
}

const char *ut_bench_recv_op_name(enum ut_bench_recv_op o)
{
	return recv_op_names[o];
}

const char *ut_bench_send_op_name(enum ut_bench_send_op o)
{
	return send_op_names[o];
}

/* A socket option's byte count: 0 (the kernel's) to 1G, which fits an int. */
static int parse_sock_bytes(const char *value, uint64_t *out, const char **why,
			    const char *expected)
{
	uint64_t n;
	int ret = ut_parse_size(value, &n);

	if (ret == -ERANGE || (!ret && n > (1ull << 30))) {
		*why = "must be at most 1G";
		return -ERANGE;
	}
	if (ret) {
		*why = expected;
		return ret;
	}
	*out = n;
	return 0;
}

int ut_bench_config_set(struct ut_bench_config *c, const char *key,
			const char *value, const char **why)
{
	int v, ret;

	*why = NULL;
	if (!value)
		value = "";
	if (!strcmp(key, "size")) {
		ret = parse_sizes(c, value, why);
		if (!ret)
			c->sizes_given = true;
		return ret;
	}
	if (!strcmp(key, "time"))
		return parse_duration(value, &c->time_ns, 1000000, why);
	if (!strcmp(key, "warmup"))
		return parse_duration(value, &c->warmup_ns, 0, why);
	if (!strcmp(key, "interval"))
		return parse_duration(value, &c->interval_ns, 1000000, why);
	if (!strcmp(key, "proto")) {
		static const char *const protos[] = { "tcp", "udp" };

		ret = pick(value, protos, 2, &v, why, "expected tcp or udp");
		if (!ret)
			c->udp = v;
		/* without --size, each protocol's usual message, as iperf3 */
		if (!ret && !c->sizes_given) {
			c->sizes[0] = c->udp ? UT_BENCH_UDP_SIZE : UT_BENCH_TCP_SIZE;
			c->nr_sizes = 1;
		}
		return ret;
	}
	if (!strcmp(key, "ipv4") || !strcmp(key, "ipv6")) {
		bool on;

		ret = parse_bool(value, &on, why);
		if (ret)
			return ret;
		if (on)
			c->family = key[3] == '6' ? AF_INET6 : AF_INET;
		else
			c->family = key[3] == '6' ? AF_INET : AF_INET6;
		return 0;
	}
	if (!strcmp(key, "flows"))
		return parse_count(value, 1, UT_BENCH_MAX_FLOWS, &c->flows, why,
				   "must be a whole number between 1 and 64");
	if (!strcmp(key, "depth"))
		return parse_count(value, 1, 256, &c->depth, why,
				   "must be a whole number between 1 and 256");
	if (!strcmp(key, "batch"))
		return parse_count(value, 0, 4096, &c->batch, why,
				   "must be a whole number between 0 and 4096");
	if (!strcmp(key, "fixed-buffers"))
		return parse_bool(value, &c->fixed_buffers, why);
	if (!strcmp(key, "fixed-files"))
		return parse_bool(value, &c->fixed_files, why);
	if (!strcmp(key, "defer-taskrun"))
		return parse_bool(value, &c->defer_taskrun, why);
	if (!strcmp(key, "sqpoll"))
		return parse_bool(value, &c->sqpoll, why);
	if (!strcmp(key, "compare"))
		return parse_bool(value, &c->compare, why);
	if (!strcmp(key, "engine")) {
		ret = pick(value, engine_names, 2, &v, why,
			   "expected uring or syscall");
		if (!ret)
			c->engine = v;
		return ret;
	}
	if (!strcmp(key, "receiver")) {
		ret = pick(value, receiver_names, 2, &v, why,
			   "expected copy or discard");
		if (!ret)
			c->receiver = v;
		return ret;
	}
	if (!strcmp(key, "recv-op")) {
		ret = pick(value, recv_op_names, 4, &v, why,
			   "expected auto, plain, multishot or bundle");
		if (!ret)
			c->recv_op = v;
		return ret;
	}
	if (!strcmp(key, "send-op")) {
		ret = pick(value, send_op_names, 2, &v, why,
			   "expected plain or bundle");
		if (!ret)
			c->send_op = v;
		return ret;
	}
	if (!strcmp(key, "cpu"))
		return parse_cpus(c, value, why);
	if (!strcmp(key, "sockbuf"))
		return parse_sock_bytes(value, &c->sockbuf, why,
					"expected a size like 4M (0 keeps the kernel's)");
	if (!strcmp(key, "rcvlowat"))
		return parse_sock_bytes(value, &c->rcvlowat, why,
					"expected a size like 512K (0 keeps the kernel's)");
	*why = "unknown option";
	return -ENOENT;
}

/* A CPU this process may run on (sched_getaffinity), for --cpu. */
static bool cpu_allowed(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return true;
	if (sched_getaffinity(0, sizeof(set), &set))
		return true;	/* cannot tell: let the worker's pinning say */
	return cpu < CPU_SETSIZE && CPU_ISSET(cpu, &set);
}

int ut_bench_config_check(const struct ut_bench *b,
			  const struct ut_bench_config *c, const char **key,
			  const char **why)
{
	uint64_t max = c->family == AF_INET6 ? UT_UDP_MAX_PAYLOAD6 :
					       UT_UDP_MAX_PAYLOAD4;

	*key = NULL;
	*why = NULL;
	if (c->udp) {
		for (unsigned int i = 0; i < c->nr_sizes; i++)
			if (c->sizes[i] > max) {
				*key = "size";
				*why = c->family == AF_INET6 ?
				       "UDP payload over IPv6 is at most 65527 bytes" :
				       "UDP payload over IPv4 is at most 65507 bytes";
				return -ERANGE;
			}
	}
	if (c->udp && c->send_op == UT_SENDOP_BUNDLE) {
		/* a bundle is one sendmsg: on UDP, one datagram of them all */
		*key = "send-op";
		*why = "bundles are TCP only (on UDP a bundle would be one datagram)";
		return -EINVAL;
	}
	if (b && b->zerocopy && c->send_op == UT_SENDOP_BUNDLE) {
		*key = "send-op";
		*why = "bundles are for the send and recv benchmarks; the "
		       "zero-copy ones send with their own op";
		return -EINVAL;
	}
	if (!cpu_allowed(c->cpu_sender) || !cpu_allowed(c->cpu_receiver)) {
		*key = "cpu";
		*why = "not a CPU this process may run on";
		return -EINVAL;
	}
	if (c->nr_sizes < 1 || c->nr_sizes > UT_BENCH_MAX_SIZES) {
		*key = "size";
		*why = "between 1 and 16 sizes";
		return -EINVAL;
	}
	return 0;
}

double ut_bench_compare_ratio(const struct ut_bench_result *r, uint64_t size)
{
	double u = 0, s = 0;

	for (unsigned int i = 0; i < r->nr_rows; i++) {
		const struct ut_bench_row *row = &r->rows[i];

		if (row->size != size || row->interrupted)
			continue;
		if (row->engine == UT_ENGINE_URING)
			u = row->gbit_per_s;
		else
			s = row->gbit_per_s;
	}
	return s > 0 ? u / s : 0;
}

const char *ut_bench_zc_note(const struct ut_bench_row *row)
{
	if (!row->zc_notifs)
		return NULL;
	if (row->zc_copied_fraction >= 0.5)
		return "the kernel copied the zero-copy sends (always so on loopback "
		       "and veth): this measures SEND_ZC's overhead, not zero copy; "
		       "run between two hosts to see its gain";
	if (row->zc_copied)
		return "the kernel copied part of the zero-copy sends: the NIC or "
		       "route could not always send from user pages";
	return "the kernel sent from user pages without copying";
}

static void opt(struct json_object *o, const char *k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void opt(struct json_object *o, const char *k, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_object_object_add(o, k, json_object_new_string(buf));
}

static const char *dur(uint64_t ns, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%09llu", (unsigned long long)(ns / 1000000000ull),
		 (unsigned long long)(ns % 1000000000ull));
	return buf;
}

struct json_object *ut_bench_config_to_options(const struct ut_bench_config *c)
{
	struct json_object *o = json_object_new_object();
	char sizes[UT_BENCH_MAX_SIZES * 24] = "", t[32];
	size_t n = 0;

	for (unsigned int i = 0; i < c->nr_sizes; i++)
		n += (size_t)snprintf(sizes + n, sizeof(sizes) - n, "%s%llu",
				      i ? "," : "", (unsigned long long)c->sizes[i]);
	opt(o, "size", "%s", sizes);
	opt(o, "time", "%s", dur(c->time_ns, t, sizeof(t)));
	opt(o, "warmup", "%s", dur(c->warmup_ns, t, sizeof(t)));
	opt(o, "interval", "%s", dur(c->interval_ns, t, sizeof(t)));
	opt(o, "proto", "%s", c->udp ? "udp" : "tcp");
	opt(o, "ipv6", "%d", c->family == AF_INET6);
	opt(o, "flows", "%u", c->flows);
	opt(o, "depth", "%u", c->depth);
	opt(o, "batch", "%u", c->batch);
	opt(o, "fixed-buffers", "%d", c->fixed_buffers);
	opt(o, "fixed-files", "%d", c->fixed_files);
	opt(o, "defer-taskrun", "%d", c->defer_taskrun);
	opt(o, "sqpoll", "%d", c->sqpoll);
	opt(o, "compare", "%d", c->compare);
	opt(o, "engine", "%s", ut_bench_engine_name(c->engine));
	opt(o, "receiver", "%s", ut_bench_receiver_name(c->receiver));
	opt(o, "recv-op", "%s", ut_bench_recv_op_name(c->recv_op));
	opt(o, "send-op", "%s", ut_bench_send_op_name(c->send_op));
	if (c->cpu_sender >= 0)
		opt(o, "cpu", "%d,%d", c->cpu_sender, c->cpu_receiver);
	opt(o, "sockbuf", "%llu", (unsigned long long)c->sockbuf);
	opt(o, "rcvlowat", "%llu", (unsigned long long)c->rcvlowat);
	return o;
}
