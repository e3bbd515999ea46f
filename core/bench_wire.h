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
uint64_t ut_wire_num(struct json_object *o, const char *key);
double ut_wire_dbl(struct json_object *o, const char *key);
int ut_wire_send(struct ut_remote *rm, struct json_object *o);
int ut_wire_recv(struct ut_remote *rm, int timeout_ms,
		 struct json_object **out);
int ut_wire_send_error(struct ut_remote *rm, const char *step, int err,
		       const char *text, int op);
int ut_wire_peer_error(struct ut_remote *rm, struct json_object *o);
int ut_wire_expect(struct ut_remote *rm, const char *type, int timeout_ms,
		   struct json_object **out, const char **step);
struct json_object *ut_wire_side_to(const struct ut_bench_side *s);
void ut_wire_side_from(struct json_object *o, struct ut_bench_side *s);
int ut_wire_samples_from(struct json_object *a, struct ut_bench_row *row);
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
