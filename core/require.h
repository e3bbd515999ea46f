/* SPDX-License-Identifier: MIT */
/*
 * Requirement expressions for `probe --require`: op:NAME, setup:NAME,
 * feature:NAME, behaviour:NAME, kernel>=X.Y (also > < <= == !=), and
 * ring: the ring of --entries/--flags was created.
 */
#ifndef UT_REQUIRE_H
#define UT_REQUIRE_H

#include <stdbool.h>
#include <stddef.h>

struct ut_probe_report;

enum ut_req_kind { UT_REQ_OP, UT_REQ_SETUP, UT_REQ_FEATURE,
		   UT_REQ_BEHAVIOUR, UT_REQ_KERNEL, UT_REQ_RING };
enum ut_req_cmp { UT_CMP_GE, UT_CMP_GT, UT_CMP_LE, UT_CMP_LT, UT_CMP_EQ,
		  UT_CMP_NE };

struct ut_req {
	enum ut_req_kind kind;
	unsigned int number;	/* op number, flag/feature bit, behaviour id */
	enum ut_req_cmp cmp;	/* kernel only */
	unsigned int kv;	/* kernel only: UT_KV() */
	char text[64];		/* the expression as given, for messages */
};

/*
 * Parse one expression. On error returns -EINVAL and points *why at a
 * static message; *hint gets a close known name when there is one.
 */
int ut_req_parse(const char *expr, struct ut_req *out, const char **why,
		 const char **hint);
/* Whether rep meets req; *why_not gets a static reason when it does not. */
bool ut_req_eval(const struct ut_req *req, const struct ut_probe_report *rep,
		 const char **why_not);

/* One requirement and whether it was met, for every renderer. */
struct ut_req_result {
	const struct ut_req *req;
	bool met;
	const char *why_not;
};

struct json_object;
/* The results as the JSON document's "requirements" array (caller owns it). */
struct json_object *ut_req_results_to_json(const struct ut_req_result *res,
					   int n);

#endif
