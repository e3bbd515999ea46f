// SPDX-License-Identifier: MIT
/*
 * A run's figures: snapshots of the workers' live counters, interval
 * samples, and each side's totals, CPU shares, syscalls per message and
 * zero-copy notification figures once the run is over.
 */
#include "bench_impl.h"

#include "stats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void ut_bench_snapshot(struct ut_bench_worker *ws, unsigned int n,
		       struct ut_bench_snap *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned int i = 0; i < n; i++) {
		struct ut_bench_worker *w = &ws[i];
		uint64_t b = atomic_load_explicit(&w->bytes, memory_order_relaxed);
		uint64_t m = atomic_load_explicit(&w->msgs, memory_order_relaxed);
		uint64_t y = atomic_load_explicit(&w->syscalls, memory_order_relaxed);

		if (w->sender) {
			s->sbytes += b;
			s->smsgs += m;
			s->ssys += y;
		} else {
			s->rbytes += b;
			s->rmsgs += m;
			s->rsys += y;
		}
	}
}

int ut_bench_add_sample(struct ut_bench_row *row, uint64_t start, uint64_t end,
			uint64_t bytes, uint64_t msgs)
{
	struct ut_bench_sample *s;

	s = realloc(row->samples, sizeof(*s) * (row->nr_samples + 1));
	if (!s)
		return -ENOMEM;
	row->samples = s;
	s = &s[row->nr_samples++];
	s->start_ns = start;
	s->end_ns = end;
	s->bytes = bytes;
	s->msgs = msgs;
	s->gbit_per_s = ut_gbit_per_s(bytes, end - start);
	return 0;
}

static void side_figures(struct ut_bench_side *side, struct ut_bench_worker *ws,
			 unsigned int n, bool sender, uint64_t dur)
{
	bool first = true;

	for (unsigned int i = 0; i < n; i++) {
		struct ut_bench_worker *w = &ws[i];

		if (w->sender != sender)
			continue;
		side->bytes_total += atomic_load(&w->bytes);
		side->msgs_total += atomic_load(&w->msgs);
		side->cpu_user_pct += ut_cpu_pct(&w->ru0.ru_utime,
						 &w->ru1.ru_utime, dur);
		side->cpu_sys_pct += ut_cpu_pct(&w->ru0.ru_stime,
						&w->ru1.ru_stime, dur);
		/* the SQPOLL thread's, only when read at both ends */
		if (w->sq_ok0 && w->sq_ok1 && w->sq_ns1 >= w->sq_ns0 && dur) {
			side->cpu_sys_pct += (double)(w->sq_ns1 - w->sq_ns0) *
					     100.0 / (double)dur;
			side->cpu_sq_thread = true;
		}
		if (first) {
			side->op = w->op;
			side->ring_flags = w->ring_flags;
			side->fixed_buffers = w->fixed_buffers;
			side->fixed_files = w->fixed_files;
			first = false;
		}
	}
}

void ut_bench_figures(const struct ut_bench_config *c, struct ut_bench_row *row,
		      struct ut_bench_worker *ws, unsigned int n,
		      const struct ut_bench_snap *s0,
		      const struct ut_bench_snap *s1)
{
	uint64_t dur = row->duration_ns, *lat = NULL;
	unsigned int nlat = 0;

	side_figures(&row->sender, ws, n, true, dur);
	side_figures(&row->receiver, ws, n, false, dur);
	row->sender.bytes = s1->sbytes - s0->sbytes;
	row->sender.msgs = s1->smsgs - s0->smsgs;
	row->sender.syscalls = s1->ssys - s0->ssys;
	row->receiver.bytes = s1->rbytes - s0->rbytes;
	row->receiver.msgs = s1->rmsgs - s0->rmsgs;
	row->receiver.syscalls = s1->rsys - s0->rsys;
	ut_bench_row_derive(c, row);

	for (unsigned int i = 0; i < n; i++) {
		row->zc_notifs += ws[i].zc_notifs;
		row->zc_copied += ws[i].zc_copied;
		nlat += ws[i].nr_lat;
	}
	row->zc_copied_fraction = ut_ratio((double)row->zc_copied,
					   (double)row->zc_notifs);
	if (nlat)
		lat = malloc(sizeof(*lat) * nlat);
	if (lat) {
		nlat = 0;
		for (unsigned int i = 0; i < n; i++) {
			if (!ws[i].nr_lat)
				continue;
			memcpy(lat + nlat, ws[i].lat, sizeof(*lat) * ws[i].nr_lat);
			nlat += ws[i].nr_lat;
		}
		row->zc_notif_p50_ns = ut_percentile_u64(lat, nlat, 50);
		row->zc_notif_p99_ns = ut_percentile_u64(lat, nlat, 99);
		free(lat);
	}
}

bool ut_bench_row_lost_known(const struct ut_bench_row *row)
{
	return row->sender.op && row->receiver.op;
}

void ut_bench_row_derive(const struct ut_bench_config *c,
			 struct ut_bench_row *row)
{
	uint64_t dur = row->duration_ns;
	double rmsgs, smsgs;

	row->udp_lost = 0;
	/*
	 * A message is a datagram on UDP, --size bytes on TCP: there the
	 * engines count completions (a receive may take several messages, a
	 * bundle sends many), so every message count derives from bytes.
	 */
	if (c->udp) {
		if (row->sender.msgs_total > row->receiver.msgs_total)
			row->udp_lost = row->sender.msgs_total -
					row->receiver.msgs_total;
	} else {
		struct ut_bench_side *sides[2] = { &row->sender, &row->receiver };

		/* (the samples are counted so as they are taken) */
		for (int i = 0; i < 2; i++) {
			sides[i]->msgs = sides[i]->bytes / row->size;
			sides[i]->msgs_total = sides[i]->bytes_total / row->size;
		}
	}
	smsgs = (double)row->sender.msgs;
	rmsgs = (double)row->receiver.msgs;
	row->sender.syscalls_per_msg = ut_ratio((double)row->sender.syscalls, smsgs);
	row->receiver.syscalls_per_msg = ut_ratio((double)row->receiver.syscalls,
						  rmsgs);
	row->gbit_per_s = ut_gbit_per_s(row->receiver.bytes, dur);
	row->gbyte_per_s = row->gbit_per_s / 8.0;
	row->msgs_per_s = dur ? rmsgs * 1e9 / (double)dur : 0;
}
