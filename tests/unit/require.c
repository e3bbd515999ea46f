// SPDX-License-Identifier: MIT
/*
 * Requirement expressions: ut_req_parse for every kind and every way to get
 * one wrong, ut_req_eval against a synthetic probe report, and the results
 * as JSON.
 */
#include "ut_test.h"

#include "abi.h"
#include "probe.h"
#include "require.h"

#include <errno.h>
#include <json-c/json.h>

static struct ut_req parse_ok(const char *expr, enum ut_req_kind kind,
			      unsigned int number)
{
	const char *why = "poison", *hint = "poison";
	struct ut_req r;
	int ret;

	memset(&r, 0xa5, sizeof(r));
	ret = ut_req_parse(expr, &r, &why, &hint);
	if (ret) {
		T_FAIL("'%s' did not parse: %s", expr, why ? why : "?");
		return r;
	}
	t_checks++;
	CHECK_INT(r.kind, kind);
	if (kind != UT_REQ_KERNEL)
		CHECK_INT(r.number, number);
	CHECK_STR(r.text, expr);
	CHECK_STR(why, NULL);
	CHECK_STR(hint, NULL);
	return r;
}

/* Fails to parse, with why containing why_part and the given hint. */
static void parse_bad(const char *expr, const char *why_part, const char *want_hint)
{
	const char *why = NULL, *hint = "poison";
	struct ut_req r;

	if (ut_req_parse(expr, &r, &why, &hint) != -EINVAL) {
		T_FAIL("'%s' parsed, want -EINVAL", expr);
		return;
	}
	t_checks++;
	CHECK(why && *why);
	if (why_part)
		CHECK_CONTAINS(why, why_part);
	CHECK_STR(hint, want_hint);
}

static void kernel_ok(const char *expr, enum ut_req_cmp cmp, unsigned int kv)
{
	struct ut_req r = parse_ok(expr, UT_REQ_KERNEL, 0);

	CHECK_INT(r.cmp, cmp);
	CHECK_INT(r.kv, kv);
}

static void test_parse(void)
{
	parse_ok("op:NOP", UT_REQ_OP, 0);
	parse_ok("op:SEND_ZC", UT_REQ_OP, 47);
	parse_ok("op:send_zc", UT_REQ_OP, 47);
	parse_ok("OP:Send_Zc", UT_REQ_OP, 47);
	parse_ok("op:IORING_OP_SEND_ZC", UT_REQ_OP, 47);
	parse_ok("op:OP_63", UT_REQ_OP, 63);
	parse_ok("op:URING_CMD128", UT_REQ_OP, 64);
	/* OP_n / BITn over the whole range, named by the tool or not */
	parse_ok("op:OP_64", UT_REQ_OP, 64);
	parse_ok("op:OP_98", UT_REQ_OP, 98);
	parse_ok("op:OP_200", UT_REQ_OP, 200);
	parse_ok("op:IORING_OP_OP_255", UT_REQ_OP, 255);
	parse_ok("setup:BIT13", UT_REQ_SETUP, 13);
	parse_ok("setup:bit63", UT_REQ_SETUP, 63);
	parse_ok("feature:BIT1", UT_REQ_FEATURE, 1);
	parse_ok("feature:IORING_FEAT_BIT20", UT_REQ_FEATURE, 20);
	parse_ok("setup:DEFER_TASKRUN", UT_REQ_SETUP, 13);
	parse_ok("Setup:sqpoll", UT_REQ_SETUP, 1);
	parse_ok("setup:IORING_SETUP_NO_SQARRAY", UT_REQ_SETUP, 16);
	parse_ok("feature:RECVSEND_BUNDLE", UT_REQ_FEATURE, 14);
	parse_ok("FEATURE:nodrop", UT_REQ_FEATURE, 1);
	parse_ok("feature:IORING_FEAT_NO_IOWAIT", UT_REQ_FEATURE, 17);
	parse_ok("behaviour:recv_multishot", UT_REQ_BEHAVIOUR, UT_BEH_RECV_MULTISHOT);
	parse_ok("behavior:send_zc", UT_REQ_BEHAVIOUR, UT_BEH_SEND_ZC);
	parse_ok("Behaviour:ACCEPT_MULTISHOT", UT_REQ_BEHAVIOUR,
		 UT_BEH_ACCEPT_MULTISHOT);
	parse_ok("behaviour:defer_taskrun", UT_REQ_BEHAVIOUR, UT_BEH_DEFER_TASKRUN);
	for (int i = 0; i < UT_BEH_COUNT; i++) {
		char expr[64];

		snprintf(expr, sizeof(expr), "behaviour:%s", ut_behaviour_names[i]);
		parse_ok(expr, UT_REQ_BEHAVIOUR, (unsigned int)i);
	}

	kernel_ok("kernel>=6.1", UT_CMP_GE, UT_KV(6, 1));
	kernel_ok("kernel>6.1", UT_CMP_GT, UT_KV(6, 1));
	kernel_ok("kernel<=5.19", UT_CMP_LE, UT_KV(5, 19));
	kernel_ok("kernel<7.0", UT_CMP_LT, UT_KV(7, 0));
	kernel_ok("kernel==6.18", UT_CMP_EQ, UT_KV(6, 18));
	kernel_ok("kernel=6.18", UT_CMP_EQ, UT_KV(6, 18));
	kernel_ok("kernel!=6.18", UT_CMP_NE, UT_KV(6, 18));
	kernel_ok("KERNEL>=6.12", UT_CMP_GE, UT_KV(6, 12));
	kernel_ok("kernel>=6", UT_CMP_GE, UT_KV(6, 0));
	/* only major.minor is compared */
	kernel_ok("kernel>=6.1.55", UT_CMP_GE, UT_KV(6, 1));
	kernel_ok("kernel>=6.1.4294967297", UT_CMP_GE, UT_KV(6, 1));
	kernel_ok("kernel<=255.255", UT_CMP_LE, UT_KV(255, 255));

	/* the ring of --entries/--flags */
	parse_ok("ring", UT_REQ_RING, 0);
	parse_ok("RING", UT_REQ_RING, 0);
}

static void test_parse_bad(void)
{
	char lng[80];

	parse_bad("NOP", "KIND:NAME", NULL);
	parse_bad("", "KIND:NAME", NULL);
	parse_bad("send_zc", "KIND:NAME", NULL);
	parse_bad("opcode:NOP", "unknown kind", NULL);
	parse_bad("ops:NOP", "unknown kind", NULL);
	parse_bad(":NOP", "unknown kind", NULL);
	parse_bad("kernel:6.1", "unknown kind", NULL);
	parse_bad("op:SEND_Z", "unknown name", "SEND_ZC");
	parse_bad("op:IORING_OP_SEND_Z", "unknown name", "SEND_ZC");
	parse_bad("setup:DEFER_TASKRN", "unknown name", "DEFER_TASKRUN");
	parse_bad("feature:RECVSEND_BUNDEL", "unknown name", "RECVSEND_BUNDLE");
	parse_bad("op:NO_SUCH_THING_AT_ALL", "unknown name", NULL);
	/* OP_n / BITn: digits only, in range, no wrap onto a known number */
	static const char *const bad_numbers[] = {
		"op:OP_256", "op:OP_4294967343", "op:OP_18446744073709551663",
		"op:OP_ 47", "op:OP_+5", "op:OP_-1", "op:OP_47x", "op:OP_",
		"setup:BIT4294967296", "setup:BIT64", "feature:BIT 1",
		"feature:BIT+1",
	};
	for (size_t i = 0; i < sizeof(bad_numbers) / sizeof(bad_numbers[0]); i++)
		parse_bad(bad_numbers[i], bad_numbers[i][0] == 'o' ?
			  "OP_n takes a decimal n from 0 to 255" :
			  "BITn takes a decimal n from 0 to 63", NULL);
	/* a name that merely starts like one is a misspelt name */
	parse_bad("op:OP_SEND_ZC", "unknown name", "SEND_ZC");
	parse_bad("setup:SEND_ZC", "unknown name", NULL);
	parse_bad("behaviour:recv_multishto", "unknown behaviour", "recv_multishot");
	parse_bad("behaviour:nonsense_probe_name", "unknown behaviour", NULL);
	parse_bad("op:", "missing name", NULL);
	parse_bad("behaviour:", "missing name", NULL);
	parse_bad("kernel>=abc", "kernel version", NULL);
	parse_bad("kernel>=", "kernel version", NULL);
	parse_bad("kernel>=6.", "kernel version", NULL);
	parse_bad("kernel>=6.1-rc1", "kernel version", NULL);
	parse_bad("kernel>=6.1 ", "kernel version", NULL);
	parse_bad("kernel>=999.1", "kernel version", NULL);
	/*
	 * components that wrapped into range through a cast (2^32 + 6,
	 * 2^32 + 1), signs, spaces, empty components
	 */
	static const char *const bad_versions[] = {
		"kernel==4294967302.18", "kernel>=6.4294967297",
		"kernel>=6.18446744073709551617", "kernel>=+6.1", "kernel>= 6.1",
		"kernel>=6..1", "kernel>=6.1.", "kernel>=6.+1", "kernel>=6.1.+5",
	};
	for (size_t i = 0; i < sizeof(bad_versions) / sizeof(bad_versions[0]); i++)
		parse_bad(bad_versions[i], "kernel version such as 6.1 "
			  "(major and minor from 0 to 255)", NULL);
	parse_bad("kernel", "comparison", NULL);
	parse_bad("kernel~6.1", "comparison", NULL);
	parse_bad("kernel 6.1", "comparison", NULL);
	parse_bad("rings", "KIND:NAME", NULL);
	parse_bad("ring:", "unknown kind", NULL);

	/* 63 characters fit the text buffer, 64 do not */
	memset(lng, 'A', sizeof(lng));
	memcpy(lng, "op:", 3);
	lng[63] = 0;
	parse_bad(lng, "unknown name", NULL);
	memset(lng, 'A', sizeof(lng));
	memcpy(lng, "op:", 3);
	lng[64] = 0;
	parse_bad(lng, "too long", NULL);
	lng[79] = 0;
	memset(lng + 3, 'A', 76);
	parse_bad(lng, "too long", NULL);
}

/* A 6.18.44 kernel whose probe said: ops 0..62 but URING_CMD, a few flags. */
static struct ut_probe_report *synthetic(void)
{
	struct ut_probe_report *r = calloc(1, sizeof(*r));

	if (!r)
		exit(T_EXIT_FAIL);
	r->kernel_kv = UT_KV(6, 18) + 44;
	r->diag.available = true;
	r->last_op = 62;
	for (int i = 0; i <= 62; i++)
		r->op_supported[i] = true;
	r->op_supported[46] = false;	/* URING_CMD compiled out */
	r->nsetup = 21;
	r->setup[1].accepted = true;	/* SQPOLL */
	r->setup[13].accepted = true;	/* DEFER_TASKRUN */
	r->setup[20].accepted = false;	/* SQ_REWIND */
	r->setup[20].err = EINVAL;
	r->features = (1u << 1) | (1u << 17);	/* NODROP, NO_IOWAIT */
	r->behaviour_run = true;
	for (int i = 0; i < UT_BEH_COUNT; i++)
		r->behaviour[i].status = UT_B_OK;
	r->behaviour[UT_BEH_SEND_ZC].status = UT_B_UNSUPPORTED;
	r->behaviour[UT_BEH_RECV_BUNDLE].status = UT_B_TIMEOUT;
	return r;
}

/* Evaluate expr; check met and, when unmet, that why_not has why_part. */
static void eval(const struct ut_probe_report *rep, const char *expr, bool met,
		 const char *why_part)
{
	const char *why, *hint, *why_not = "poison";
	struct ut_req r;
	bool got;

	if (ut_req_parse(expr, &r, &why, &hint)) {
		T_FAIL("'%s' did not parse: %s", expr, why);
		return;
	}
	got = ut_req_eval(&r, rep, &why_not);
	if (got != met) {
		T_FAIL("'%s': met=%d, want %d", expr, got, met);
		return;
	}
	t_checks++;
	if (met)
		CHECK_STR(why_not, NULL);
	else if (why_part)
		CHECK_CONTAINS(why_not, why_part);
	else
		CHECK(why_not && *why_not);
}

static void test_eval(void)
{
	struct ut_probe_report *rep = synthetic();

	eval(rep, "op:NOP", true, NULL);
	eval(rep, "op:SEND_ZC", true, NULL);
	eval(rep, "op:PIPE", true, NULL);
	eval(rep, "op:URING_CMD", false, "unsupported");
	eval(rep, "op:NOP128", false, "newer");
	eval(rep, "op:URING_CMD128", false, "newer");
	eval(rep, "op:OP_62", true, NULL);
	eval(rep, "op:OP_98", false, "newer");
	eval(rep, "op:OP_255", false, "newer");

	eval(rep, "kernel>=5.1", true, NULL);
	eval(rep, "kernel>=6.18", true, NULL);	/* patch level ignored */
	eval(rep, "kernel>6.9", true, NULL);	/* 6.18 > 6.9, numerically */
	eval(rep, "kernel<=6.18", true, NULL);
	eval(rep, "kernel==6.18", true, NULL);
	eval(rep, "kernel=6.18.1", true, NULL);
	eval(rep, "kernel<7.0", true, NULL);
	eval(rep, "kernel!=6.1", true, NULL);
	eval(rep, "kernel>6.18", false, "range");
	eval(rep, "kernel<6.18", false, "range");
	eval(rep, "kernel!=6.18", false, "range");
	eval(rep, "kernel==6.1", false, "range");
	eval(rep, "kernel>=99.0", false, "range");
	eval(rep, "kernel<=6.9", false, "range");

	eval(rep, "setup:SQPOLL", true, NULL);
	eval(rep, "setup:DEFER_TASKRUN", true, NULL);
	eval(rep, "setup:SQ_REWIND", false, "refused");
	eval(rep, "setup:IOPOLL", false, "refused");
	eval(rep, "setup:BIT1", true, NULL);
	eval(rep, "setup:BIT20", false, "refused");
	eval(rep, "setup:BIT21", false, "not tried");	/* no name, never tried */
	eval(rep, "setup:BIT63", false, "not tried");

	eval(rep, "feature:NODROP", true, NULL);
	eval(rep, "feature:NO_IOWAIT", true, NULL);
	eval(rep, "feature:RECVSEND_BUNDLE", false, "not report");
	eval(rep, "feature:BIT17", true, NULL);
	rep->features |= 1u << 30;	/* a bit the tool has no name for */
	eval(rep, "feature:BIT30", true, NULL);
	rep->features &= ~(1u << 30);
	eval(rep, "feature:BIT30", false, "not report");
	eval(rep, "feature:BIT63", false, "not report");	/* params.features: 32 bits */

	eval(rep, "behaviour:recv_multishot", true, NULL);
	eval(rep, "behavior:socket", true, NULL);
	eval(rep, "behaviour:send_zc", false, "unsupported");
	eval(rep, "behaviour:recv_bundle", false, "timeout");

	eval(rep, "ring", true, NULL);
	rep->ring_err = EINVAL;		/* SQPOLL|DEFER_TASKRUN, say */
	eval(rep, "ring", false, "could not be created");
	rep->ring_err = 0;

	/* behaviour probes not run (--no-behaviour) */
	rep->behaviour_run = false;
	eval(rep, "behaviour:recv_multishot", false, "not run");

	/* io_uring unavailable: nothing but the kernel version holds */
	rep->diag.available = false;
	rep->last_op = -1;
	memset(rep->op_supported, 0, sizeof(rep->op_supported));
	memset(rep->setup, 0, sizeof(rep->setup));
	eval(rep, "op:NOP", false, "unavailable");
	eval(rep, "feature:NODROP", false, "unavailable");
	eval(rep, "setup:SQPOLL", false, NULL);
	eval(rep, "kernel>=5.1", true, NULL);
	eval(rep, "ring", false, NULL);

	/* a report without setup results */
	rep->nsetup = 0;
	eval(rep, "setup:SQPOLL", false, NULL);
	free(rep);
}

/* The "requirements" array of the JSON document: order, keys, null why_not. */
static void test_json(void)
{
	struct ut_req reqs[2];
	struct ut_req_result res[2] = {
		{ &reqs[0], true, NULL },
		{ &reqs[1], false, "the running kernel is outside the range" },
	};
	struct json_object *a;
	const char *why, *hint;

	if (ut_req_parse("OP:nop", &reqs[0], &why, &hint) ||
	    ut_req_parse("kernel>=99.0", &reqs[1], &why, &hint)) {
		T_FAIL("the expressions did not parse");
		return;
	}
	a = ut_req_results_to_json(res, 2);
	CHECK_STR(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN),
		  "[{\"expr\":\"OP:nop\",\"met\":true,\"why_not\":null},"
		  "{\"expr\":\"kernel>=99.0\",\"met\":false,\"why_not\":"
		  "\"the running kernel is outside the range\"}]");
	json_object_put(a);
	a = ut_req_results_to_json(res, 0);
	CHECK_STR(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN), "[]");
	json_object_put(a);
}

int main(void)
{
	test_parse();
	test_parse_bad();
	test_eval();
	test_json();
	return t_done("require");
}
