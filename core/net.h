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
/* Connect a TCP socket to the loopback port. Returns fd or -errno. */
int ut_tcp_connect_loopback(int family, unsigned short port);
/* A connected TCP pair over loopback: fds[0] client, fds[1] server side. */
int ut_tcp_pair(int family, int fds[2]);
/* A connected UDP pair over loopback: fds[0] sends, fds[1] receives. */
int ut_udp_pair(int family, int fds[2]);
/* SO_SNDBUF and SO_RCVBUF to bytes (the FORCE variants when privileged,
 * so net.core.*mem_max does not clamp). Returns 0 or -errno. */
int ut_sock_set_bufs(int fd, unsigned long long bytes);

#endif
