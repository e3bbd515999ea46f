// SPDX-License-Identifier: MIT
/*
 * The benchmark options, one row each: ut_bench_config_set() parses by the
 * table, ut_bench_config_to_options() echoes by it (the two-host hello),
 * the `config` object of `bench --json` and the CLI's options come from it.
 */
#include "bench.h"
#include "bench_impl.h"

#include "util.h"

#include <errno.h>
#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define MS	1000000ull
#define DAY	(86400ull * 1000000000ull)

static const char *const engine_names[] = { "uring", "syscall" };
static const char *const receiver_names[] = { "copy", "discard" };
static const char *const recv_op_names[] = { "auto", "plain", "multishot",
					     "bundle" };
static const char *const send_op_names[] = { "plain", "bundle" };
static const char *const proto_names[] = { "tcp", "udp" };

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

static int parse_duration(const char *v, uint64_t min, uint64_t *out,
			  const char **why)
{
	int ret = ut_parse_duration(v, out);

	if (ret) {
		*why = "expected a duration like 10, 10s or 250ms";
		return ret;
	}
	if (*out < min || *out > DAY) {
		*why = min ? "must be between 1ms and 24h" :
			     "must be at most 24h";
		return -ERANGE;
	}
	return 0;
}

/* A socket option's byte count: 0 (the kernel's) to 1G, which fits an int. */
static int parse_sock_bytes(const char *v, uint64_t *out, const char **why,
			    const char *expected)
{
	int ret = ut_parse_size(v, out);

	if (ret == -ERANGE || (!ret && *out > (1ull << 30))) {
		*why = "must be at most 1G";
		return -ERANGE;
	}
	if (ret)
		*why = expected;
	return ret;
}

static int pick(const char *v, const struct ut_bench_option *o, uint64_t *out,
		const char **why)
{
	for (unsigned int i = 0; i < o->nr_names; i++)
		if (!strcmp(v, o->names[i])) {
			*out = i;
			return 0;
		}
	*why = o->why;
	return -EINVAL;
}

/* The field of a row that has one: a bool, an unsigned int or enum, a u64. */
static uint64_t get(const struct ut_bench_config *c,
		    const struct ut_bench_option *o)
{
	const char *p = (const char *)c + o->offset;

	if (o->size == sizeof(bool))
		return *(const bool *)p;
	if (o->size == sizeof(unsigned int))
		return *(const unsigned int *)p;
	return *(const uint64_t *)p;
}

static void put(struct ut_bench_config *c, const struct ut_bench_option *o,
		uint64_t v)
{
	char *p = (char *)c + o->offset;

	if (o->size == sizeof(bool))
		*(bool *)p = v;
	else if (o->size == sizeof(unsigned int))
		*(unsigned int *)p = (unsigned int)v;
	else
		*(uint64_t *)p = v;
}

/* Parse v as o's kind into its field; a failure leaves the config alone. */
static int set_field(struct ut_bench_config *c, const struct ut_bench_option *o,
		     const char *v, const char **why)
{
	uint64_t n = 0;
	bool b = false;
	int ret = -EINVAL;

	switch (o->kind) {
	case UT_OPT_BOOL:
		ret = parse_bool(v, &b, why);
		n = b;
		break;
	case UT_OPT_COUNT:
		ret = ut_parse_uint(v, o->min, o->max, &n);
		if (ret)
			*why = o->why;
		break;
	case UT_OPT_DURATION:
		ret = parse_duration(v, o->min, &n, why);
		break;
	case UT_OPT_BYTES:
		ret = parse_sock_bytes(v, &n, why, o->why);
		break;
	case UT_OPT_ENUM:
		ret = pick(v, o, &n, why);
		break;
	case UT_OPT_CUSTOM:
		break;
	}
	if (!ret)
		put(c, o, n);
	return ret;
}

static int set_sizes(struct ut_bench_config *c, const struct ut_bench_option *o,
		     const char *v, const char **why)
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
	c->sizes_given = true;
	return 0;
}

static bool echo_sizes(const struct ut_bench_config *c, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < c->nr_sizes && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%llu", i ? "," : "",
				      (unsigned long long)c->sizes[i]);
	return true;
}

static void json_sizes(struct json_object *o, const struct ut_bench_config *c)
{
	struct json_object *sizes = json_object_new_array();

	for (unsigned int i = 0; i < c->nr_sizes; i++)
		json_object_array_add(sizes, json_object_new_uint64(c->sizes[i]));
	json_object_object_add(o, "sizes_bytes", sizes);
}

static int set_proto(struct ut_bench_config *c, const struct ut_bench_option *o,
		     const char *v, const char **why)
{
	int ret = set_field(c, o, v, why);

	/* without --size, each protocol's usual message, as iperf3 */
	if (!ret && !c->sizes_given) {
		c->sizes[0] = c->udp ? UT_BENCH_UDP_SIZE : UT_BENCH_TCP_SIZE;
		c->nr_sizes = 1;
	}
	return ret;
}

/* "ipv4" and "ipv6": one family, so turning one off turns the other on. */
static int set_family(struct ut_bench_config *c,
		      const struct ut_bench_option *o, const char *v,
		      const char **why)
{
	bool on, v6 = !strcmp(o->name, "ipv6");
	int ret = parse_bool(v, &on, why);

	if (!ret)
		c->family = on == v6 ? AF_INET6 : AF_INET;
	return ret;
}

/* The echo says the family once, as "ipv6". */
static bool echo_family(const struct ut_bench_config *c, char *buf, size_t len)
{
	snprintf(buf, len, "%d", c->family == AF_INET6);
	return true;
}

static void json_family(struct json_object *o, const struct ut_bench_config *c)
{
	json_object_object_add(o, "family", json_object_new_string(
		c->family == AF_INET6 ? "ipv6" : "ipv4"));
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

static int set_cpus(struct ut_bench_config *c, const struct ut_bench_option *o,
		    const char *v, const char **why)
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

/* Not pinned: no "cpu" in the echo, as the peer's default. */
static bool echo_cpus(const struct ut_bench_config *c, char *buf, size_t len)
{
	snprintf(buf, len, "%d,%d", c->cpu_sender, c->cpu_receiver);
	return c->cpu_sender >= 0;
}

static void json_cpus(struct json_object *o, const struct ut_bench_config *c)
{
	json_object_object_add(o, "cpu_sender", json_object_new_int(c->cpu_sender));
	json_object_object_add(o, "cpu_receiver",
			       json_object_new_int(c->cpu_receiver));
}

#define FIELD(f)	.offset = offsetof(struct ut_bench_config, f),	\
			.size = sizeof(((struct ut_bench_config *)0)->f)
#define BOOL(f)		.kind = UT_OPT_BOOL, FIELD(f)
#define COUNT(f)	.kind = UT_OPT_COUNT, FIELD(f)
#define DURATION(f)	.kind = UT_OPT_DURATION, FIELD(f)
#define BYTES(f)	.kind = UT_OPT_BYTES, FIELD(f)
#define ENUM(f, n)	.kind = UT_OPT_ENUM, FIELD(f), .names = n,	\
			.nr_names = UT_ARRAY_SIZE(n)
#define CUSTOM		.kind = UT_OPT_CUSTOM

/*
 * Every option once, X(name, the rest of its row), in the order of the
 * echo and the JSON config. A list macro, so that ut_bench_option_names
 * (plain strings, as Python reads them) and the table are the one list.
 */
#define OPTIONS(X)							\
	X("size", .letter = 's', CUSTOM, .set = set_sizes,		\
	  .echo = echo_sizes, .json_add = json_sizes)			\
	X("time", .letter = 't', DURATION(time_ns), .min = MS,		\
	  .json_key = "time_ns")					\
	X("warmup", .letter = 'w', DURATION(warmup_ns),			\
	  .json_key = "warmup_ns")					\
	X("interval", .letter = 'i', DURATION(interval_ns), .min = MS,	\
	  .json_key = "interval_ns")					\
	X("proto", .letter = 'p', ENUM(udp, proto_names),		\
	  .why = "expected tcp or udp", .set = set_proto,		\
	  .json_key = "proto")						\
	X("ipv4", .letter = '4', .flag = true, CUSTOM, .set = set_family) \
	X("ipv6", .letter = '6', .flag = true, CUSTOM, .set = set_family, \
	  .echo = echo_family, .json_add = json_family)			\
	X("flows", .letter = 'P', COUNT(flows), .min = 1,		\
	  .max = UT_BENCH_MAX_FLOWS,					\
	  .why = "must be a whole number between 1 and 64",		\
	  .json_key = "flows")						\
	X("depth", .letter = 'd', COUNT(depth), .min = 1, .max = 256,	\
	  .why = "must be a whole number between 1 and 256",		\
	  .json_key = "depth")						\
	X("batch", .letter = 'b', COUNT(batch), .max = 4096,		\
	  .why = "must be a whole number between 0 and 4096",		\
	  .json_key = "batch")						\
	X("fixed-buffers", .flag = true,				\
	  .negation = "no-fixed-buffers", BOOL(fixed_buffers),		\
	  .json_key = "fixed_buffers")					\
	X("fixed-files", .flag = true, .negation = "no-fixed-files",	\
	  BOOL(fixed_files), .json_key = "fixed_files")			\
	X("defer-taskrun", .flag = true,				\
	  .negation = "no-defer-taskrun", BOOL(defer_taskrun),		\
	  .json_key = "defer_taskrun")					\
	X("sqpoll", .flag = true, BOOL(sqpoll), .json_key = "sqpoll")	\
	X("compare", .letter = 'C', .flag = true, BOOL(compare),	\
	  .json_key = "compare")					\
	X("engine", .letter = 'e', ENUM(engine, engine_names),		\
	  .why = "expected uring or syscall", .json_key = "engine")	\
	X("receiver", .letter = 'r', ENUM(receiver, receiver_names),	\
	  .why = "expected copy or discard", .json_key = "receiver")	\
	X("recv-op", ENUM(recv_op, recv_op_names),			\
	  .why = "expected auto, plain, multishot or bundle",		\
	  .json_key = "recv_op")					\
	X("send-op", ENUM(send_op, send_op_names),			\
	  .why = "expected plain or bundle", .json_key = "send_op")	\
	X("cpu", .letter = 'A', CUSTOM, .set = set_cpus,		\
	  .echo = echo_cpus, .json_add = json_cpus)			\
	X("sockbuf", BYTES(sockbuf),					\
	  .why = "expected a size like 4M (0 keeps the kernel's)",	\
	  .json_key = "sockbuf_bytes")					\
	X("rcvlowat", BYTES(rcvlowat),					\
	  .why = "expected a size like 512K (0 keeps the kernel's)",	\
	  .json_key = "rcvlowat_bytes")

#define NAME(n, ...)	n,
#define ROW(n, ...)	{ .name = n, __VA_ARGS__ },

const char *const ut_bench_option_names[] = { OPTIONS(NAME) NULL };
const struct ut_bench_option ut_bench_options[] = { OPTIONS(ROW) };
const unsigned int ut_bench_nr_options = UT_ARRAY_SIZE(ut_bench_options);

_Static_assert(UT_ARRAY_SIZE(ut_bench_options) <= UT_BENCH_MAX_OPTIONS,
	       "raise UT_BENCH_MAX_OPTIONS");

const struct ut_bench_option *ut_bench_option_find(const char *name)
{
	for (unsigned int i = 0; i < ut_bench_nr_options; i++)
		if (!strcmp(ut_bench_options[i].name, name))
			return &ut_bench_options[i];
	return NULL;
}

int ut_bench_config_set(struct ut_bench_config *c, const char *key,
			const char *value, const char **why)
{
	const struct ut_bench_option *o = ut_bench_option_find(key);

	*why = NULL;
	if (!o) {
		*why = "unknown option";
		return -ENOENT;
	}
	if (!value)
		value = "";
	return o->set ? o->set(c, o, value, why) : set_field(c, o, value, why);
}

/* The echo of o's value into buf; false: o is not echoed. */
static bool echo(const struct ut_bench_option *o,
		 const struct ut_bench_config *c, char *buf, size_t len)
{
	uint64_t v;

	if (o->kind == UT_OPT_CUSTOM)
		return o->echo && o->echo(c, buf, len);
	v = get(c, o);
	if (o->kind == UT_OPT_ENUM)
		snprintf(buf, len, "%s", o->names[v]);
	else if (o->kind == UT_OPT_DURATION)
		snprintf(buf, len, "%llu.%09llu",
			 (unsigned long long)(v / 1000000000ull),
			 (unsigned long long)(v % 1000000000ull));
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
	return true;
}

struct json_object *ut_bench_config_to_options(const struct ut_bench_config *c)
{
	struct json_object *obj = json_object_new_object();
	char buf[UT_BENCH_MAX_SIZES * 24];

	for (unsigned int i = 0; i < ut_bench_nr_options; i++)
		if (echo(&ut_bench_options[i], c, buf, sizeof(buf)))
			json_object_object_add(obj, ut_bench_options[i].name,
					       json_object_new_string(buf));
	return obj;
}

struct json_object *ut_bench_config_json(const struct ut_bench_config *c)
{
	struct json_object *obj = json_object_new_object();

	for (unsigned int i = 0; i < ut_bench_nr_options; i++) {
		const struct ut_bench_option *o = &ut_bench_options[i];
		struct json_object *v;

		if (o->json_add) {
			o->json_add(obj, c);
			continue;
		}
		if (!o->json_key)
			continue;
		if (o->kind == UT_OPT_BOOL)
			v = json_object_new_boolean(get(c, o) != 0);
		else if (o->kind == UT_OPT_ENUM)
			v = json_object_new_string(o->names[get(c, o)]);
		else
			v = json_object_new_uint64(get(c, o));
		json_object_object_add(obj, o->json_key, v);
	}
	return obj;
}
