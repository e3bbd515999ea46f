// SPDX-License-Identifier: MIT
/*
 * Two hosts over UDP: the data "connections" are connected UDP sockets.
 * The server binds one socket per flow and sends their ports in its `port`
 * message ("ports"); the client connects a socket to each and sends one
 * hello datagram through it, from which the server learns the client's
 * address and connects back. Only then does the server report ready, so
 * the hellos are never counted as data.
 */
#define _GNU_SOURCE
#include "bench_impl.h"
#include "bench_wire.h"

#include "net.h"
#include "util.h"

#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define HELLO		"uring-tool bench udp hello"
#define HELLO_LEN	(sizeof(HELLO) - 1)

static int udp_socket(int family)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	return fd < 0 ? -errno : fd;
}

int ut_remote_udp_client_flows(struct ut_remote *rm,
			       const struct ut_bench_config *c,
			       struct json_object *port_msg, int (*pairs)[2],
			       int side, const char **step)
{
	struct json_object *ports = json_object_object_get(port_msg, "ports");
	struct sockaddr_storage ss = rm->data;

	if (!json_object_is_type(ports, json_type_array) ||
	    json_object_array_length(ports) != c->flows) {
		*step = "control protocol";
		return ut_wire_bad(rm, "port.ports", ports, "a port per flow");
	}
	for (unsigned int f = 0; f < c->flows; f++) {
		int fd = udp_socket(ss.ss_family), ret;
		uint64_t port;
		char name[32];

		if (fd < 0) {
			*step = "data socket";
			return fd;
		}
		pairs[f][side] = fd;
		snprintf(name, sizeof(name), "port.ports[%u]", f);
		ret = ut_wire_uint(rm, json_object_array_get_idx(ports, f), name,
				   1, 65535, &port);
		if (ret) {
			*step = "control protocol";
			return ret;
		}
		ut_sockaddr_set_port(&ss, (unsigned short)port);
		if (connect(fd, (struct sockaddr *)&ss, rm->data_len) < 0 ||
		    send(fd, HELLO, HELLO_LEN, MSG_NOSIGNAL) < 0) {
			*step = "data connection";
			return -errno;
		}
	}
	return 0;
}

/* Wait (bounded) for flow fd's hello and connect back to its sender. */
static int await_hello(struct ut_remote *rm, int fd)
{
	uint64_t deadline = ut_now_ns() + CTL_TIMEOUT_MS * 1000000ull;
	struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN },
				 { .fd = rm->ctl, .events = POLLIN } };
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	char buf[64];
	ssize_t n;
	int ret;

	do {
		ret = poll(pfd, 2, 100);
		if (rm->stop && *rm->stop)
			return -EINTR;
		if (ret > 0 && pfd[1].revents)
			return -ECONNRESET;	/* the client gave up */
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ut_now_ns() > deadline)
			return -ETIMEDOUT;
	} while (ret <= 0 || !pfd[0].revents);
	n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
		     &flen);
	if (n < 0)
		return -errno;
	if ((size_t)n != HELLO_LEN || memcmp(buf, HELLO, HELLO_LEN))
		return -EPROTO;
	return connect(fd, (struct sockaddr *)&from, flen) < 0 ? -errno : 0;
}

int ut_remote_udp_server_flows(struct ut_remote *rm,
			       const struct ut_bench_config *c,
			       int (*pairs)[2], int side, const char **step)
{
	struct sockaddr_storage ss = rm->data;
	struct json_object *o, *ports;
	socklen_t len;
	int ret;

	ut_sockaddr_set_port(&ss, 0);
	o = ut_wire_msg("port");
	ports = json_object_new_array();
	json_object_object_add(o, "ports", ports);
	for (unsigned int f = 0; f < c->flows; f++) {
		int fd = udp_socket(ss.ss_family);
		struct sockaddr_storage b = ss;

		ret = fd;
		if (fd >= 0) {
			pairs[f][side] = fd;
			len = sizeof(b);
			ret = bind(fd, (struct sockaddr *)&ss, rm->data_len) < 0 ||
			      getsockname(fd, (struct sockaddr *)&b, &len) < 0 ?
			      -errno : 0;
		}
		if (ret) {
			json_object_put(o);
			*step = "data socket";
			ut_wire_send_error(rm, *step, ret, NULL, -1);
			return ret;
		}
		json_object_array_add(ports, json_object_new_int(ut_sockaddr_port(&b)));
	}
	ret = ut_wire_send(rm, o);
	if (ret) {
		*step = "control connection";
		return ret;
	}
	for (unsigned int f = 0; f < c->flows; f++) {
		ret = await_hello(rm, pairs[f][side]);
		if (ret) {
			*step = "data connection";
			return ret;
		}
	}
	return 0;
}
