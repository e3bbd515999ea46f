// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static socklen_t loopback(int family, unsigned short port,
			  struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		a->sin6_port = htons(port);
		return sizeof(*a);
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a->sin_port = htons(port);
	return sizeof(*a);
}

/* loopback connects complete at once; the bound only guards a full backlog */
#define LOOPBACK_CONNECT_MS	5000

int ut_tcp_listen_loopback(int family, int backlog, unsigned short *port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, 0, &ss);
	int fd = ut_tcp_listen_addr(&ss, len, backlog), ret;

	if (fd < 0)
		return fd;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	*port = ut_sockaddr_port(&ss);
	return fd;
}

int ut_tcp_connect_loopback(int family, unsigned short port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, port, &ss);

	return ut_tcp_connect_addr(&ss, len, LOOPBACK_CONNECT_MS);
}

int ut_tcp_pair(int family, int fds[2])
{
	unsigned short port;
	int lfd, c, s;

	lfd = ut_tcp_listen_loopback(family, 1, &port);
	if (lfd < 0)
		return lfd;
	c = ut_tcp_connect_loopback(family, port);
	if (c < 0) {
		close(lfd);
		return c;
	}
	do {
		s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	} while (s < 0 && errno == EINTR);
	if (s < 0) {
		s = -errno;
		close(c);
		close(lfd);
		return s;
	}
	close(lfd);
	fds[0] = c;
	fds[1] = s;
	return 0;
}

static int udp_bound(int family)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, 0, &ss);
	int fd, ret;

	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

/* Point a at b's address. */
static int udp_connect_to(int a, int b)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(b, (struct sockaddr *)&ss, &len) < 0 ||
	    connect(a, (struct sockaddr *)&ss, len) < 0)
		return -errno;
	return 0;
}

int ut_udp_pair(int family, int fds[2])
{
	int s, r, ret;

	s = udp_bound(family);
	if (s < 0)
		return s;
	r = udp_bound(family);
	if (r < 0) {
		close(s);
		return r;
	}
	ret = udp_connect_to(s, r);
	if (!ret)
		ret = udp_connect_to(r, s);
	if (ret) {
		close(s);
		close(r);
		return ret;
	}
	fds[0] = s;
	fds[1] = r;
	return 0;
}

int ut_sock_set_bufs(int fd, unsigned long long bytes)
{
	int v = bytes > (1u << 30) ? (1 << 30) : (int)bytes;

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) < 0)
		return -errno;
	return 0;
}

int ut_sockaddr_parse(const char *addr, unsigned short port, int family,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family != AF_INET6 && inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		*len = sizeof(*a4);
		return 0;
	}
	if (family != AF_INET && inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		*len = sizeof(*a6);
		return 0;
	}
	return -EINVAL;
}

unsigned short ut_sockaddr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

void ut_sockaddr_set_port(struct sockaddr_storage *ss, unsigned short port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

const char *ut_sockaddr_str(const struct sockaddr_storage *ss, char *buf,
			    size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";

	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
		/* an IPv4 client of a dual-stack listener */
		inet_ntop(AF_INET, &a6->sin6_addr.s6_addr[12], host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ut_sockaddr_port(ss));
	} else if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &a6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, ut_sockaddr_port(ss));
	} else {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr,
			  host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ut_sockaddr_port(ss));
	}
	return buf;
}

int ut_tcp_listen_addr(const struct sockaddr_storage *ss, socklen_t len,
		       int backlog)
{
	int fd, ret, one = 1;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) < 0 ||
	    listen(fd, backlog) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

int ut_tcp_connect_addr(const struct sockaddr_storage *ss, socklen_t len,
			int timeout_ms)
{
	struct pollfd pfd;
	socklen_t elen = sizeof(int);
	int fd, ret, err = 0;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)ss, len) < 0) {
		if (errno != EINPROGRESS) {
			ret = -errno;
			goto fail;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		do {
			ret = poll(&pfd, 1, timeout_ms);
		} while (ret < 0 && errno == EINTR);
		if (ret <= 0) {
			ret = ret ? -errno : -ETIMEDOUT;
			goto fail;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
			err = errno;
		if (err) {
			ret = -err;
			goto fail;
		}
	}
	if (fcntl(fd, F_SETFL, 0) < 0) {
		ret = -errno;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return ret;
}
