// SPDX-License-Identifier: MIT
/* The benchmark registry, the config's defaults and its cross-option checks. */
#define _GNU_SOURCE
#include "bench.h"
#include "bench_impl.h"

#include "util.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>

const struct ut_bench ut_benches[] = {
	{ "recv", "receiver under test: recv, multishot recv, recv bundles",
	  IORING_OP_RECV, false, true, ut_bench_run_all },
	{ "send", "sender under test: IORING_OP_SEND",
	  IORING_OP_SEND, false, false, ut_bench_run_all },
	{ "sendmsg_zc", "sender under test: IORING_OP_SENDMSG_ZC with usage reports",
	  IORING_OP_SENDMSG_ZC, true, false, ut_bench_run_all },
	{ "sendzc", "sender under test: IORING_OP_SEND_ZC with usage reports",
	  IORING_OP_SEND_ZC, true, false, ut_bench_run_all },
};
const unsigned int ut_bench_count = UT_ARRAY_SIZE(ut_benches);

bool ut_bench_result_zerocopy(const struct ut_bench_result *r)
{
	const struct ut_bench *b = r->bench ? ut_bench_find(r->bench) : NULL;

	return b && b->zerocopy;
}

const struct ut_bench *ut_bench_find(const char *name)
{
	for (unsigned int i = 0; i < ut_bench_count; i++)
		if (!strcmp(ut_benches[i].name, name))
			return &ut_benches[i];
	return NULL;
}

void ut_bench_config_init(struct ut_bench_config *c)
{
	memset(c, 0, sizeof(*c));
	c->sizes[0] = UT_BENCH_TCP_SIZE;
	c->nr_sizes = 1;
	c->time_ns = 2000000000ull;
	c->warmup_ns = 500000000ull;
	c->interval_ns = 1000000000ull;
	c->family = AF_INET;
	c->flows = 1;
	c->depth = 8;
	c->fixed_buffers = true;
	c->fixed_files = true;
	c->defer_taskrun = true;
	c->engine = UT_ENGINE_URING;
	c->receiver = UT_RECV_COPY;
	c->recv_op = UT_RECVOP_AUTO;
	/*
	 * Wake TCP receivers only once 512 KiB is queued: fewer wakeups and
	 * window-update ACKs for the busy sender, bigger reads (the kernel
	 * still wakes early on FIN, a small window or memory pressure).
	 * Loopback, 64 KiB, copying: about 1.5x for both engines, so both set
	 * it and the uring/syscall ratio stays about io_uring; 512 KiB lets
	 * one recv bundle take 8 buffers per wakeup. iperf3 does not set it.
	 */
	c->rcvlowat = 512 << 10;
	c->cpu_sender = -1;
	c->cpu_receiver = -1;
}

/* A CPU this process may run on (sched_getaffinity), for --cpu. */
static bool cpu_allowed(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return true;
	if (sched_getaffinity(0, sizeof(set), &set))
		return true;	/* cannot tell: let the worker's pinning say */
	return cpu < CPU_SETSIZE && CPU_ISSET(cpu, &set);
}

int ut_bench_config_check(const struct ut_bench *b,
			  const struct ut_bench_config *c, const char **key,
			  const char **why)
{
	uint64_t max = c->family == AF_INET6 ? UT_UDP_MAX_PAYLOAD6 :
					       UT_UDP_MAX_PAYLOAD4;

	*key = NULL;
	*why = NULL;
	if (c->udp) {
		for (unsigned int i = 0; i < c->nr_sizes; i++)
			if (c->sizes[i] > max) {
				*key = "size";
				*why = c->family == AF_INET6 ?
				       "UDP payload over IPv6 is at most 65527 bytes" :
				       "UDP payload over IPv4 is at most 65507 bytes";
				return -ERANGE;
			}
	}
	if (c->udp && c->send_op == UT_SENDOP_BUNDLE) {
		/* a bundle is one sendmsg: on UDP, one datagram of them all */
		*key = "send-op";
		*why = "bundles are TCP only (on UDP a bundle would be one datagram)";
		return -EINVAL;
	}
	if (b && b->zerocopy && c->send_op == UT_SENDOP_BUNDLE) {
		*key = "send-op";
		*why = "bundles are for the send and recv benchmarks; the "
		       "zero-copy ones send with their own op";
		return -EINVAL;
	}
	if (!cpu_allowed(c->cpu_sender) || !cpu_allowed(c->cpu_receiver)) {
		*key = "cpu";
		*why = "not a CPU this process may run on";
		return -EINVAL;
	}
	if (c->nr_sizes < 1 || c->nr_sizes > UT_BENCH_MAX_SIZES) {
		*key = "size";
		*why = "between 1 and 16 sizes";
		return -EINVAL;
	}
	return 0;
}

double ut_bench_compare_ratio(const struct ut_bench_result *r, uint64_t size)
{
	double u = 0, s = 0;

	for (unsigned int i = 0; i < r->nr_rows; i++) {
		const struct ut_bench_row *row = &r->rows[i];

		if (row->size != size || row->interrupted)
			continue;
		if (row->engine == UT_ENGINE_URING)
			u = row->gbit_per_s;
		else
			s = row->gbit_per_s;
	}
	return s > 0 ? u / s : 0;
}

const char *ut_bench_zc_note(const struct ut_bench_row *row)
{
	if (!row->zc_notifs)
		return NULL;
	if (row->zc_copied_fraction >= 0.5)
		return "the kernel copied the zero-copy sends (always so on loopback "
		       "and veth): this measures SEND_ZC's overhead, not zero copy; "
		       "run between two hosts to see its gain";
	if (row->zc_copied)
		return "the kernel copied part of the zero-copy sends: the NIC or "
		       "route could not always send from user pages";
	return "the kernel sent from user pages without copying";
}
