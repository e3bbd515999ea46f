// SPDX-License-Identifier: MIT
/*
 * The control connection of two-host benchmarks: one JSON object per line,
 * every read with a deadline (see bench_remote.c for the conversation).
 */
#define _GNU_SOURCE
#include "bench.h"
#include "bench_wire.h"

#include "net.h"
#include "stats.h"
#include "util.h"

#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct json_object *ut_wire_msg(const char *type)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "type", json_object_new_string(type));
	return o;
}

const char *ut_wire_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

uint64_t ut_wire_num(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	return json_object_get_uint64(v);
}

double ut_wire_dbl(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	return json_object_get_double(v);
}

/* Wait for fd to be ready for events; -ETIMEDOUT or -EINTR (stopped). */
static int wait_fd(struct ut_remote *rm, short events, uint64_t deadline)
{
	struct pollfd pfd = { .fd = rm->ctl, .events = events };

	for (;;) {
		uint64_t now = ut_now_ns();
		int ret;

		if (rm->stop && *rm->stop)
			return -EINTR;
		if (now >= deadline)
			return -ETIMEDOUT;
		ret = poll(&pfd, 1, 100);
		if (ret > 0)
			return 0;
		if (ret < 0 && errno != EINTR)
			return -errno;
	}
}

/* Send one message (and drop the reference). */
int ut_wire_send(struct ut_remote *rm, struct json_object *o)
{
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	uint64_t deadline = ut_now_ns() + CTL_TIMEOUT_MS * 1000000ull;
	size_t len = strlen(s), off = 0;
	char *line = malloc(len + 1);
	int ret = 0;

	if (!line) {
		json_object_put(o);
		return -ENOMEM;
	}
	memcpy(line, s, len);
	line[len++] = '\n';
	json_object_put(o);
	while (off < len) {
		ssize_t n = send(rm->ctl, line + off, len - off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			ret = -errno;
			break;
		}
		ret = wait_fd(rm, POLLOUT, deadline);
		if (ret)
			break;
	}
	free(line);
	return ret;
}

/* Receive one message within timeout_ms: 0 with *out, or -errno. */
int ut_wire_recv(struct ut_remote *rm, int timeout_ms,
		 struct json_object **out)
{
	uint64_t deadline = ut_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	char *nl;
	int ret;

	*out = NULL;
	while (!(nl = rm->buf ? memchr(rm->buf, '\n', rm->len) : NULL)) {
		ssize_t n;

		if (rm->len + 4096 > rm->cap) {
			char *p;

			if (rm->cap >= MAX_LINE)
				return -EMSGSIZE;	/* a line over 16 MiB */
			p = realloc(rm->buf, rm->cap ? rm->cap * 2 : 65536);
			if (!p)
				return -ENOMEM;
			rm->buf = p;
			rm->cap = rm->cap ? rm->cap * 2 : 65536;
		}
		ret = wait_fd(rm, POLLIN, deadline);
		if (ret)
			return ret;
		n = recv(rm->ctl, rm->buf + rm->len, rm->cap - rm->len,
			 MSG_DONTWAIT);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		rm->len += (size_t)n;
	}
	*nl = '\0';
	*out = json_tokener_parse(rm->buf);
	rm->len -= (size_t)(nl + 1 - rm->buf);
	memmove(rm->buf, nl + 1, rm->len);
	if (!*out || !json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
		return -EPROTO;
	}
	return 0;
}

int ut_wire_send_error(struct ut_remote *rm, const char *step, int err,
		       const char *text, int op)
{
	struct json_object *o = ut_wire_msg("error");

	json_object_object_add(o, "step", json_object_new_string(step));
	json_object_object_add(o, "errno", json_object_new_int(-err));
	json_object_object_add(o, "message", json_object_new_string(
		text ? text : strerror(-err)));
	if (op >= 0)
		json_object_object_add(o, "op", json_object_new_int(op));
	return ut_wire_send(rm, o);
}

/* Take the peer's error: "server STEP" into info, -errno back. */
int ut_wire_peer_error(struct ut_remote *rm, struct json_object *o)
{
	struct ut_bench_remote_info *in = rm->info;
	const char *step = ut_wire_str(o, "step"), *text = ut_wire_str(o, "message");
	int err = (int)ut_wire_num(o, "errno");
	struct json_object *op;

	snprintf(in->step, sizeof(in->step), "%s %s",
		 rm->server ? "client" : "server", step ? step : "run");
	snprintf(in->msg, sizeof(in->msg), "%s", text ? text : "");
	if (json_object_object_get_ex(o, "op", &op))
		in->missing_op = json_object_get_int(op);
	return err > 0 && err < 4096 ? -err : -EPROTO;
}

/* Receive a message of type; the peer's error or -EPROTO otherwise. */
int ut_wire_expect(struct ut_remote *rm, const char *type, int timeout_ms,
		   struct json_object **out, const char **step)
{
	const char *t;
	int ret = ut_wire_recv(rm, timeout_ms, out);

	if (ret == -EPROTO) {
		/* not a line of JSON: another program, or another tool's peer */
		snprintf(rm->info->msg, sizeof(rm->info->msg), "the peer is not "
			 "a uring-tool bench %s", rm->server ? "client" : "server");
		*step = "control protocol";
		return ret;
	}
	if (ret) {
		*step = rm->server ? "control connection" : "server connection";
		return ret;
	}
	t = ut_wire_str(*out, "type");
	if (t && !strcmp(t, type))
		return 0;
	if (t && !strcmp(t, "error")) {
		ret = ut_wire_peer_error(rm, *out);
		*step = rm->info->step;
	} else {
		ret = -EPROTO;
		*step = "control protocol";
	}
	json_object_put(*out);
	*out = NULL;
	return ret;
}

struct json_object *ut_wire_side_to(const struct ut_bench_side *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "op", json_object_new_string(s->op ? s->op : "none"));
	json_object_object_add(o, "bytes", json_object_new_uint64(s->bytes));
	json_object_object_add(o, "msgs", json_object_new_uint64(s->msgs));
	json_object_object_add(o, "bytes_total", json_object_new_uint64(s->bytes_total));
	json_object_object_add(o, "msgs_total", json_object_new_uint64(s->msgs_total));
	json_object_object_add(o, "syscalls", json_object_new_uint64(s->syscalls));
	json_object_object_add(o, "cpu_user_pct", json_object_new_double(s->cpu_user_pct));
	json_object_object_add(o, "cpu_sys_pct", json_object_new_double(s->cpu_sys_pct));
	json_object_object_add(o, "cpu_includes_sq_thread",
			       json_object_new_boolean(s->cpu_sq_thread));
	json_object_object_add(o, "ring_flags", json_object_new_uint64(s->ring_flags));
	json_object_object_add(o, "fixed_buffers", json_object_new_boolean(s->fixed_buffers));
	json_object_object_add(o, "fixed_files", json_object_new_boolean(s->fixed_files));
	return o;
}

/* The op names the engines use, so a side's op stays a static string. */
static const char *op_name(const char *s)
{
	/* every op an engine reports (w->op), so a peer's name maps back */
	static const char *const ops[] = { "send", "send_bundle", "send_zc",
		"sendmsg_zc", "recv", "recv_multishot", "recv_bundle", "send(2)",
		"recv(2)" };

	for (unsigned int i = 0; s && i < UT_ARRAY_SIZE(ops); i++)
		if (!strcmp(s, ops[i]))
			return ops[i];
	return "unknown";
}

void ut_wire_side_from(struct json_object *o, struct ut_bench_side *s)
{
	s->op = op_name(ut_wire_str(o, "op"));
	s->bytes = ut_wire_num(o, "bytes");
	s->msgs = ut_wire_num(o, "msgs");
	s->bytes_total = ut_wire_num(o, "bytes_total");
	s->msgs_total = ut_wire_num(o, "msgs_total");
	s->syscalls = ut_wire_num(o, "syscalls");
	s->cpu_user_pct = ut_wire_dbl(o, "cpu_user_pct");
	s->cpu_sys_pct = ut_wire_dbl(o, "cpu_sys_pct");
	/* absent from older peers: their figures leave the SQ thread out */
	s->cpu_sq_thread = json_object_get_boolean(
		json_object_object_get(o, "cpu_includes_sq_thread"));
	s->ring_flags = (uint32_t)ut_wire_num(o, "ring_flags");
	s->fixed_buffers = json_object_get_boolean(json_object_object_get(o, "fixed_buffers"));
	s->fixed_files = json_object_get_boolean(json_object_object_get(o, "fixed_files"));
}

int ut_wire_samples_from(struct json_object *a, struct ut_bench_row *row)
{
	size_t n = json_object_is_type(a, json_type_array) ?
		   json_object_array_length(a) : 0;
	struct ut_bench_sample *s = n ? calloc(n, sizeof(*s)) : NULL;

	if (n && !s)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		s[i].start_ns = ut_wire_num(e, "start_ns");
		s[i].end_ns = ut_wire_num(e, "end_ns");
		s[i].bytes = ut_wire_num(e, "bytes");
		s[i].msgs = ut_wire_num(e, "msgs");
		s[i].gbit_per_s = ut_gbit_per_s(s[i].bytes, s[i].end_ns - s[i].start_ns);
	}
	free(row->samples);
	row->samples = s;
	row->nr_samples = (unsigned int)n;
	return 0;
}


void ut_remote_free(struct ut_remote *rm)
{
	if (rm->ctl >= 0)
		close(rm->ctl);
	free(rm->buf);
}
