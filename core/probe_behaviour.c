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

/* A probe running in a child; its result comes back through a pipe. */
struct child {
	pid_t pid;
	int fd;
	ssize_t got;
	uint64_t t0;
};

static void child_start(int id, unsigned int timeout_ms, struct child *ch,
			struct ut_behaviour *out)
{
	int fds[2];

	ch->pid = -1;
	ch->fd = -1;
	ch->got = 0;
	ch->t0 = ut_now_ns();
	if (pipe2(fds, O_CLOEXEC) < 0) {
		ut_beh_set(out, UT_B_FAILED, errno, "pipe: %s", strerror(errno));
		return;
	}
	ch->pid = fork();
	if (ch->pid < 0) {
		ut_beh_set(out, UT_B_FAILED, errno, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (ch->pid == 0) {
		struct ut_behaviour r = *out;
		uint64_t t0 = ut_now_ns();

		close(fds[0]);
		runners[id](timeout_ms, &r);
		r.ns = ut_now_ns() - t0;
		if (write(fds[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	ch->fd = fds[0];
}

/* Collect every child; one that has not answered by the deadline is killed. */
static void children_finish(struct child *ch, struct ut_behaviour *out, int n,
			    unsigned int timeout_ms)
{
	/* each child has its own bound; this one catches a wedged child */
	uint64_t deadline = ut_now_ns() + (timeout_ms + 500ull) * 1000000ull;

	for (;;) {
		struct pollfd pfd[UT_BEH_COUNT];
		int idx[UT_BEH_COUNT], np = 0, ready;
		uint64_t now = ut_now_ns();

		for (int i = 0; i < n; i++)
			if (ch[i].fd >= 0) {
				pfd[np].fd = ch[i].fd;
				pfd[np].events = POLLIN;
				idx[np++] = i;
			}
		if (!np || now >= deadline)
			break;
		ready = poll(pfd, (nfds_t)np, (int)((deadline - now) / 1000000ull) + 1);
		if (ready < 0 && errno != EINTR)
			break;
		for (int k = 0; ready > 0 && k < np; k++) {
			struct child *c = &ch[idx[k]];
			if (!pfd[k].revents)
				continue;
			do {
				c->got = read(c->fd, &out[idx[k]], sizeof(out[0]));
			} while (c->got < 0 && errno == EINTR);
			close(c->fd);
			c->fd = -1;
		}
	}
	for (int i = 0; i < n; i++) {
		int status = 0;

		if (ch[i].pid < 0)
			continue;
		if (ch[i].fd >= 0) {
			kill(ch[i].pid, SIGKILL);
			close(ch[i].fd);
			ut_beh_set(&out[i], UT_B_TIMEOUT, ETIMEDOUT,
				   "no result within %u ms", timeout_ms + 500);
			ch[i].got = sizeof(out[0]);
		}
		while (waitpid(ch[i].pid, &status, 0) < 0 && errno == EINTR)
			;
		if (ch[i].got != (ssize_t)sizeof(out[0]))
			ut_beh_set(&out[i], UT_B_FAILED, 0,
				   "probe process died (%s %d)",
				   WIFSIGNALED(status) ? "signal" : "status",
				   WIFSIGNALED(status) ? WTERMSIG(status) :
							 WEXITSTATUS(status));
		if (out[i].status == UT_B_TIMEOUT || out[i].status == UT_B_FAILED)
			if (!out[i].ns)
				out[i].ns = ut_now_ns() - ch[i].t0;
	}
}

static void reset(struct ut_behaviour *out)
{
	memset(out, 0, sizeof(*out));
	out->zc_copied = -1;
}

void ut_behaviour_run_all(unsigned int timeout_ms, bool isolate, bool concurrent,
			  struct ut_behaviour out[UT_BEH_COUNT])
{
	struct child ch[UT_BEH_COUNT];

	for (int i = 0; i < UT_BEH_COUNT; i++)
		reset(&out[i]);
	if (!isolate || !concurrent) {
		for (int i = 0; i < UT_BEH_COUNT; i++)
			ut_behaviour_run(i, timeout_ms, isolate, &out[i]);
		return;
	}
	/* all at once: the total is the slowest probe, not the sum */
	for (int i = 0; i < UT_BEH_COUNT; i++)
		child_start(i, timeout_ms, &ch[i], &out[i]);
	children_finish(ch, out, UT_BEH_COUNT, timeout_ms);
}

void ut_behaviour_run(int id, unsigned int timeout_ms, bool isolate,
		      struct ut_behaviour *out)
{
	uint64_t t0 = ut_now_ns();
	struct child ch;

	reset(out);
	if (id < 0 || id >= UT_BEH_COUNT) {
		ut_beh_set(out, UT_B_FAILED, EINVAL, "no such behaviour probe");
		return;
	}
	if (isolate) {
		child_start(id, timeout_ms, &ch, out);
		children_finish(&ch, out, 1, timeout_ms);
		return;
	}
	runners[id](timeout_ms, out);
	out->ns = ut_now_ns() - t0;
}
