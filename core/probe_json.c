// SPDX-License-Identifier: MIT
/*
 * The probe report as its versioned JSON document. The CLI prints it and the
 * Python module turns the same tree into a dict, so their keys cannot drift.
 */
#define _GNU_SOURCE
#include "probe.h"

#include "abi.h"
#include "json_util.h"

#include <json-c/json.h>

#ifndef UT_VERSION
#define UT_VERSION "0.0.0"
#endif

static void add(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

static struct json_object *since_json(unsigned int kv)
{
	char buf[16];

	return kv ? json_object_new_string(ut_kver_str(kv, buf, sizeof(buf))) : NULL;
}

static struct json_object *u64_or_null(uint64_t v)
{
	return v == UINT64_MAX ? NULL : json_object_new_uint64(v);
}

static struct json_object *environment(const struct ut_probe_report *r)
{
	struct json_object *o = json_object_new_object();
	const struct ut_evidence *ev = &r->ev;
	char buf[16];

	add(o, "kernel_release", json_object_new_string(r->kernel_release));
	add(o, "kernel_version", r->kernel_kv ? json_object_new_string(
		ut_kver_str(r->kernel_kv, buf, sizeof(buf))) : NULL);
	add(o, "machine", json_object_new_string(r->machine));
	add(o, "liburing_build", json_object_new_string(r->liburing_build));
	add(o, "liburing_runtime", json_object_new_string(r->liburing_runtime));
	add(o, "uid", json_object_new_int((int)r->uid));
	add(o, "euid", json_object_new_int((int)r->euid));
	add(o, "cap_sys_admin", json_object_new_boolean(ev->cap_sys_admin));
	add(o, "cap_ipc_lock", json_object_new_boolean(ev->cap_ipc_lock));
	add(o, "seccomp_mode", ev->seccomp_mode < 0 ? NULL :
	    json_object_new_int(ev->seccomp_mode));
	add(o, "seccomp_filters", ev->seccomp_filters < 0 ? NULL :
	    json_object_new_int(ev->seccomp_filters));
	add(o, "io_uring_disabled", ev->io_uring_disabled < 0 ? NULL :
	    json_object_new_int(ev->io_uring_disabled));
	add(o, "io_uring_group", ev->io_uring_group < 0 ? NULL :
	    json_object_new_int64(ev->io_uring_group));
	add(o, "in_io_uring_group", json_object_new_boolean(ev->in_io_uring_group));
	add(o, "memlock_limit_bytes", u64_or_null(r->memlock_limit));
	add(o, "max_ring_entries", json_object_new_int((int)r->max_ring_entries));
	add(o, "register_buffer_budget_bytes", r->reg_buf_known ?
	    u64_or_null(r->reg_buf_budget) : NULL);
	add(o, "register_buffer_budget_unlimited", json_object_new_boolean(
	    r->reg_buf_known && r->reg_buf_budget == UINT64_MAX));
	return o;
}

static struct json_object *ring(const struct ut_probe_report *r)
{
	struct json_object *o = json_object_new_object();

	add(o, "entries", json_object_new_int((int)r->entries));
	add(o, "flags", json_object_new_int64(r->flags));
	add(o, "flag_names", ut_json_flag_names(&ut_setup_flags, r->flags));
	add(o, "created", json_object_new_boolean(!r->ring_err));
	add(o, "errno", ut_json_errno(r->ring_err));
	add(o, "sq_entries", json_object_new_int((int)r->sq_entries));
	add(o, "cq_entries", json_object_new_int((int)r->cq_entries));
	return o;
}

static struct json_object *ops(const struct ut_probe_report *r)
{
	struct json_object *a = json_object_new_array();
	char buf[24];
	/* every op the kernel reports, and every op the table knows */
	int last = r->last_op;

	if ((int)ut_ops.len - 1 > last)
		last = (int)ut_ops.len - 1;
	for (int i = 0; i <= last && i < UT_MAX_OPS; i++) {
		const struct ut_name *e = ut_abi_find(&ut_ops, (unsigned int)i);
		struct json_object *o = json_object_new_object();

		add(o, "number", json_object_new_int(i));
		add(o, "name", json_object_new_string(
			ut_abi_name(&ut_ops, (unsigned int)i, buf, sizeof(buf))));
		add(o, "supported", json_object_new_boolean(
			ut_op_supported(r, (unsigned int)i)));
		add(o, "since", e ? since_json(e->since) : NULL);
		add(o, "why_unsupported", ut_json_str_or_null(
			ut_op_why_unsupported(r, (unsigned int)i)));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *setup_flags(const struct ut_probe_report *r)
{
	struct json_object *a = json_object_new_array();

	for (unsigned int b = 0; b < r->nsetup; b++) {
		const struct ut_name *e = ut_abi_find(&ut_setup_flags, b);
		const struct ut_setup_result *s = &r->setup[b];
		struct json_object *o = json_object_new_object();

		add(o, "name", json_object_new_string(e->name));
		add(o, "bit", json_object_new_int((int)b));
		add(o, "value", json_object_new_int64(1ll << b));
		add(o, "accepted", json_object_new_boolean(s->accepted));
		add(o, "errno", ut_json_errno(s->err));
		add(o, "requires", ut_json_str_or_null(e->requires));
		add(o, "since", since_json(e->since));
		add(o, "liburing_ok", json_object_new_boolean(s->liburing_ok));
		add(o, "liburing_errno", ut_json_errno(s->liburing_err));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *features(const struct ut_probe_report *r)
{
	struct json_object *a = json_object_new_array();
	char buf[24];

	for (unsigned int b = 0; b < 32; b++) {
		const struct ut_name *e = ut_abi_find(&ut_features, b);
		bool present = r->features & (1u << b);
		struct json_object *o;

		if (!e && !present)
			continue;
		o = json_object_new_object();
		add(o, "name", json_object_new_string(
			ut_abi_name(&ut_features, b, buf, sizeof(buf))));
		add(o, "bit", json_object_new_int((int)b));
		add(o, "present", json_object_new_boolean(present));
		add(o, "since", e ? since_json(e->since) : NULL);
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *query(const struct ut_query *q)
{
	struct json_object *o = json_object_new_object();

	add(o, "available", json_object_new_boolean(q->ok));
	add(o, "errno", ut_json_errno(q->err));
	if (!q->ok)
		return o;
	add(o, "nr_request_opcodes", json_object_new_int((int)q->nr_request_opcodes));
	add(o, "nr_register_opcodes", json_object_new_int((int)q->nr_register_opcodes));
	add(o, "nr_query_opcodes", json_object_new_int((int)q->nr_query_opcodes));
	add(o, "features", ut_json_flag_names(&ut_features, q->feature_flags));
	add(o, "setup_flags", ut_json_flag_names(&ut_setup_flags, q->ring_setup_flags));
	add(o, "enter_flags", ut_json_flag_names(&ut_enter_flags, q->enter_flags));
	add(o, "sqe_flags", ut_json_flag_names(&ut_sqe_flags, q->sqe_flags));
	{
		struct json_object *regs = json_object_new_array();
		char buf[32];
		for (unsigned int i = 0; i < q->nr_register_opcodes && i < 256; i++)
			json_object_array_add(regs, json_object_new_string(
				ut_abi_name(&ut_register_ops, i, buf, sizeof(buf))));
		add(o, "register_ops", regs);
	}
	return o;
}

static struct json_object *behaviour(const struct ut_probe_report *r)
{
	struct json_object *o = json_object_new_object();

	for (int i = 0; i < UT_BEH_COUNT; i++) {
		const struct ut_behaviour *b = &r->behaviour[i];
		struct json_object *e = json_object_new_object();

		add(e, "status", json_object_new_string(ut_bstatus_token(b->status)));
		add(e, "ok", json_object_new_boolean(b->status == UT_B_OK));
		add(e, "errno", ut_json_errno(b->err));
		add(e, "detail", json_object_new_string(b->detail));
		add(e, "duration_ns", json_object_new_uint64(b->ns));
		if (i == UT_BEH_SEND_ZC)
			add(e, "zc_copied", b->zc_copied < 0 ? NULL :
			    json_object_new_boolean(b->zc_copied));
		add(o, ut_behaviour_names[i], e);
	}
	return o;
}

struct json_object *ut_probe_to_json(const struct ut_probe_report *r)
{
	struct json_object *o = json_object_new_object();

	add(o, "schema", json_object_new_string("uring-tool-probe"));
	add(o, "schema_version", json_object_new_int(UT_PROBE_SCHEMA_VERSION));
	add(o, "tool_version", json_object_new_string(UT_VERSION));
	add(o, "available", json_object_new_boolean(r->diag.available));
	add(o, "reason", ut_json_str_or_null(ut_reason_token(r->diag.reason)));
	add(o, "errno", ut_json_errno(r->ev.setup_errno));
	add(o, "summary", json_object_new_string(r->diag.summary));
	add(o, "fix", ut_json_str_or_null(r->diag.fix));
	add(o, "environment", environment(r));
	add(o, "ring", ring(r));
	add(o, "last_op", r->last_op < 0 ? NULL : json_object_new_int(r->last_op));
	add(o, "ops", ops(r));
	add(o, "setup_flags", setup_flags(r));
	add(o, "features", features(r));
	add(o, "query", query(&r->query));
	add(o, "behaviour", behaviour(r));
	add(o, "duration_ns", json_object_new_uint64(r->duration_ns));
	return o;
}
