// SPDX-License-Identifier: MIT
/* `bench server`: listen, accept, and serve one client's runs at a time. */
#define _GNU_SOURCE
#include "bench.h"
#include "bench_impl.h"
#include "bench_wire.h"

#include "net.h"

#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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
	char version[48];
	int ret;

	ret = ut_wire_expect(rm, "hello", CTL_TIMEOUT_MS, &o, step);
	if (ret)
		return ret;
	*b = ut_wire_str(o, "bench") ? ut_bench_find(ut_wire_str(o, "bench")) : NULL;
	side = ut_wire_str(o, "client_side");
	ret = -EPROTO;
	*step = "handshake";
	/* a JSON integer, equal: not "1", 1.9 or 1 + 2^32 */
	if (!ut_wire_version_ok(o, version, sizeof(version))) {
		snprintf(in->msg, sizeof(in->msg), "protocol version %.44s, this "
			 "server speaks %d: run the same uring-tool on both hosts",
			 version, UT_BENCH_PROTO_VERSION);
		goto out;
	}
	if (!*b) {
		snprintf(in->msg, sizeof(in->msg), "unknown benchmark '%s'",
			 ut_wire_str(o, "bench") ? ut_wire_str(o, "bench") : "");
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
	if (ut_bench_config_check(*b, c, &key, &why)) {
		snprintf(in->msg, sizeof(in->msg), "option '%s': %s", key, why);
		goto out;
	}
	ret = 0;
out:
	json_object_put(o);
	return ret;
}

/*
 * The client's message between runs (not bye): 1 for a run, with *size and
 * *e; 0 for a late stop (sent during the run just over, stop_ok, and read
 * only now); or -EPROTO with info->msg: a stop outside a run, any other
 * message, a bad run, or more runs than a client asks for.
 */
static int between_runs(struct ut_remote *rm, struct json_object *o,
			bool stop_ok, unsigned int runs, uint64_t *size,
			enum ut_bench_engine *e)
{
	const char *t = ut_wire_str(o, "type"), *en;
	int ret;

	if (t && !strcmp(t, "stop")) {
		if (stop_ok)
			return 0;
		snprintf(rm->info->msg, sizeof(rm->info->msg),
			 "the client sent a stop outside a run");
		return -EPROTO;
	}
	if (!t || strcmp(t, "run"))
		return ut_wire_bad(rm, "message type", json_object_object_get(o, "type"),
				   "\"run\", \"stop\" or \"bye\"");
	/* every size, with compare with both engines */
	if (runs >= 2 * UT_BENCH_MAX_SIZES) {
		snprintf(rm->info->msg, sizeof(rm->info->msg),
			 "the client asked for more than %u runs",
			 2 * UT_BENCH_MAX_SIZES);
		return -EPROTO;
	}
	ret = ut_wire_num(rm, o, "run", "size_bytes", 1, UT_BENCH_MAX_SIZE, size);
	if (ret)
		return ret;
	en = ut_wire_str(o, "engine");
	if (!en || (strcmp(en, "uring") && strcmp(en, "syscall")))
		return ut_wire_bad(rm, "run.engine", json_object_object_get(o, "engine"),
				   "\"uring\" or \"syscall\"");
	*e = strcmp(en, "syscall") ? UT_ENGINE_URING : UT_ENGINE_SYSCALL;
	return 1;
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
	bool stop_ok = false;
	const char *t;
	int ret, op;

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
			ut_wire_send_error(&rm, r->failed_step, ret, info->msg[0] ?
				   info->msg : NULL, -1);
		goto out;
	}
	r->bench = b->name;
	r->failed_step = NULL;	/* (read_hello's last step, when it went well) */
	op = ut_bench_uring_op(b, c, &rm);
	if (op >= 0) {
		ret = ut_bench_check_op(op, r);
		if (ret) {
			ut_wire_send_error(&rm, r->failed_step, ret, NULL,
				   ret == -EOPNOTSUPP ? op : -1);
			goto out;
		}
	}
	o = ut_wire_msg("hello_ok");
	json_object_object_add(o, "version", json_object_new_int(UT_BENCH_PROTO_VERSION));
	json_object_object_add(o, "server_side", json_object_new_string(
		rm.local_sender ? "sender" : "receiver"));
	ret = ut_wire_send(&rm, o);
	/*
	 * Between runs the client says run, or bye (or hangs up); a stop it
	 * sent during the run just over is read here, late. Anything else, a
	 * stop outside a run included, or more runs than a client asks for,
	 * ends the session as a protocol error.
	 */
	for (unsigned int runs = 0; !ret; ) {
		enum ut_bench_engine e = UT_ENGINE_URING;
		uint64_t size = 0;
		int what;

		ret = ut_wire_recv(&rm, NEXT_RUN_TIMEOUT_MS, &o);
		if (ret == -ECONNRESET) {
			ret = 0;	/* the client hung up between runs */
			break;
		}
		if (ret)
			break;
		t = ut_wire_str(o, "type");
		if (t && !strcmp(t, "bye")) {
			json_object_put(o);
			break;
		}
		what = between_runs(&rm, o, stop_ok, runs, &size, &e);
		json_object_put(o);
		stop_ok = false;
		if (what <= 0) {
			ret = what;	/* 0: a late stop, read and done with */
			continue;
		}
		rows = realloc(r->rows, sizeof(*rows) * (r->nr_rows + 1));
		if (!rows) {
			ret = -ENOMEM;
			break;
		}
		r->rows = rows;
		memset(&rows[r->nr_rows], 0, sizeof(*rows));
		rm.aborted = false;
		runs++;
		ret = ut_bench_run_row(b, c, e, size, &rows[r->nr_rows], r,
				       stop, &rm);
		if (rows[r->nr_rows].duration_ns || rows[r->nr_rows].interrupted)
			r->nr_rows++;
		else
			free(rows[r->nr_rows].samples);
		stop_ok = true;
		if (!ret && stop && *stop)
			ret = -EINTR;
	}
	if (ret == -EPROTO && !r->failed_step) {
		/* broken between runs (a failed run names its step): say how */
		r->failed_step = "control protocol";
		ut_wire_send_error(&rm, r->failed_step, ret, info->msg, -1);
	}
	if (ret && !r->failed_step)
		r->failed_step = "control connection";
out:
	if (ret == -EINTR) {
		r->interrupted = true;
		ret = 0;
	}
	ut_remote_free(&rm);
	return r->err = ret;
}
