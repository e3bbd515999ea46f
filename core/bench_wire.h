/* SPDX-License-Identifier: MIT */
/* Private to the two-host code: the control connection and its messages. */
#ifndef UT_BENCH_WIRE_H
#define UT_BENCH_WIRE_H

#include "bench.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define CTL_TIMEOUT_MS		10000
#define NEXT_RUN_TIMEOUT_MS	60000
#define CONNECT_TIMEOUT_MS	5000
#define DRAIN_SLACK_MS		20000
#define MAX_LINE		(16u << 20)
/* a side's CPU share from the peer above this (a thousand CPUs) is refused */
#define UT_WIRE_MAX_CPU_PCT	100000.0

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

struct json_object *ut_wire_msg(const char *type);
const char *ut_wire_str(struct json_object *o, const char *key);
/* "server" or "client": the peer, as messages name it. */
const char *ut_wire_peer_name(const struct ut_remote *rm);
/*
 * Values from the peer, checked: 0 with *out, or -EPROTO with info->msg
 * naming the field ("the server's row.side.bytes is -1, not ...").
 * name/where is the path in the message: "row", "row.side", "port.ports[1]".
 * Integers must be JSON integers in [min, max]; doubles finite, in [0, max];
 * booleans booleans (an absent one is false).
 */
int ut_wire_bad(struct ut_remote *rm, const char *name, struct json_object *v,
		const char *want);
int ut_wire_uint(struct ut_remote *rm, struct json_object *v, const char *name,
		 uint64_t min, uint64_t max, uint64_t *out);
int ut_wire_num(struct ut_remote *rm, struct json_object *o, const char *where,
		const char *key, uint64_t min, uint64_t max, uint64_t *out);
int ut_wire_dbl(struct ut_remote *rm, struct json_object *o, const char *where,
		const char *key, double max, double *out);
int ut_wire_bool(struct ut_remote *rm, struct json_object *o, const char *where,
		 const char *key, bool *out);
/* step, errno and message (text, or strerror) into o: the one error shape
 * of error messages, a failed ready and a row's error */
void ut_wire_add_error(struct json_object *o, const char *step, int err,
		       const char *text);
/* o["version"] is this build's protocol version; else its text in buf. */
bool ut_wire_version_ok(struct json_object *o, char *buf, size_t len);
int ut_wire_send(struct ut_remote *rm, struct json_object *o);
int ut_wire_recv(struct ut_remote *rm, int timeout_ms,
		 struct json_object **out);
int ut_wire_send_error(struct ut_remote *rm, const char *step, int err,
		       const char *text, int op);
int ut_wire_peer_error(struct ut_remote *rm, struct json_object *o);
int ut_wire_expect(struct ut_remote *rm, const char *type, int timeout_ms,
		   struct json_object **out, const char **step);
struct json_object *ut_wire_side_to(const struct ut_bench_side *s);
/* The peer's side (checked as ut_wire_num), all of it or nothing. */
int ut_wire_side_from(struct ut_remote *rm, struct json_object *o,
		      struct ut_bench_side *s);
/* A row's interval samples as the wire's "intervals" array. */
struct json_object *ut_wire_samples_to(const struct ut_bench_row *row);
/* The peer's samples, in order within [0, duration_ns]: into row if so. */
int ut_wire_samples_from(struct ut_remote *rm, struct json_object *a,
			 uint64_t duration_ns, struct ut_bench_row *row);
void ut_remote_free(struct ut_remote *rm);

/* UDP data flows (bench_remote_udp.c), called by ut_remote_open_flows(). */
int ut_remote_udp_client_flows(struct ut_remote *rm,
			       const struct ut_bench_config *c,
			       struct json_object *port_msg, int (*pairs)[2],
			       int side, const char **step);
int ut_remote_udp_server_flows(struct ut_remote *rm,
			       const struct ut_bench_config *c,
			       int (*pairs)[2], int side, const char **step);

#endif
