// SPDX-License-Identifier: MIT
/*
 * What the renderers read from a probe report: whether an opcode is
 * supported and why not, errno names, and the registered-buffer budget in
 * the JSON document, on synthetic reports.
 */
#include "ut_test.h"

#include "probe.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdint.h>

static void check_op(const struct ut_probe_report *r, unsigned int op,
		     const char *want_why)
{
	CHECK_INT(ut_op_supported(r, op), want_why == NULL);
	CHECK_STR(ut_op_why_unsupported(r, op), want_why);
}

static void test_ops(void)
{
	struct ut_probe_report *r = calloc(1, sizeof(*r));

	if (!r)
		exit(T_EXIT_FAIL);
	/* no ring to ask: nothing is supported, stale flags or not */
	r->last_op = -1;
	r->op_supported[0] = true;
	check_op(r, 0, "io_uring_unavailable");
	check_op(r, 300, "io_uring_unavailable");

	/* a kernel that reports ops 0..40, 7 compiled out */
	r->last_op = 40;
	for (int i = 0; i <= 40; i++)
		r->op_supported[i] = i != 7;
	r->op_supported[41] = true;	/* beyond last_op: never trusted */
	check_op(r, 0, NULL);
	check_op(r, 40, NULL);
	check_op(r, 7, "not_built_in");
	check_op(r, 41, "kernel_too_old");
	check_op(r, 255, "kernel_too_old");

	/* a kernel claiming the whole table: its last op, and one past it */
	r->last_op = 255;
	r->op_supported[UT_MAX_OPS - 1] = true;
	check_op(r, UT_MAX_OPS - 1, NULL);
	check_op(r, UT_MAX_OPS, "kernel_too_old");
	free(r);
}

static void test_errno_str(void)
{
	char buf[24];

	CHECK_STR(ut_errno_str(EINVAL, buf, sizeof(buf)), "EINVAL");
	CHECK_STR(ut_errno_str(EOPNOTSUPP, buf, sizeof(buf)), "EOPNOTSUPP");
	/* the kernel's internal ENOTSUPP has no name in libc: its number */
	CHECK_STR(ut_errno_str(524, buf, sizeof(buf)), "errno 524");
	CHECK_STR(ut_errno_str(4095, buf, sizeof(buf)), "errno 4095");
}

/* environment.register_buffer_budget_* of the JSON document of r */
static void check_budget(const struct ut_probe_report *r,
			 const char *want_bytes, bool want_unlimited)
{
	struct json_object *doc = ut_probe_to_json(r), *env, *bytes, *unl;

	if (!json_object_object_get_ex(doc, "environment", &env) ||
	    !json_object_object_get_ex(env, "register_buffer_budget_bytes",
				       &bytes) ||
	    !json_object_object_get_ex(env, "register_buffer_budget_unlimited",
				       &unl)) {
		T_FAIL("register_buffer_budget_* missing from environment");
		json_object_put(doc);
		return;
	}
	CHECK_STR(json_object_to_json_string(bytes), want_bytes);
	CHECK(json_object_is_type(unl, json_type_boolean));
	CHECK_INT(json_object_get_boolean(unl), want_unlimited);
	json_object_put(doc);
}

static void test_budget_json(void)
{
	struct ut_probe_report *r = calloc(1, sizeof(*r));

	if (!r)
		exit(T_EXIT_FAIL);
	r->last_op = -1;
	r->diag.summary = "synthetic";
	/* not measured: no ring (io_uring unavailable) or no memory */
	check_budget(r, "null", false);
	r->reg_buf_budget = 12345;	/* a figure without a measurement */
	check_budget(r, "null", false);

	r->reg_buf_known = true;
	r->reg_buf_budget = UINT64_MAX;	/* no limit, or CAP_IPC_LOCK */
	check_budget(r, "null", true);
	r->reg_buf_budget = 49152;
	check_budget(r, "49152", false);
	r->reg_buf_budget = 0;		/* measured: nothing left */
	check_budget(r, "0", false);
	free(r);
}

int main(void)
{
	test_ops();
	test_errno_str();
	test_budget_json();
	return t_done("probe_report");
}
