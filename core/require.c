// SPDX-License-Identifier: MIT
#include "require.h"

#include "abi.h"
#include "json_util.h"
#include "probe.h"

#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *word;
	enum ut_req_kind kind;
	const struct ut_table *table;
} kinds[] = {
	{ "op", UT_REQ_OP, &ut_ops },
	{ "setup", UT_REQ_SETUP, &ut_setup_flags },
	{ "feature", UT_REQ_FEATURE, &ut_features },
	{ "behaviour", UT_REQ_BEHAVIOUR, NULL },
	{ "behavior", UT_REQ_BEHAVIOUR, NULL },
};

static const char *suggest_behaviour(const char *name)
{
	const char *best = NULL;
	int bestd = 4;

	for (int i = 0; i < UT_BEH_COUNT; i++) {
		int d = ut_edit_distance(name, ut_behaviour_names[i]);
		if (d < bestd) {
			bestd = d;
			best = ut_behaviour_names[i];
		}
	}
	return best;
}

static int parse_kernel(const char *s, struct ut_req *r, const char **why)
{
	static const struct { const char *op; enum ut_req_cmp cmp; } cmps[] = {
		{ ">=", UT_CMP_GE }, { "<=", UT_CMP_LE }, { "==", UT_CMP_EQ },
		{ "!=", UT_CMP_NE }, { ">", UT_CMP_GT }, { "<", UT_CMP_LT },
		{ "=", UT_CMP_EQ },
	};

	for (size_t i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		size_t n = strlen(cmps[i].op);
		const char *end;

		if (strncmp(s, cmps[i].op, n))
			continue;
		end = ut_kver_parse(s + n, &r->kv);
		if (!end || *end) {
			*why = "expected a kernel version such as 6.1 "
			       "(major and minor from 0 to 255)";
			return -EINVAL;
		}
		r->kv &= ~0xffu;	/* compare major.minor only */
		r->cmp = cmps[i].cmp;
		r->kind = UT_REQ_KERNEL;
		return 0;
	}
	*why = "expected a comparison: kernel>=X.Y (or > < <= == !=)";
	return -EINVAL;
}

int ut_req_parse(const char *expr, struct ut_req *r, const char **why,
		 const char **hint)
{
	const char *colon = strchr(expr, ':');

	memset(r, 0, sizeof(*r));
	*why = NULL;
	*hint = NULL;
	if (strlen(expr) >= sizeof(r->text)) {
		*why = "expression too long";
		return -EINVAL;
	}
	strcpy(r->text, expr);
	if (!strcasecmp(expr, "ring")) {
		r->kind = UT_REQ_RING;
		return 0;
	}
	if (!strncasecmp(expr, "kernel", 6) && !colon)
		return parse_kernel(expr + 6, r, why);
	if (!colon) {
		*why = "expected KIND:NAME (op, setup, feature, behaviour), "
		       "kernel>=X.Y or ring";
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].word);
		const char *name = colon + 1;

		if ((size_t)(colon - expr) != n || strncasecmp(expr, kinds[i].word, n))
			continue;
		r->kind = kinds[i].kind;
		if (!*name) {
			*why = "missing name after ':'";
			return -EINVAL;
		}
		if (kinds[i].table) {
			const struct ut_table *t = kinds[i].table;
			const struct ut_name *e = ut_abi_lookup(t, name);
			int err;

			if (e) {
				r->number = e->number;
				return 0;
			}
			/* OP_n / BITn: numbers the table has no name for */
			err = ut_abi_number(t, name, &r->number);
			if (!err)
				return 0;
			if (err != -ENOENT) {
				*why = t->number_help;
				return -EINVAL;
			}
			*why = "unknown name";
			*hint = ut_abi_suggest(t, name);
			return -EINVAL;
		}
		int id = ut_behaviour_lookup(name);
		if (id < 0) {
			*why = "unknown behaviour";
			*hint = suggest_behaviour(name);
			return -EINVAL;
		}
		r->number = (unsigned int)id;
		return 0;
	}
	*why = "unknown kind: expected op, setup, feature, behaviour or kernel";
	return -EINVAL;
}

static bool cmp_kernel(enum ut_req_cmp c, unsigned int have, unsigned int want)
{
	switch (c) {
	case UT_CMP_GE: return have >= want;
	case UT_CMP_GT: return have > want;
	case UT_CMP_LE: return have <= want;
	case UT_CMP_LT: return have < want;
	case UT_CMP_EQ: return have == want;
	case UT_CMP_NE: return have != want;
	}
	return false;
}

bool ut_req_eval(const struct ut_req *r, const struct ut_probe_report *rep,
		 const char **why_not)
{
	*why_not = NULL;
	switch (r->kind) {
	case UT_REQ_KERNEL:
		if (cmp_kernel(r->cmp, rep->kernel_kv & ~0xffu, r->kv))
			return true;
		*why_not = "the running kernel is outside the range";
		return false;
	case UT_REQ_RING:
		if (rep->diag.available && !rep->ring_err)
			return true;
		*why_not = "the ring of --entries/--flags could not be created";
		return false;
	case UT_REQ_OP:
		if (ut_op_supported(rep, r->number))
			return true;
		*why_not = rep->last_op < 0 ? "no opcode probe (io_uring unavailable)" :
			   r->number > (unsigned int)rep->last_op ?
			   "newer than the running kernel" :
			   "the kernel reports it unsupported";
		return false;
	case UT_REQ_SETUP:
		if (r->number < rep->nsetup && rep->setup[r->number].accepted)
			return true;
		*why_not = !ut_abi_find(&ut_setup_flags, r->number) ?
			   "not tried: a flag this tool has no name for" :
			   "io_uring_setup refused it";
		return false;
	case UT_REQ_FEATURE:
		if (!rep->diag.available) {
			*why_not = "io_uring unavailable";
			return false;
		}
		if (r->number < 32 && (rep->features & (1u << r->number)))
			return true;
		*why_not = "the kernel does not report it";
		return false;
	case UT_REQ_BEHAVIOUR:
		if (rep->behaviour_run &&
		    rep->behaviour[r->number].status == UT_B_OK)
			return true;
		*why_not = !rep->behaviour_run ? "behaviour probes were not run" :
			   ut_bstatus_token(rep->behaviour[r->number].status);
		return false;
	}
	return false;
}

struct json_object *ut_req_results_to_json(const struct ut_req_result *res,
					   int n)
{
	struct json_object *a = json_object_new_array();

	for (int i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "expr",
				       json_object_new_string(res[i].req->text));
		json_object_object_add(o, "met",
				       json_object_new_boolean(res[i].met));
		json_object_object_add(o, "why_not",
				       ut_json_str_or_null(res[i].why_not));
		json_object_array_add(a, o);
	}
	return a;
}
