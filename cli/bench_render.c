// SPDX-License-Identifier: MIT
#include "bench_render.h"
#include "cli.h"

#include "ring.h"
#include "abi.h"

#include <string.h>
#include <sys/socket.h>

static const char *size_str(uint64_t v, char *buf, size_t len)
{
	return ut_fmt_bytes(v, buf, len);
}

static const char *dur_str(uint64_t ns, char *buf, size_t len)
{
	if (ns % 1000000000ull == 0)
		snprintf(buf, len, "%llu s", (unsigned long long)(ns / 1000000000ull));
	else
		snprintf(buf, len, "%llu ms", (unsigned long long)(ns / 1000000ull));
	return buf;
}

static void header(FILE *f, const struct ut_bench_config *c,
		   const struct ut_bench_result *r)
{
	char t[32], w[32], lowat[32];

	fprintf(f, "bench %s: %s over %s %s, %u flow%s, depth %u%s, "
		"%s measured after %s warm-up\n", r->bench,
		c->udp ? "UDP" : "TCP", c->family == AF_INET6 ? "IPv6" : "IPv4",
		r->remote ? "between two hosts" : "loopback",
		c->flows, c->flows == 1 ? "" : "s", c->depth,
		c->send_op == UT_SENDOP_BUNDLE ? " (sends: one bundle per flow)" : "",
		dur_str(c->time_ns, t, sizeof(t)),
		dur_str(c->warmup_ns, w, sizeof(w)));
	if (r->remote)
		fprintf(f, "%s %s; the %s runs on the %s %s\n",
			r->remote->server ? "this server runs the" :
					    "this client runs the",
			r->remote->local_sender ? "sender" : "receiver",
			r->remote->local_sender ? "receiver" : "sender",
			r->remote->server ? "client" : "server",
			r->remote->peer);
	if (c->receiver == UT_RECV_COPY)
		fprintf(f, "receiver mode: copy (into user buffers, as iperf3 does)\n");
	else
		fprintf(f, "receiver mode: discard (MSG_TRUNC: the kernel drops the "
			"bytes, as liburing's send-zerocopy does; about 2x copy)\n");
	/* worth about 1.5x on loopback: say so, since iperf3 does not set it */
	if (ut_bench_rcvlowat(c))
		fprintf(f, "receiver wake-ups: at %s queued (SO_RCVLOWAT, both "
			"engines; iperf3 runs as --rcvlowat 0)\n",
			ut_fmt_bytes(ut_bench_rcvlowat(c), lowat, sizeof(lowat)));
}

static void side_desc(FILE *f, const char *who, const struct ut_bench_row *row,
		      const struct ut_bench_side *s)
{
	char flags[160];

	fprintf(f, "%s %s", who, s->op ? s->op : "none");
	if (row->engine != UT_ENGINE_URING)
		return;
	fprintf(f, " (ring %s%s%s)",
		ut_ring_flags_str(s->ring_flags, flags, sizeof(flags)),
		s->fixed_files ? ", fixed files" : "",
		s->fixed_buffers ? ", fixed buffers" : "");
}

/*
 * With SQPOLL, whose CPU columns include the ring's kernel thread (and
 * whose do not: its id could not be read, or an older peer's figures).
 */
static void sq_thread_line(FILE *f, const struct ut_bench_result *r)
{
	static const char *const who[4] = { NULL, "sender's", "receiver's",
					     "sender's and receiver's" };
	unsigned int in = 0, out = 0;

	for (unsigned int i = 0; i < r->nr_rows; i++) {
		const struct ut_bench_side *s[2] = { &r->rows[i].sender,
						     &r->rows[i].receiver };

		for (unsigned int k = 0; k < 2; k++) {
			if (!(s[k]->ring_flags & IORING_SETUP_SQPOLL))
				continue;
			if (s[k]->cpu_sq_thread)
				in |= 1u << k;
			else
				out |= 1u << k;
		}
	}
	if (in)
		fprintf(f, "usr/sys%%: the %s figures include the SQPOLL kernel thread, "
			"which polls (busy even when idle)\n", who[in]);
	if (out)
		fprintf(f, "usr/sys%%: the %s figures leave out the SQPOLL kernel thread "
			"(its id could not be read)\n", who[out]);
}

void ut_bench_render_table(FILE *f, const struct ut_bench_config *c,
			   const struct ut_bench_result *r)
{
	bool zc = ut_bench_result_zerocopy(r);
	const char *note = NULL;
	char sz[32], cu[32], cs[32];
	bool seen[2] = { false, false };

	header(f, c, r);
	fprintf(f, "%9s  %-7s %8s %7s %11s %13s %13s %8s %8s", "size", "engine",
		"Gbit/s", "GB/s", "msgs/s", "snd usr/sys%", "rcv usr/sys%",
		"snd s/m", "rcv s/m");
	if (zc)
		fprintf(f, " %9s", "zc copied");
	if (c->udp)
		fprintf(f, " %10s", "lost");
	fputc('\n', f);
	for (unsigned int i = 0; i < r->nr_rows; i++) {
		const struct ut_bench_row *row = &r->rows[i];

		snprintf(cu, sizeof(cu), "%.0f/%.0f", row->sender.cpu_user_pct,
			 row->sender.cpu_sys_pct);
		snprintf(cs, sizeof(cs), "%.0f/%.0f", row->receiver.cpu_user_pct,
			 row->receiver.cpu_sys_pct);
		fprintf(f, "%9s  %-7s %8.2f %7.2f %11.0f %13s %13s %8.3f %8.3f",
			size_str(row->size, sz, sizeof(sz)),
			ut_bench_engine_name(row->engine), row->gbit_per_s,
			row->gbyte_per_s, row->msgs_per_s, cu, cs,
			row->sender.syscalls_per_msg,
			row->receiver.syscalls_per_msg);
		if (zc) {
			if (row->engine == UT_ENGINE_URING && row->zc_notifs)
				fprintf(f, " %8.1f%%", row->zc_copied_fraction * 100);
			else
				fprintf(f, " %9s", "-");
		}
		if (c->udp && ut_bench_row_lost_known(row))
			fprintf(f, " %10llu", (unsigned long long)row->udp_lost);
		else if (c->udp)
			fprintf(f, " %10s", "-");
		if (row->interrupted)
			fprintf(f, "  (interrupted)");
		fputc('\n', f);
		if (zc && !note && row->engine == UT_ENGINE_URING)
			note = ut_bench_zc_note(row);
	}
	if (c->compare)
		for (unsigned int i = 0; i < c->nr_sizes; i++) {
			double ratio = ut_bench_compare_ratio(r, c->sizes[i]);

			if (ratio > 0)
				fprintf(f, "uring/syscall at %s: %.2fx\n",
					size_str(c->sizes[i], sz, sizeof(sz)), ratio);
		}
	for (unsigned int i = 0; i < r->nr_rows; i++) {
		const struct ut_bench_row *row = &r->rows[i];

		/* one line per engine is enough: every size runs the same way */
		if (seen[row->engine])
			continue;
		seen[row->engine] = true;
		fprintf(f, "%s: ", ut_bench_engine_name(row->engine));
		side_desc(f, "sender", row, &row->sender);
		fprintf(f, "; ");
		side_desc(f, "receiver", row, &row->receiver);
		fputc('\n', f);
	}
	fprintf(f, "s/m: system calls per message (io_uring_enter for uring, "
		"send/recv for syscall)\n");
	sq_thread_line(f, r);
	if (note)
		fprintf(f, "note: %s\n", note);
}

void ut_bench_render_progress(const struct ut_bench_row *row,
			      const struct ut_bench_sample *s, void *arg)
{
	char sz[32];

	fprintf(stderr, "[%8s %-7s] %6.2f-%6.2f s  %10.2f MBytes  %8.2f Gbit/s\n",
		size_str(row->size, sz, sizeof(sz)),
		ut_bench_engine_name(row->engine), s->start_ns / 1e9,
		s->end_ns / 1e9, s->bytes / 1048576.0, s->gbit_per_s);
}

void ut_bench_render_list(FILE *f)
{
	for (unsigned int i = 0; i < ut_bench_count; i++) {
		char op[16];

		fprintf(f, "%-11s %s (needs IORING_OP_%s)\n", ut_benches[i].name,
			ut_benches[i].summary,
			ut_abi_name(&ut_ops, ut_benches[i].required_op, op,
				    sizeof(op)));
	}
}
