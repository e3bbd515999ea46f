/* SPDX-License-Identifier: MIT */
/* Sockets for the probes and engines. MSG_NOSIGNAL everywhere: Python
 * ignores SIGPIPE, the CLI must behave the same. */
#ifndef UT_NET_H
#define UT_NET_H

#include <stdbool.h>
#include <sys/socket.h>

/* A listening TCP socket on the loopback of family (AF_INET/AF_INET6),
 * ephemeral port; *port gets it. Returns fd or -errno. */
int ut_tcp_listen_loopback(int family, int backlog, unsigned short *port);
/* Connect a TCP socket to the loopback port (bounded wait). Returns a
 * blocking fd or -errno. */
int ut_tcp_connect_loopback(int family, unsigned short port);
/* A connected TCP pair over loopback: fds[0] client, fds[1] server side. */
int ut_tcp_pair(int family, int fds[2]);
/* A connected UDP pair over loopback: fds[0] sends, fds[1] receives. */
int ut_udp_pair(int family, int fds[2]);
/* SO_SNDBUF and SO_RCVBUF to bytes (the FORCE variants when privileged,
 * so net.core.*mem_max does not clamp). Returns 0 or -errno. */
int ut_sock_set_bufs(int fd, unsigned long long bytes);

/* A numeric IPv4 or IPv6 address (no brackets) and a port. family 0
 * takes either; AF_INET/AF_INET6 insists. Returns 0 or -EINVAL. */
int ut_sockaddr_parse(const char *addr, unsigned short port, int family,
		      struct sockaddr_storage *ss, socklen_t *len);
/* "10.0.0.1:5301" or "[fd00::1]:5301" */
const char *ut_sockaddr_str(const struct sockaddr_storage *ss, char *buf,
			    size_t len);
/* A listening TCP socket on ss (port 0: ephemeral). Returns fd or -errno. */
int ut_tcp_listen_addr(const struct sockaddr_storage *ss, socklen_t len,
		       int backlog);
/* Connect to ss within timeout_ms. Returns a blocking fd or -errno. */
int ut_tcp_connect_addr(const struct sockaddr_storage *ss, socklen_t len,
			int timeout_ms);
/* The port of a bound socket's address. */
unsigned short ut_sockaddr_port(const struct sockaddr_storage *ss);
void ut_sockaddr_set_port(struct sockaddr_storage *ss, unsigned short port);

#endif
