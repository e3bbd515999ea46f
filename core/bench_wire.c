// SPDX-License-Identifier: MIT
/*
 * The control connection of two-host benchmarks: one JSON object per line,
 * every read with a deadline (see bench_remote.c for the conversation).
 */
#define _GNU_SOURCE
#include "bench.h"
#include "bench_wire.h"

#include "abi.h"
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

/* Who sent what we read: "the server's", "the client's". */
const char *ut_wire_peer_name(const struct ut_remote *rm)
{
	return rm->server ? "client" : "server";
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

/*
 * json-c saturates an integer beyond 64 bits (2^64 + 1 reads as 2^64 - 1,
 * -2^64 as -2^63): find one in the line before parsing, with the key it
 * follows, so the peer is told what it sent and not a figure it did not.
 * A rough scan (lenient JSON has more forms), but exact for strict JSON.
 */
static int check_ranges(struct ut_remote *rm, const char *line)
{
	const char *str = "", *key = NULL, *p = line;
	size_t slen = 0, klen = 0;

	while (*p) {
		if (*p == '"') {
			const char *q = p + 1;

			while (*q && *q != '"')
				q += q[0] == '\\' && q[1] ? 2 : 1;
			str = p + 1;
			slen = (size_t)(q - str);
			p = *q ? q + 1 : q;
		} else if (*p == ':') {
			key = str;
			klen = slen;
			p++;
		} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
			const char *q = p + (*p == '-');
			size_t n = strspn(q, "0123456789"), all;

			all = (size_t)(q - p) + n + strspn(q + n, "0123456789.eE+-");
			errno = 0;
			if (n && q[n] != '.' && q[n] != 'e' && q[n] != 'E') {
				if (*p == '-')
					(void)strtoll(p, NULL, 10);
				else
					(void)strtoull(p, NULL, 10);
			}
			if (errno == ERANGE) {
				char k[32] = "number";

				if (key)
					snprintf(k, sizeof(k), "\"%.*s\":",
						 (int)(klen < 24 ? klen : 24), key);
				snprintf(rm->info->msg, sizeof(rm->info->msg),
					 "the %s's %s %.*s%s is out of the 64-bit "
					 "range", ut_wire_peer_name(rm), k,
					 (int)(all < 40 ? all : 40), p,
					 all > 40 ? "..." : "");
				return -EPROTO;
			}
			p += all;
		} else {
			p++;
		}
	}
	return 0;
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
	ret = check_ranges(rm, rm->buf);
	if (!ret) {
		*out = json_tokener_parse(rm->buf);
		if (!*out || !json_object_is_type(*out, json_type_object)) {
			/* not a line of JSON: another program, or another tool's peer */
			snprintf(rm->info->msg, sizeof(rm->info->msg), "the peer is not "
				 "a uring-tool bench %s", ut_wire_peer_name(rm));
			json_object_put(*out);
			*out = NULL;
			ret = -EPROTO;
		}
	}
	rm->len -= (size_t)(nl + 1 - rm->buf);
	memmove(rm->buf, nl + 1, rm->len);
	return ret;
}

void ut_wire_add_error(struct json_object *o, const char *step, int err,
		       const char *text)
{
	json_object_object_add(o, "step", json_object_new_string(step));
	json_object_object_add(o, "errno", json_object_new_int(-err));
	json_object_object_add(o, "message", json_object_new_string(
		text ? text : strerror(-err)));
}

int ut_wire_send_error(struct ut_remote *rm, const char *step, int err,
		       const char *text, int op)
{
	struct json_object *o = ut_wire_msg("error");

	ut_wire_add_error(o, step, err, text);
	if (op >= 0)
		json_object_object_add(o, "op", json_object_new_int(op));
	return ut_wire_send(rm, o);
}

/* Take the peer's error: "server STEP" into info, -errno back. */
int ut_wire_peer_error(struct ut_remote *rm, struct json_object *o)
{
	struct ut_bench_remote_info *in = rm->info;
	const char *step = ut_wire_str(o, "step"), *text = ut_wire_str(o, "message");
	struct json_object *v = json_object_object_get(o, "errno");
	int err = -EPROTO;
	uint64_t op;

	/* (an int cast of a wider number would wrap to another errno) */
	if (json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) > 0 && json_object_get_int64(v) < 4096)
		err = -(int)json_object_get_int64(v);
	snprintf(in->step, sizeof(in->step), "%s %s", ut_wire_peer_name(rm),
		 step ? step : "run");
	snprintf(in->msg, sizeof(in->msg), "%s", text ? text : "");
	if (!json_object_object_get_ex(o, "op", NULL))
		return err;
	if (ut_wire_num(rm, o, "error", "op", 0, 255, &op)) {
		snprintf(in->step, sizeof(in->step), "control protocol");
		return -EPROTO;
	}
	/* the same build names only ops it knows: the peer is another one */
	if (ut_abi_find(&ut_ops, (unsigned int)op))
		in->missing_op = (int)op;
	else
		snprintf(in->msg, sizeof(in->msg), "the %s lacks opcode %u, which "
			 "this uring-tool does not know: run the same uring-tool "
			 "on both hosts", ut_wire_peer_name(rm), (unsigned int)op);
	return err;
}

/* Receive a message of type; the peer's error or -EPROTO otherwise. */
int ut_wire_expect(struct ut_remote *rm, const char *type, int timeout_ms,
		   struct json_object **out, const char **step)
{
	const char *t;
	char want[32];
	int ret = ut_wire_recv(rm, timeout_ms, out);

	if (ret == -EPROTO) {
		*step = "control protocol";	/* info->msg says why */
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
		snprintf(want, sizeof(want), "\"%s\"", type);
		ret = ut_wire_bad(rm, "message type",
				  json_object_object_get(*out, "type"), want);
		*step = "control protocol";
	}
	json_object_put(*out);
	*out = NULL;
	return ret;
}

void ut_remote_free(struct ut_remote *rm)
{
	if (rm->ctl >= 0)
		close(rm->ctl);
	free(rm->buf);
}
