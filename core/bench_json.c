// SPDX-License-Identifier: MIT
/* The document of `bench --json`; the Python module returns the same keys. */
#include "bench.h"
#include "bench_impl.h"

#include "abi.h"
#include "json_util.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

/* Locale-proof doubles with a sensible number of digits. */
static struct json_object *num(double v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.6g", v);
	/* "%.6g" obeys LC_NUMERIC: JSON wants a dot */
	for (char *p = buf; *p; p++)
		if (*p == ',')
			*p = '.';
	return json_object_new_double_s(v, buf);
}

static void add(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

static struct json_object *u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

static struct json_object *side_json(const struct ut_bench_result *r,
				     const struct ut_bench_row *row,
				     const struct ut_bench_side *s)
{
	struct json_object *o = json_object_new_object();

	if (r->remote) {
		/* which host ran this side */
		bool here = r->remote->local_sender == (s == &row->sender);

		add(o, "host", json_object_new_string(here == r->remote->server ?
						       "server" : "client"));
	}

	add(o, "op", json_object_new_string(s->op ? s->op : "none"));
	add(o, "bytes", u64(s->bytes));
	add(o, "msgs", u64(s->msgs));
	add(o, "bytes_total", u64(s->bytes_total));
	add(o, "msgs_total", u64(s->msgs_total));
	add(o, "syscalls", u64(s->syscalls));
	add(o, "syscalls_per_msg", num(s->syscalls_per_msg));
	add(o, "cpu_user_pct", num(s->cpu_user_pct));
	add(o, "cpu_sys_pct", num(s->cpu_sys_pct));
	add(o, "cpu_includes_sq_thread", json_object_new_boolean(s->cpu_sq_thread));
	if (row->engine == UT_ENGINE_URING) {
		add(o, "ring_flags", ut_json_flag_names(&ut_setup_flags, s->ring_flags));
		add(o, "fixed_buffers", json_object_new_boolean(s->fixed_buffers));
		add(o, "fixed_files", json_object_new_boolean(s->fixed_files));
	}
	return o;
}

static struct json_object *row_json(const struct ut_bench_config *c,
				    const struct ut_bench_result *r,
				    const struct ut_bench_row *row)
{
	struct json_object *o = json_object_new_object();
	struct json_object *iv = json_object_new_array();
	const char *note;

	add(o, "size_bytes", u64(row->size));
	add(o, "engine", json_object_new_string(ut_bench_engine_name(row->engine)));
	add(o, "receiver_mode", json_object_new_string(ut_bench_receiver_name(c->receiver)));
	add(o, "duration_ns", u64(row->duration_ns));
	add(o, "interrupted", json_object_new_boolean(row->interrupted));
	add(o, "bytes", u64(row->receiver.bytes));
	add(o, "gbit_per_s", num(row->gbit_per_s));
	add(o, "gbyte_per_s", num(row->gbyte_per_s));
	add(o, "msgs_per_s", num(row->msgs_per_s));
	add(o, "sender", side_json(r, row, &row->sender));
	add(o, "receiver", side_json(r, row, &row->receiver));
	if (ut_bench_result_zerocopy(r) && row->engine == UT_ENGINE_URING) {
		add(o, "zc_notifs", u64(row->zc_notifs));
		add(o, "zc_copied", u64(row->zc_copied));
		add(o, "zc_copied_fraction", num(row->zc_copied_fraction));
		add(o, "zc_notif_p50_ns", u64(row->zc_notif_p50_ns));
		add(o, "zc_notif_p99_ns", u64(row->zc_notif_p99_ns));
		note = ut_bench_zc_note(row);
		add(o, "zc_note", note ? json_object_new_string(note) : NULL);
	}
	if (c->udp)
		add(o, "udp_lost", ut_bench_row_lost_known(row) ?
		    u64(row->udp_lost) : NULL);
	for (unsigned int i = 0; i < row->nr_samples; i++) {
		const struct ut_bench_sample *s = &row->samples[i];
		struct json_object *so = json_object_new_object();

		add(so, "start_ns", u64(s->start_ns));
		add(so, "end_ns", u64(s->end_ns));
		add(so, "bytes", u64(s->bytes));
		add(so, "msgs", u64(s->msgs));
		add(so, "gbit_per_s", num(s->gbit_per_s));
		json_object_array_add(iv, so);
	}
	add(o, "intervals", iv);
	return o;
}

struct json_object *ut_bench_result_to_json(const struct ut_bench_config *c,
					    const struct ut_bench_result *r)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *rows = json_object_new_array();

	add(doc, "benchmark", json_object_new_string(r->bench ? r->bench : ""));
	add(doc, "config", ut_bench_config_json(c));
	add(doc, "interrupted", json_object_new_boolean(r->interrupted));
	if (r->remote) {
		struct json_object *rm = json_object_new_object();
		bool s = r->remote->local_sender;

		add(rm, "role", json_object_new_string(r->remote->server ?
						       "server" : "client"));
		add(rm, "peer", json_object_new_string(r->remote->peer));
		add(rm, "client_side", json_object_new_string(
			s != r->remote->server ? "sender" : "receiver"));
		add(rm, "server_side", json_object_new_string(
			s == r->remote->server ? "sender" : "receiver"));
		add(doc, "remote", rm);
	}
	if (r->err) {
		struct json_object *e = json_object_new_object();

		add(e, "step", json_object_new_string(r->failed_step ?
						       r->failed_step : "run"));
		add(e, "errno", ut_json_errno(-r->err));
		add(e, "message", json_object_new_string(
			r->remote && r->remote->msg[0] ? r->remote->msg :
			strerror(-r->err)));
		add(doc, "error", e);
	} else {
		add(doc, "error", NULL);
	}
	for (unsigned int i = 0; i < r->nr_rows; i++)
		json_object_array_add(rows, row_json(c, r, &r->rows[i]));
	add(doc, "results", rows);
	if (c->compare) {
		struct json_object *cmp = json_object_new_array();

		for (unsigned int i = 0; i < c->nr_sizes; i++) {
			double ratio = ut_bench_compare_ratio(r, c->sizes[i]);
			struct json_object *e;

			if (ratio <= 0)
				continue;
			e = json_object_new_object();
			add(e, "size_bytes", u64(c->sizes[i]));
			add(e, "uring_over_syscall", num(ratio));
			json_object_array_add(cmp, e);
		}
		add(doc, "comparisons", cmp);
	}
	return doc;
}
