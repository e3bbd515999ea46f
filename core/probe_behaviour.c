// SPDX-License-Identifier: MIT
/*
 * Behaviour probes: each runs a real operation, bounded in time. With
 * isolate set, each runs in a child process so that one which hangs or
 * crashes cannot take the others (or the caller) down.
 */
#define _GNU_SOURCE
#include "probe.h"
#include "probe_ops.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

const char *const ut_behaviour_names[UT_BEH_COUNT] = {
	[UT_BEH_ACCEPT_MULTISHOT] = "accept_multishot",
	[UT_BEH_RECV_MULTISHOT] = "recv_multishot",
	[UT_BEH_RECV_BUNDLE] = "recv_bundle",
	[UT_BEH_SEND_ZC] = "send_zc",
	[UT_BEH_SOCKET] = "socket",
	[UT_BEH_DEFER_TASKRUN] = "defer_taskrun",
};

static void (*const runners[UT_BEH_COUNT])(unsigned int, struct ut_behaviour *) = {
	[UT_BEH_ACCEPT_MULTISHOT] = ut_beh_accept_multishot,
	[UT_BEH_RECV_MULTISHOT] = ut_beh_recv_multishot,
	[UT_BEH_RECV_BUNDLE] = ut_beh_recv_bundle,
	[UT_BEH_SEND_ZC] = ut_beh_send_zc,
	[UT_BEH_SOCKET] = ut_beh_socket,
	[UT_BEH_DEFER_TASKRUN] = ut_beh_defer_taskrun,
};

const char *ut_bstatus_token(enum ut_bstatus s)
{
	switch (s) {
	case UT_B_OK: return "ok";
	case UT_B_UNSUPPORTED: return "unsupported";
	case UT_B_FAILED: return "failed";
	case UT_B_TIMEOUT: return "timeout";
	case UT_B_SKIPPED: return "skipped";
	}
	return "failed";
}

int ut_behaviour_lookup(const char *name)
{
	for (int i = 0; i < UT_BEH_COUNT; i++)
		if (!strcasecmp(name, ut_behaviour_names[i]))
			return i;
	return -1;
}

void ut_beh_set(struct ut_behaviour *b, enum ut_bstatus st, int err,
		const char *fmt, ...)
{
	va_list ap;

	b->status = st;
	b->err = err;
	va_start(ap, fmt);
	vsnprintf(b->detail, sizeof(b->detail), fmt, ap);
	va_end(ap);
}

/* The result comes back through a pipe; a hung child is killed. */
static void run_isolated(int id, unsigned int timeout_ms, struct ut_behaviour *out)
{
	struct pollfd pfd;
	int fds[2], status = 0;
	ssize_t n = 0;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		ut_beh_set(out, UT_B_FAILED, errno, "pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		ut_beh_set(out, UT_B_FAILED, errno, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		struct ut_behaviour r = *out;
		close(fds[0]);
		runners[id](timeout_ms, &r);
		if (write(fds[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	/* the child has its own bound; this one catches a wedged child */
	int ready;
	do {
		ready = poll(&pfd, 1, (int)timeout_ms + 500);
	} while (ready < 0 && errno == EINTR);
	if (ready > 0) {
		do {
			n = read(fds[0], out, sizeof(*out));
		} while (n < 0 && errno == EINTR);
	}
	if (ready <= 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	close(fds[0]);
	if (ready == 0)
		ut_beh_set(out, UT_B_TIMEOUT, ETIMEDOUT,
			   "no result within %u ms", timeout_ms + 500);
	else if (n != (ssize_t)sizeof(*out))
		ut_beh_set(out, UT_B_FAILED, 0, "probe process died (%s %d)",
			   WIFSIGNALED(status) ? "signal" : "status",
			   WIFSIGNALED(status) ? WTERMSIG(status) :
						 WEXITSTATUS(status));
}

void ut_behaviour_run(int id, unsigned int timeout_ms, bool isolate,
		      struct ut_behaviour *out)
{
	uint64_t t0 = ut_now_ns();

	memset(out, 0, sizeof(*out));
	out->zc_copied = -1;
	if (id < 0 || id >= UT_BEH_COUNT) {
		ut_beh_set(out, UT_B_FAILED, EINVAL, "no such behaviour probe");
		return;
	}
	if (isolate)
		run_isolated(id, timeout_ms, out);
	else
		runners[id](timeout_ms, out);
	out->ns = ut_now_ns() - t0;
}
