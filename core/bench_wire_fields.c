// SPDX-License-Identifier: MIT
/*
 * The typed fields of control messages: a peer's numbers, booleans and
 * version checked before use (a broken or hostile peer gets a one-line
 * error naming the field, never figures shown as real), and a side's
 * figures and samples to and from the wire.
 */
#include "bench.h"
#include "bench_wire.h"

#include "stats.h"
#include "util.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A value as the peer wrote it, cut to fit a message, in buf. */
static const char *value_text(struct json_object *v, char *buf, size_t len)
{
	const char *s;

	if (!v) {
		snprintf(buf, len, "missing");
		return buf;
	}
	s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (strlen(s) <= 24 || len < 28)
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "%.24s...", s);
	return buf;
}

int ut_wire_bad(struct ut_remote *rm, const char *name, struct json_object *v,
		const char *want)
{
	char val[32];

	snprintf(rm->info->msg, sizeof(rm->info->msg), "the %s's %s is %s, not %s",
		 ut_wire_peer_name(rm), name, value_text(v, val, sizeof(val)), want);
	return -EPROTO;
}

int ut_wire_uint(struct ut_remote *rm, struct json_object *v, const char *name,
		 uint64_t min, uint64_t max, uint64_t *out)
{
	char want[64];
	uint64_t u;

	/* (a number beyond 64 bits never gets here: see check_ranges) */
	if (json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0) {
		u = json_object_get_uint64(v);
		if (u >= min && u <= max) {
			*out = u;
			return 0;
		}
	}
	if (max == UINT64_MAX)
		snprintf(want, sizeof(want), "an integer >= %llu",
			 (unsigned long long)min);
	else
		snprintf(want, sizeof(want), "an integer from %llu to %llu",
			 (unsigned long long)min, (unsigned long long)max);
	return ut_wire_bad(rm, name, v, want);
}

int ut_wire_num(struct ut_remote *rm, struct json_object *o, const char *where,
		const char *key, uint64_t min, uint64_t max, uint64_t *out)
{
	char name[64];

	snprintf(name, sizeof(name), "%s.%s", where, key);
	return ut_wire_uint(rm, json_object_object_get(o, key), name, min, max,
			    out);
}

int ut_wire_dbl(struct ut_remote *rm, struct json_object *o, const char *where,
		const char *key, double max, double *out)
{
	struct json_object *v = json_object_object_get(o, key);
	char name[64], want[64];
	double d;

	if (json_object_is_type(v, json_type_double) ||
	    json_object_is_type(v, json_type_int)) {
		d = json_object_get_double(v);
		/* false for NaN too */
		if (d >= 0 && d <= max) {
			*out = d;
			return 0;
		}
	}
	snprintf(name, sizeof(name), "%s.%s", where, key);
	snprintf(want, sizeof(want), "a number from 0 to %g", max);
	return ut_wire_bad(rm, name, v, want);
}

int ut_wire_bool(struct ut_remote *rm, struct json_object *o, const char *where,
		 const char *key, bool *out)
{
	struct json_object *v;
	char name[64];

	if (!json_object_object_get_ex(o, key, &v)) {
		*out = false;	/* a key newer than the peer */
		return 0;
	}
	if (json_object_is_type(v, json_type_boolean)) {
		*out = json_object_get_boolean(v);
		return 0;
	}
	snprintf(name, sizeof(name), "%s.%s", where, key);
	return ut_wire_bad(rm, name, v, "true or false");
}

bool ut_wire_version_ok(struct json_object *o, char *buf, size_t len)
{
	struct json_object *v = json_object_object_get(o, "version");

	if (json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) == UT_BENCH_PROTO_VERSION)
		return true;
	value_text(v, buf, len);
	if (v && !json_object_is_type(v, json_type_int) && strlen(buf) + 18 < len)
		strcat(buf, " (not an integer)");
	return false;
}

struct json_object *ut_wire_side_to(const struct ut_bench_side *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "op", json_object_new_string(s->op ? s->op : "none"));
	json_object_object_add(o, "bytes", json_object_new_uint64(s->bytes));
	json_object_object_add(o, "msgs", json_object_new_uint64(s->msgs));
	json_object_object_add(o, "bytes_total", json_object_new_uint64(s->bytes_total));
	json_object_object_add(o, "msgs_total", json_object_new_uint64(s->msgs_total));
	json_object_object_add(o, "syscalls", json_object_new_uint64(s->syscalls));
	json_object_object_add(o, "cpu_user_pct", json_object_new_double(s->cpu_user_pct));
	json_object_object_add(o, "cpu_sys_pct", json_object_new_double(s->cpu_sys_pct));
	json_object_object_add(o, "cpu_includes_sq_thread",
			       json_object_new_boolean(s->cpu_sq_thread));
	json_object_object_add(o, "ring_flags", json_object_new_uint64(s->ring_flags));
	json_object_object_add(o, "fixed_buffers", json_object_new_boolean(s->fixed_buffers));
	json_object_object_add(o, "fixed_files", json_object_new_boolean(s->fixed_files));
	return o;
}

struct json_object *ut_wire_samples_to(const struct ut_bench_row *row)
{
	struct json_object *a = json_object_new_array();

	for (unsigned int i = 0; i < row->nr_samples; i++) {
		const struct ut_bench_sample *x = &row->samples[i];
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "start_ns", json_object_new_uint64(x->start_ns));
		json_object_object_add(e, "end_ns", json_object_new_uint64(x->end_ns));
		json_object_object_add(e, "bytes", json_object_new_uint64(x->bytes));
		json_object_object_add(e, "msgs", json_object_new_uint64(x->msgs));
		json_object_array_add(a, e);
	}
	return a;
}

/* The op names the engines use, so a side's op stays a static string. */
static const char *op_name(const char *s)
{
	/* every op an engine reports (w->op), so a peer's name maps back */
	static const char *const ops[] = { "send", "send_bundle", "send_zc",
		"sendmsg_zc", "recv", "recv_multishot", "recv_bundle", "send(2)",
		"recv(2)" };

	for (unsigned int i = 0; s && i < UT_ARRAY_SIZE(ops); i++)
		if (!strcmp(s, ops[i]))
			return ops[i];
	return "unknown";
}

int ut_wire_side_from(struct ut_remote *rm, struct json_object *o,
		      struct ut_bench_side *s)
{
	struct ut_bench_side v = { .op = op_name(ut_wire_str(o, "op")) };
	const char *w = "row.side";
	uint64_t flags;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return ut_wire_bad(rm, w, o, "an object");
	ret = ut_wire_num(rm, o, w, "bytes", 0, UINT64_MAX, &v.bytes);
	if (!ret)
		ret = ut_wire_num(rm, o, w, "msgs", 0, UINT64_MAX, &v.msgs);
	if (!ret)
		ret = ut_wire_num(rm, o, w, "bytes_total", v.bytes, UINT64_MAX,
				  &v.bytes_total);
	if (!ret)
		ret = ut_wire_num(rm, o, w, "msgs_total", v.msgs, UINT64_MAX,
				  &v.msgs_total);
	if (!ret)
		ret = ut_wire_num(rm, o, w, "syscalls", 0, UINT64_MAX, &v.syscalls);
	if (!ret)
		ret = ut_wire_dbl(rm, o, w, "cpu_user_pct", UT_WIRE_MAX_CPU_PCT,
				  &v.cpu_user_pct);
	if (!ret)
		ret = ut_wire_dbl(rm, o, w, "cpu_sys_pct", UT_WIRE_MAX_CPU_PCT,
				  &v.cpu_sys_pct);
	/* absent from older peers: their figures leave the SQ thread out */
	if (!ret)
		ret = ut_wire_bool(rm, o, w, "cpu_includes_sq_thread",
				   &v.cpu_sq_thread);
	if (!ret)
		ret = ut_wire_num(rm, o, w, "ring_flags", 0, UINT32_MAX, &flags);
	if (!ret)
		ret = ut_wire_bool(rm, o, w, "fixed_buffers", &v.fixed_buffers);
	if (!ret)
		ret = ut_wire_bool(rm, o, w, "fixed_files", &v.fixed_files);
	if (ret)
		return ret;
	v.ring_flags = (uint32_t)flags;
	*s = v;
	return 0;
}

int ut_wire_samples_from(struct ut_remote *rm, struct json_object *a,
			 uint64_t duration_ns, struct ut_bench_row *row)
{
	size_t n = json_object_is_type(a, json_type_array) ?
		   json_object_array_length(a) : 0;
	struct ut_bench_sample *s = n ? calloc(n, sizeof(*s)) : NULL;
	char w[40];
	int ret = 0;

	if (!json_object_is_type(a, json_type_array))
		return ut_wire_bad(rm, "row.intervals", a, "an array");
	if (n && !s)
		return -ENOMEM;
	for (size_t i = 0; !ret && i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		/* relative to the measured phase: inside it, in order */
		snprintf(w, sizeof(w), "row.intervals[%zu]", i);
		if (!json_object_is_type(e, json_type_object))
			ret = ut_wire_bad(rm, w, e, "an object");
		if (!ret)
			ret = ut_wire_num(rm, e, w, "start_ns", i ? s[i - 1].end_ns : 0,
					  duration_ns, &s[i].start_ns);
		if (!ret)
			ret = ut_wire_num(rm, e, w, "end_ns", s[i].start_ns,
					  duration_ns, &s[i].end_ns);
		if (!ret)
			ret = ut_wire_num(rm, e, w, "bytes", 0, UINT64_MAX,
					  &s[i].bytes);
		if (!ret)
			ret = ut_wire_num(rm, e, w, "msgs", 0, UINT64_MAX,
					  &s[i].msgs);
		if (!ret)
			s[i].gbit_per_s = ut_gbit_per_s(s[i].bytes,
							s[i].end_ns - s[i].start_ns);
	}
	if (ret) {
		free(s);
		return ret;
	}
	free(row->samples);
	row->samples = s;
	row->nr_samples = (unsigned int)n;
	return 0;
}
