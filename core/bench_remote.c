// SPDX-License-Identifier: MIT
/*
 * Two hosts: `bench server` and `bench BENCH --connect HOST`. A TCP control
 * connection carries one JSON object per line:
 *
 *   client                          server
 *   hello {version, bench, options, client_side}
 *                                   hello_ok {version, server_side} | error
 *   run {size_bytes, engine}        port {port}    (then the data flows)
 *                                   ready {ok, ...}
 *   start {ok}                      (both run warm-up and measured phase)
 *   [stop]                          row {side, duration_ns, intervals, error}
 *   ... one run per row ...         bye
 *
 * Every read has a deadline, so a vanished peer ends the run, not a hang.
 */
#define _GNU_SOURCE
#include "bench.h"
#include "bench_impl.h"

#include "net.h"
#include "stats.h"
#include "util.h"

#include <errno.h>
#include <json-c/json.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CTL_TIMEOUT_MS		10000
#define NEXT_RUN_TIMEOUT_MS	60000
#define CONNECT_TIMEOUT_MS	5000
#define DRAIN_SLACK_MS		20000
#define MAX_LINE		(16u << 20)

struct ut_remote {
	bool server, local_sender, aborted;
	int ctl;
	char *buf;
	size_t len, cap;
	struct sockaddr_storage data;	/* client: the server; server: bind here */
	socklen_t data_len;
	struct ut_bench_remote_info *info;
	volatile sig_atomic_t *stop;
};

bool ut_remote_local_sender(const struct ut_remote *rm)
{
	return rm->local_sender;
}

static struct json_object *msg(const char *type)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "type", json_object_new_string(type));
	return o;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static uint64_t num(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	return json_object_get_uint64(v);
}

static double dbl(struct json_object *o, const char *key)
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
static int ctl_send(struct ut_remote *rm, struct json_object *o)
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
static int ctl_recv(struct ut_remote *rm, int timeout_ms,
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
				return -EPROTO;
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

static int send_error(struct ut_remote *rm, const char *step, int err,
		      const char *text, int op)
{
	struct json_object *o = msg("error");

	json_object_object_add(o, "step", json_object_new_string(step));
	json_object_object_add(o, "errno", json_object_new_int(-err));
	json_object_object_add(o, "message", json_object_new_string(
		text ? text : strerror(-err)));
	if (op >= 0)
		json_object_object_add(o, "op", json_object_new_int(op));
	return ctl_send(rm, o);
}

/* Take the peer's error: "server STEP" into info, -errno back. */
static int peer_error(struct ut_remote *rm, struct json_object *o)
{
	struct ut_bench_remote_info *in = rm->info;
	const char *step = str(o, "step"), *text = str(o, "message");
	int err = (int)num(o, "errno");
	struct json_object *op;

	snprintf(in->step, sizeof(in->step), "%s %s",
		 rm->server ? "client" : "server", step ? step : "run");
	snprintf(in->msg, sizeof(in->msg), "%s", text ? text : "");
	if (json_object_object_get_ex(o, "op", &op))
		in->missing_op = json_object_get_int(op);
	return err > 0 && err < 4096 ? -err : -EPROTO;
}

/* Receive a message of type; the peer's error or -EPROTO otherwise. */
static int expect(struct ut_remote *rm, const char *type, int timeout_ms,
		  struct json_object **out, const char **step)
{
	const char *t;
	int ret = ctl_recv(rm, timeout_ms, out);

	if (ret) {
		*step = rm->server ? "control connection" : "server connection";
		return ret;
	}
	t = str(*out, "type");
	if (t && !strcmp(t, type))
		return 0;
	if (t && !strcmp(t, "error")) {
		ret = peer_error(rm, *out);
		*step = rm->info->step;
	} else {
		ret = -EPROTO;
		*step = "control protocol";
	}
	json_object_put(*out);
	*out = NULL;
	return ret;
}

int ut_remote_open_flows(struct ut_remote *rm, const struct ut_bench_config *c,
			 enum ut_bench_engine engine, uint64_t size,
			 int (*pairs)[2], const char **step)
{
	int side = rm->local_sender ? 0 : 1, lfd = -1, ret;
	struct sockaddr_storage ss = rm->data;
	struct json_object *o;
	socklen_t len;

	if (!rm->server) {
		o = msg("run");
		json_object_object_add(o, "size_bytes", json_object_new_uint64(size));
		json_object_object_add(o, "engine", json_object_new_string(
			ut_bench_engine_name(engine)));
		ret = ctl_send(rm, o);
		if (!ret)
			ret = expect(rm, "port", CTL_TIMEOUT_MS, &o, step);
		if (ret) {
			if (!*step)
				*step = "server connection";
			return ret;
		}
		ut_sockaddr_set_port(&ss, (unsigned short)num(o, "port"));
		json_object_put(o);
		for (unsigned int f = 0; f < c->flows; f++) {
			pairs[f][side] = ut_tcp_connect_addr(&ss, rm->data_len,
							     CONNECT_TIMEOUT_MS);
			if (pairs[f][side] < 0) {
				ret = pairs[f][side];
				pairs[f][side] = -1;
				*step = "data connection";
				return ret;
			}
		}
		goto bufs;
	}

	ut_sockaddr_set_port(&ss, 0);
	lfd = ut_tcp_listen_addr(&ss, rm->data_len, (int)c->flows);
	len = sizeof(ss);
	if (lfd >= 0 && getsockname(lfd, (struct sockaddr *)&ss, &len) < 0)
		ret = -errno;
	else
		ret = lfd < 0 ? lfd : 0;
	if (ret) {
		*step = "data listener";
		send_error(rm, *step, ret, NULL, -1);
		goto out;
	}
	o = msg("port");
	json_object_object_add(o, "port", json_object_new_int(ut_sockaddr_port(&ss)));
	ret = ctl_send(rm, o);
	if (ret) {
		*step = "control connection";
		goto out;
	}
	for (unsigned int f = 0; f < c->flows; f++) {
		uint64_t deadline = ut_now_ns() + CTL_TIMEOUT_MS * 1000000ull;
		struct pollfd pfd[2] = { { .fd = lfd, .events = POLLIN },
					 { .fd = rm->ctl, .events = POLLIN } };

		/* the client's connections, unless it gives up first */
		do {
			ret = poll(pfd, 2, 100);
			if (rm->stop && *rm->stop) {
				ret = -EINTR;
				break;
			}
			if (pfd[1].revents) {
				ret = -ECONNRESET;
				break;
			}
			if (ret < 0 && errno != EINTR) {
				ret = -errno;
				break;
			}
			if (ut_now_ns() > deadline) {
				ret = -ETIMEDOUT;
				break;
			}
		} while (ret <= 0);
		if (ret > 0) {
			pairs[f][side] = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			ret = pairs[f][side] < 0 ? -errno : 0;
		}
		if (ret) {
			*step = "accept data connection";
			goto out;
		}
	}
bufs:
	for (unsigned int f = 0; f < c->flows && c->sockbuf; f++) {
		ret = ut_sock_set_bufs(pairs[f][side], c->sockbuf);
		if (ret) {
			*step = "socket buffers";
			goto out;
		}
	}
	ret = 0;
out:
	if (lfd >= 0)
		close(lfd);
	return ret;
}

int ut_remote_sync(struct ut_remote *rm, int err, const char *err_step,
		   const char **step)
{
	struct json_object *o;
	bool ok;
	int ret;

	if (rm->server) {
		o = msg("ready");
		json_object_object_add(o, "ok", json_object_new_boolean(!err));
		if (err) {
			json_object_object_add(o, "step", json_object_new_string(
				err_step ? err_step : "setup"));
			json_object_object_add(o, "errno", json_object_new_int(-err));
			json_object_object_add(o, "message",
					       json_object_new_string(strerror(-err)));
		}
		ret = ctl_send(rm, o);
		if (ret || err)
			goto conn;
		ret = expect(rm, "start", CTL_TIMEOUT_MS, &o, step);
		if (ret)
			return ret;
		ok = json_object_get_boolean(json_object_object_get(o, "ok"));
		json_object_put(o);
		if (!ok) {
			*step = "client setup";
			return -ECANCELED;
		}
		return 0;
	}
	ret = expect(rm, "ready", CTL_TIMEOUT_MS, &o, step);
	if (ret)
		return ret;
	ok = json_object_get_boolean(json_object_object_get(o, "ok"));
	if (!ok) {
		ret = peer_error(rm, o);
		*step = rm->info->step;
		json_object_put(o);
		return ret;
	}
	json_object_put(o);
	o = msg("start");
	json_object_object_add(o, "ok", json_object_new_boolean(!err));
	ret = ctl_send(rm, o);
conn:
	if (ret)
		*step = rm->server ? "control connection" : "server connection";
	return ret;
}

bool ut_remote_aborted(struct ut_remote *rm)
{
	struct pollfd pfd = { .fd = rm->ctl, .events = POLLIN };

	/* mid-run, the client only speaks to stop (or by hanging up) */
	if (rm->server && !rm->aborted && poll(&pfd, 1, 0) > 0)
		rm->aborted = true;
	return rm->aborted;
}

static struct json_object *side_to_wire(const struct ut_bench_side *s)
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
	json_object_object_add(o, "ring_flags", json_object_new_uint64(s->ring_flags));
	json_object_object_add(o, "fixed_buffers", json_object_new_boolean(s->fixed_buffers));
	json_object_object_add(o, "fixed_files", json_object_new_boolean(s->fixed_files));
	return o;
}

/* The op names the engines use, so a side's op stays a static string. */
static const char *op_name(const char *s)
{
	static const char *const ops[] = { "send", "send_zc", "sendmsg_zc",
		"recv", "recv_multishot", "recv_bundle", "send(2)", "recv(2)" };

	for (unsigned int i = 0; s && i < UT_ARRAY_SIZE(ops); i++)
		if (!strcmp(s, ops[i]))
			return ops[i];
	return "unknown";
}

static void side_from_wire(struct json_object *o, struct ut_bench_side *s)
{
	s->op = op_name(str(o, "op"));
	s->bytes = num(o, "bytes");
	s->msgs = num(o, "msgs");
	s->bytes_total = num(o, "bytes_total");
	s->msgs_total = num(o, "msgs_total");
	s->syscalls = num(o, "syscalls");
	s->cpu_user_pct = dbl(o, "cpu_user_pct");
	s->cpu_sys_pct = dbl(o, "cpu_sys_pct");
	s->ring_flags = (uint32_t)num(o, "ring_flags");
	s->fixed_buffers = json_object_get_boolean(json_object_object_get(o, "fixed_buffers"));
	s->fixed_files = json_object_get_boolean(json_object_object_get(o, "fixed_files"));
}

static int samples_from_wire(struct json_object *a, struct ut_bench_row *row)
{
	size_t n = json_object_is_type(a, json_type_array) ?
		   json_object_array_length(a) : 0;
	struct ut_bench_sample *s = n ? calloc(n, sizeof(*s)) : NULL;

	if (n && !s)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		s[i].start_ns = num(e, "start_ns");
		s[i].end_ns = num(e, "end_ns");
		s[i].bytes = num(e, "bytes");
		s[i].msgs = num(e, "msgs");
		s[i].gbit_per_s = ut_gbit_per_s(s[i].bytes, s[i].end_ns - s[i].start_ns);
	}
	free(row->samples);
	row->samples = s;
	row->nr_samples = (unsigned int)n;
	return 0;
}

int ut_remote_finish(struct ut_remote *rm, const struct ut_bench_config *c,
		     struct ut_bench_row *row, int err, const char *err_step,
		     bool interrupted, const char **step)
{
	struct ut_bench_side *mine = rm->local_sender ? &row->sender : &row->receiver;
	struct ut_bench_side *peer = rm->local_sender ? &row->receiver : &row->sender;
	struct json_object *o, *a, *e;
	volatile sig_atomic_t *stop;
	const char *dummy;
	int ret;

	if (!step)
		step = &dummy;
	if (rm->server) {
		o = msg("row");
		json_object_object_add(o, "side", side_to_wire(mine));
		json_object_object_add(o, "duration_ns", json_object_new_uint64(row->duration_ns));
		json_object_object_add(o, "interrupted", json_object_new_boolean(
			row->interrupted || rm->aborted));
		a = json_object_new_array();
		for (unsigned int i = 0; i < row->nr_samples; i++) {
			e = json_object_new_object();
			json_object_object_add(e, "start_ns", json_object_new_uint64(row->samples[i].start_ns));
			json_object_object_add(e, "end_ns", json_object_new_uint64(row->samples[i].end_ns));
			json_object_object_add(e, "bytes", json_object_new_uint64(row->samples[i].bytes));
			json_object_object_add(e, "msgs", json_object_new_uint64(row->samples[i].msgs));
			json_object_array_add(a, e);
		}
		json_object_object_add(o, "intervals", a);
		if (err) {
			e = json_object_new_object();
			json_object_object_add(e, "step", json_object_new_string(err_step ? err_step : "run"));
			json_object_object_add(e, "errno", json_object_new_int(-err));
			json_object_object_add(e, "message", json_object_new_string(strerror(-err)));
			json_object_object_add(o, "error", e);
		}
		ret = ctl_send(rm, o);
		if (ret)
			*step = "control connection";
		return ret;
	}

	if (interrupted) {
		ret = ctl_send(rm, msg("stop"));
		if (ret) {
			*step = "server connection";
			return ret;
		}
	}
	/* stopped or not, the server's figures complete the partial row */
	stop = rm->stop;
	rm->stop = NULL;
	ret = expect(rm, "row", (int)((c->warmup_ns + c->time_ns) / 1000000) +
		     DRAIN_SLACK_MS, &o, step);
	rm->stop = stop;
	if (ret)
		return ret;
	side_from_wire(json_object_object_get(o, "side"), peer);
	if (json_object_get_boolean(json_object_object_get(o, "interrupted")))
		row->interrupted = true;
	if (rm->local_sender) {
		/* throughput is the receiver's: its clock and its samples */
		ret = samples_from_wire(json_object_object_get(o, "intervals"), row);
		row->duration_ns = num(o, "duration_ns");
	}
	ut_bench_row_derive(c, row);
	if (!ret && json_object_object_get_ex(o, "error", &e) && e) {
		ret = peer_error(rm, e);
		*step = rm->info->step;
	}
	json_object_put(o);
	return ret;
}

static void remote_free(struct ut_remote *rm)
{
	if (rm->ctl >= 0)
		close(rm->ctl);
	free(rm->buf);
}

int ut_bench_run_remote(const struct ut_bench *b, struct ut_bench_config *c,
			const char *host, unsigned short port, bool any_family,
			struct ut_bench_result *r, volatile sig_atomic_t *stop,
			struct ut_bench_remote_info *info)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	struct ut_remote rm = { .ctl = -1, .info = info, .stop = stop };
	struct json_object *o;
	const char *side;
	int ret;

	memset(r, 0, sizeof(*r));
	memset(info, 0, sizeof(*info));
	info->missing_op = -1;
	r->bench = b->name;
	r->remote = info;
	/* the side under test runs here, the other one on the server */
	rm.local_sender = !b->receiver_under_test;
	info->local_sender = rm.local_sender;
	snprintf(info->peer, sizeof(info->peer), "%s:%u", host, port);

	hints.ai_family = any_family ? AF_UNSPEC : c->family;
	ret = getaddrinfo(host, NULL, &hints, &ai);
	if (ret) {
		snprintf(info->msg, sizeof(info->msg), "%s", gai_strerror(ret));
		r->failed_step = "resolve";
		ret = -EADDRNOTAVAIL;
		goto out;
	}
	memcpy(&rm.data, ai->ai_addr, ai->ai_addrlen);
	rm.data_len = ai->ai_addrlen;
	freeaddrinfo(ai);
	ut_sockaddr_set_port(&rm.data, port);
	c->family = rm.data.ss_family;
	ut_sockaddr_str(&rm.data, info->peer, sizeof(info->peer));

	rm.ctl = ut_tcp_connect_addr(&rm.data, rm.data_len, CONNECT_TIMEOUT_MS);
	if (rm.ctl < 0) {
		r->failed_step = "connect";
		ret = rm.ctl;
		goto out;
	}
	o = msg("hello");
	json_object_object_add(o, "version", json_object_new_int(UT_BENCH_PROTO_VERSION));
	json_object_object_add(o, "bench", json_object_new_string(b->name));
	json_object_object_add(o, "client_side", json_object_new_string(
		rm.local_sender ? "sender" : "receiver"));
	json_object_object_add(o, "options", ut_bench_config_to_options(c));
	ret = ctl_send(&rm, o);
	if (ret) {
		r->failed_step = "server connection";
		goto out;
	}
	ret = expect(&rm, "hello_ok", CTL_TIMEOUT_MS, &o, &r->failed_step);
	if (ret)
		goto out;
	side = str(o, "server_side");
	if (!side || strcmp(side, rm.local_sender ? "receiver" : "sender")) {
		snprintf(info->msg, sizeof(info->msg), "the server runs the %s",
			 side ? side : "wrong side");
		r->failed_step = "handshake";
		ret = -EPROTO;
	}
	json_object_put(o);
	if (ret)
		goto out;
	ret = ut_bench_run_rows(b, c, r, stop, &rm);
	if (!ret || rm.ctl >= 0)
		ctl_send(&rm, msg("bye"));
out:
	remote_free(&rm);
	return r->err = ret;
}

int ut_bench_server_listen(const char *addr, unsigned short port, int family,
			   char *where, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t slen;
	int fd;

	if (addr && ut_sockaddr_parse(addr, port, family, &ss, &slen))
		return -EINVAL;
	/* the IPv6 wildcard takes IPv4 clients too (net.ipv6.bindv6only=0) */
	if (!addr)
		ut_sockaddr_parse(family == AF_INET ? "0.0.0.0" : "::", port,
				  family, &ss, &slen);
	fd = ut_tcp_listen_addr(&ss, slen, 8);
	if (fd == -EAFNOSUPPORT && !addr && !family) {
		ut_sockaddr_parse("0.0.0.0", port, AF_INET, &ss, &slen);
		fd = ut_tcp_listen_addr(&ss, slen, 8);
	}
	if (fd >= 0)
		ut_sockaddr_str(&ss, where, len);
	return fd;
}

int ut_bench_server_accept(int lfd, volatile sig_atomic_t *stop, int *cfd,
			   char *peer, size_t len)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };
	struct sockaddr_storage ss;
	socklen_t slen = sizeof(ss);
	int ret;

	for (;;) {
		if (stop && *stop)
			return -EINTR;
		ret = poll(&pfd, 1, 100);
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ret > 0)
			break;
	}
	*cfd = accept4(lfd, (struct sockaddr *)&ss, &slen, SOCK_CLOEXEC);
	if (*cfd < 0)
		return -errno;
	ut_sockaddr_str(&ss, peer, len);
	return 0;
}

/* The client's hello: its benchmark and options into c. */
static int read_hello(struct ut_remote *rm, struct ut_bench_config *c,
		      const struct ut_bench **b, const char **step)
{
	struct ut_bench_remote_info *in = rm->info;
	struct json_object *o, *opts;
	const char *side, *key, *why = NULL;
	int ret, version;

	ret = expect(rm, "hello", CTL_TIMEOUT_MS, &o, step);
	if (ret)
		return ret;
	version = (int)num(o, "version");
	*b = str(o, "bench") ? ut_bench_find(str(o, "bench")) : NULL;
	side = str(o, "client_side");
	ret = -EPROTO;
	*step = "handshake";
	if (version != UT_BENCH_PROTO_VERSION) {
		snprintf(in->msg, sizeof(in->msg), "protocol version %d, this "
			 "server speaks %d: run the same uring-tool on both hosts",
			 version, UT_BENCH_PROTO_VERSION);
		goto out;
	}
	if (!*b) {
		snprintf(in->msg, sizeof(in->msg), "unknown benchmark '%s'",
			 str(o, "bench") ? str(o, "bench") : "");
		goto out;
	}
	if (!side || (strcmp(side, "sender") && strcmp(side, "receiver"))) {
		snprintf(in->msg, sizeof(in->msg), "no client side");
		goto out;
	}
	rm->local_sender = !strcmp(side, "receiver");
	in->local_sender = rm->local_sender;
	ut_bench_config_init(c);
	*step = "config";
	ret = -EINVAL;
	if (!json_object_object_get_ex(o, "options", &opts) ||
	    !json_object_is_type(opts, json_type_object)) {
		snprintf(in->msg, sizeof(in->msg), "no options");
		goto out;
	}
	json_object_object_foreach(opts, k, v) {
		if (ut_bench_config_set(c, k, json_object_get_string(v), &why)) {
			snprintf(in->msg, sizeof(in->msg), "option '%s': %s", k,
				 why ? why : "invalid");
			goto out;
		}
	}
	if (ut_bench_config_check(c, &key, &why)) {
		snprintf(in->msg, sizeof(in->msg), "option '%s': %s", key, why);
		goto out;
	}
	if (c->udp) {
		snprintf(in->msg, sizeof(in->msg), "two-host runs are TCP only");
		ret = -EPROTONOSUPPORT;
		goto out;
	}
	ret = 0;
out:
	json_object_put(o);
	return ret;
}

int ut_bench_serve_client(int cfd, volatile sig_atomic_t *stop,
			  struct ut_bench_config *c, struct ut_bench_result *r,
			  struct ut_bench_remote_info *info)
{
	struct ut_remote rm = { .server = true, .ctl = cfd, .info = info,
				.stop = stop };
	const struct ut_bench *b = NULL;
	struct json_object *o;
	struct ut_bench_row *rows;
	const char *t;
	int ret;

	memset(r, 0, sizeof(*r));
	info->server = true;
	info->missing_op = -1;
	r->remote = info;
	ut_bench_config_init(c);
	rm.data_len = sizeof(rm.data);
	if (getsockname(cfd, (struct sockaddr *)&rm.data, &rm.data_len) < 0) {
		r->failed_step = "control connection";
		ret = -errno;
		goto out;
	}
	ret = read_hello(&rm, c, &b, &r->failed_step);
	if (ret) {
		if (ret != -ECONNRESET && ret != -ETIMEDOUT && ret != -EINTR)
			send_error(&rm, r->failed_step, ret, info->msg[0] ?
				   info->msg : NULL, -1);
		goto out;
	}
	r->bench = b->name;
	if (c->engine == UT_ENGINE_URING || c->compare) {
		int op = rm.local_sender ? (b->receiver_under_test ? UT_OP_SEND :
					    b->required_op) : UT_OP_RECV;

		ret = ut_bench_check_op(op, r);
		if (ret) {
			send_error(&rm, r->failed_step, ret, NULL,
				   ret == -EOPNOTSUPP ? op : -1);
			goto out;
		}
	}
	o = msg("hello_ok");
	json_object_object_add(o, "version", json_object_new_int(UT_BENCH_PROTO_VERSION));
	json_object_object_add(o, "server_side", json_object_new_string(
		rm.local_sender ? "sender" : "receiver"));
	ret = ctl_send(&rm, o);
	for (unsigned int i = 0; !ret && i < 2 * UT_BENCH_MAX_SIZES; i++) {
		enum ut_bench_engine e;
		uint64_t size;

		ret = ctl_recv(&rm, NEXT_RUN_TIMEOUT_MS, &o);
		if (ret == -ECONNRESET) {
			ret = 0;	/* the client hung up between runs */
			break;
		}
		if (ret)
			break;
		t = str(o, "type");
		if (t && !strcmp(t, "stop")) {
			json_object_put(o);
			continue;	/* late: the run it meant is over */
		}
		if (!t || strcmp(t, "run")) {
			json_object_put(o);
			break;		/* bye */
		}
		size = num(o, "size_bytes");
		e = str(o, "engine") && !strcmp(str(o, "engine"), "syscall") ?
		    UT_ENGINE_SYSCALL : UT_ENGINE_URING;
		json_object_put(o);
		if (!size || size > UT_BENCH_MAX_SIZE) {
			ret = -EPROTO;
			r->failed_step = "control protocol";
			break;
		}
		rows = realloc(r->rows, sizeof(*rows) * (r->nr_rows + 1));
		if (!rows) {
			ret = -ENOMEM;
			break;
		}
		r->rows = rows;
		memset(&rows[r->nr_rows], 0, sizeof(*rows));
		rm.aborted = false;
		ret = ut_bench_run_row(b, c, e, size, &rows[r->nr_rows], r,
				       stop, &rm);
		if (rows[r->nr_rows].duration_ns || rows[r->nr_rows].interrupted)
			r->nr_rows++;
		else
			free(rows[r->nr_rows].samples);
		if (!ret && stop && *stop)
			ret = -EINTR;
	}
	if (ret && !r->failed_step)
		r->failed_step = "control connection";
out:
	if (ret == -EINTR) {
		r->interrupted = true;
		ret = 0;
	}
	remote_free(&rm);
	return r->err = ret;
}
