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

#endif
