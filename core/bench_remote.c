// SPDX-License-Identifier: MIT
/*
 * Two hosts: `bench server` and `bench BENCH --connect HOST`. A TCP control
 * connection carries one JSON object per line:
 *
 *   client                          server
 *   hello {version, bench, options, client_side}
 *                                   hello_ok {version, server_side} | error
 *   run {size_bytes, engine}        port {port[, ports]} (then the data flows;
 *                                   UDP: bench_remote_udp.c)
 *                                   ready {ok, ...}
 *   start {ok}                      (both run warm-up and measured phase)
 *   [stop]                          row {side, duration_ns, intervals, error}
 *   ... one run per row ...         bye
 *
 * Every read has a deadline, so a vanished peer ends the run, not a hang.
 * Nothing a peer sends is trusted (bench_wire.c): numbers are type- and
 * range-checked (integers within 64 bits, figures finite, non-negative,
 * CPU shares at most UT_WIRE_MAX_CPU_PCT), a row is taken whole or not at
 * all (no measured phase only in a run cut short or failed), an opcode
 * named in an error is 0..255 and known. Between runs the server takes
 * run, bye, or one late stop right after a run (sent during it); anything
 * else ends the session as a protocol error. A protocol error is one line
 * naming the field, exit 4, and never a result.
 */
#define _GNU_SOURCE
#include "bench.h"
#include "bench_impl.h"
#include "bench_wire.h"

#include "net.h"
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

bool ut_remote_local_sender(const struct ut_remote *rm)
{
	return rm->local_sender;
}

int ut_remote_open_flows(struct ut_remote *rm, const struct ut_bench_config *c,
			 enum ut_bench_engine engine, uint64_t size,
			 int (*pairs)[2], const char **step)
{
	int side = rm->local_sender ? 0 : 1, lfd = -1, ret;
	uint64_t port;
	struct sockaddr_storage ss = rm->data;
	struct json_object *o;
	socklen_t len;

	if (!rm->server) {
		o = ut_wire_msg("run");
		json_object_object_add(o, "size_bytes", json_object_new_uint64(size));
		json_object_object_add(o, "engine", json_object_new_string(
			ut_bench_engine_name(engine)));
		ret = ut_wire_send(rm, o);
		if (!ret)
			ret = ut_wire_expect(rm, "port", CTL_TIMEOUT_MS, &o, step);
		if (ret) {
			if (!*step)
				*step = "server connection";
			return ret;
		}
		if (c->udp) {
			ret = ut_remote_udp_client_flows(rm, c, o, pairs, side, step);
			json_object_put(o);
			if (ret)
				return ret;
			goto bufs;
		}
		ret = ut_wire_num(rm, o, "port", "port", 1, 65535, &port);
		json_object_put(o);
		if (ret) {
			*step = "control protocol";
			return ret;
		}
		ut_sockaddr_set_port(&ss, (unsigned short)port);
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

	if (c->udp) {
		ret = ut_remote_udp_server_flows(rm, c, pairs, side, step);
		if (ret)
			return ret;
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
		ut_wire_send_error(rm, *step, ret, NULL, -1);
		goto out;
	}
	o = ut_wire_msg("port");
	json_object_object_add(o, "port", json_object_new_int(ut_sockaddr_port(&ss)));
	ret = ut_wire_send(rm, o);
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
		o = ut_wire_msg("ready");
		json_object_object_add(o, "ok", json_object_new_boolean(!err));
		if (err)
			ut_wire_add_error(o, err_step ? err_step : "setup", err, NULL);
		ret = ut_wire_send(rm, o);
		if (ret || err)
			goto conn;
		ret = ut_wire_expect(rm, "start", CTL_TIMEOUT_MS, &o, step);
		if (ret)
			return ret;
		ret = ut_wire_bool(rm, o, "start", "ok", &ok);
		json_object_put(o);
		if (ret) {
			*step = "control protocol";
			return ret;
		}
		if (!ok) {
			*step = "client setup";
			return -ECANCELED;
		}
		return 0;
	}
	ret = ut_wire_expect(rm, "ready", CTL_TIMEOUT_MS, &o, step);
	if (ret)
		return ret;
	ret = ut_wire_bool(rm, o, "ready", "ok", &ok);
	if (ret) {
		json_object_put(o);
		*step = "control protocol";
		return ret;
	}
	if (!ok) {
		ret = ut_wire_peer_error(rm, o);
		*step = rm->info->step;
		json_object_put(o);
		return ret;
	}
	json_object_put(o);
	o = ut_wire_msg("start");
	json_object_object_add(o, "ok", json_object_new_boolean(!err));
	ret = ut_wire_send(rm, o);
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

/*
 * The server's row, checked whole before any of it goes into row: a peer's
 * impossible figures end the run as a protocol error, never as a result.
 */
static int read_row(struct ut_remote *rm, const struct ut_bench_config *c,
		    struct json_object *o, struct ut_bench_row *row,
		    struct ut_bench_side *peer)
{
	struct json_object *e = NULL;
	struct ut_bench_side side;
	uint64_t dur;
	bool intr;
	int ret;

	ret = ut_wire_side_from(rm, json_object_object_get(o, "side"), &side);
	/* a measured phase ends at --time, give or take a tick */
	if (!ret)
		ret = ut_wire_num(rm, o, "row", "duration_ns", 0, c->time_ns +
				  DRAIN_SLACK_MS * 1000000ull, &dur);
	if (!ret)
		ret = ut_wire_bool(rm, o, "row", "interrupted", &intr);
	if (ret)
		return ret;
	if (json_object_object_get_ex(o, "error", &e) && e &&
	    !json_object_is_type(e, json_type_object))
		return ut_wire_bad(rm, "row.error", e, "an object");
	/* only a run cut short or failed has no measured phase */
	if (!dur && !intr && !row->interrupted && !e) {
		snprintf(rm->info->msg, sizeof(rm->info->msg), "the server's "
			 "row.duration_ns is 0, yet the run was not interrupted");
		return -EPROTO;
	}
	/* and without one, no figures of it */
	if (!dur && (side.bytes || side.msgs || side.syscalls ||
		     side.cpu_user_pct > 0 || side.cpu_sys_pct > 0)) {
		snprintf(rm->info->msg, sizeof(rm->info->msg), "the server's "
			 "row.side has figures of a measured phase, yet its "
			 "row.duration_ns is 0");
		return -EPROTO;
	}
	/* throughput is the receiver's: its clock and its samples */
	if (rm->local_sender) {
		ret = ut_wire_samples_from(rm, json_object_object_get(o, "intervals"),
					   dur, row);
		if (ret)
			return ret;
		row->duration_ns = dur;
	}
	*peer = side;
	if (intr)
		row->interrupted = true;
	return 0;
}

static int finish(struct ut_remote *rm, const struct ut_bench_config *c,
		  struct ut_bench_row *row, int err, const char *err_step,
		  bool interrupted, const char **step)
{
	struct ut_bench_side *mine = rm->local_sender ? &row->sender : &row->receiver;
	struct ut_bench_side *peer = rm->local_sender ? &row->receiver : &row->sender;
	struct json_object *o, *e;
	volatile sig_atomic_t *stop;
	const char *dummy;
	int ret;

	if (!step)
		step = &dummy;
	if (rm->server) {
		o = ut_wire_msg("row");
		json_object_object_add(o, "side", ut_wire_side_to(mine));
		json_object_object_add(o, "duration_ns", json_object_new_uint64(row->duration_ns));
		json_object_object_add(o, "interrupted", json_object_new_boolean(
			row->interrupted || rm->aborted));
		json_object_object_add(o, "intervals", ut_wire_samples_to(row));
		if (err) {
			e = json_object_new_object();
			ut_wire_add_error(e, err_step ? err_step : "run", err, NULL);
			json_object_object_add(o, "error", e);
		}
		ret = ut_wire_send(rm, o);
		if (ret)
			*step = "control connection";
		return ret;
	}

	if (interrupted) {
		ret = ut_wire_send(rm, ut_wire_msg("stop"));
		if (ret) {
			*step = "server connection";
			return ret;
		}
	}
	/* stopped or not, the server's figures complete the partial row */
	stop = rm->stop;
	rm->stop = NULL;
	ret = ut_wire_expect(rm, "row", (int)((c->warmup_ns + c->time_ns) / 1000000) +
		     DRAIN_SLACK_MS, &o, step);
	rm->stop = stop;
	if (!ret) {
		ret = read_row(rm, c, o, row, peer);
		if (ret)
			*step = ret == -EPROTO ? "control protocol" : "allocate";
	}
	if (ret) {
		/* half a row is no result: without the server's figures, or
		 * with figures it got wrong, the row is dropped */
		row->duration_ns = 0;
		row->interrupted = false;
		json_object_put(o);
		return ret;
	}
	ut_bench_row_derive(c, row);
	if (json_object_object_get_ex(o, "error", &e) && e) {
		ret = ut_wire_peer_error(rm, e);
		*step = rm->info->step;
	}
	json_object_put(o);
	return ret;
}

int ut_remote_finish(struct ut_remote *rm, const struct ut_bench_config *c,
		     struct ut_bench_row *row, int err, const char *err_step,
		     bool interrupted, const char **step)
{
	struct ut_bench_remote_info kept = *rm->info;
	int ret = finish(rm, c, row, err, err_step, interrupted, step);

	/*
	 * A client that failed here reports its own failure: what the server
	 * says of the run (its row's error, a row that fails the checks) must
	 * not replace this host's words next to this host's step.
	 */
	if (err && !rm->server) {
		memcpy(rm->info->step, kept.step, sizeof(kept.step));
		memcpy(rm->info->msg, kept.msg, sizeof(kept.msg));
		rm->info->missing_op = kept.missing_op;
	}
	return ret;
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
	char version[48];
	int ret;

	memset(r, 0, sizeof(*r));
	memset(info, 0, sizeof(*info));
	info->missing_op = -1;
	r->bench = b->name;
	r->remote = info;
	/* the side under test runs here, the other one on the server */
	rm.local_sender = !b->receiver_under_test;
	info->local_sender = rm.local_sender;
	/* until resolved, as given: an IPv6 address in brackets before :port */
	snprintf(info->peer, sizeof(info->peer), strchr(host, ':') ? "[%s]:%u" :
		 "%s:%u", host, port);

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
	o = ut_wire_msg("hello");
	json_object_object_add(o, "version", json_object_new_int(UT_BENCH_PROTO_VERSION));
	json_object_object_add(o, "bench", json_object_new_string(b->name));
	json_object_object_add(o, "client_side", json_object_new_string(
		rm.local_sender ? "sender" : "receiver"));
	json_object_object_add(o, "options", ut_bench_config_to_options(c));
	ret = ut_wire_send(&rm, o);
	if (ret) {
		r->failed_step = "server connection";
		goto out;
	}
	ret = ut_wire_expect(&rm, "hello_ok", CTL_TIMEOUT_MS, &o, &r->failed_step);
	if (ret)
		goto out;
	side = ut_wire_str(o, "server_side");
	if (!ut_wire_version_ok(o, version, sizeof(version))) {
		snprintf(info->msg, sizeof(info->msg), "the server speaks version %.44s, "
			 "this client %d: run the same uring-tool on both hosts", version, UT_BENCH_PROTO_VERSION);
		r->failed_step = "handshake";
		ret = -EPROTO;
	} else if (!side || strcmp(side, rm.local_sender ? "receiver" : "sender")) {
		snprintf(info->msg, sizeof(info->msg), "the server runs the %s",
			 side ? side : "wrong side");
		r->failed_step = "handshake";
		ret = -EPROTO;
	}
	json_object_put(o);
	if (ret)
		goto out;
	ret = ut_bench_run_rows(b, c, r, stop, &rm);
	/* best effort: the server also takes a hang-up as the end */
	ut_wire_send(&rm, ut_wire_msg("bye"));
out:
	ut_remote_free(&rm);
	return r->err = ret;
}
