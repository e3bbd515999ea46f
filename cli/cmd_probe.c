// SPDX-License-Identifier: MIT
/* uring-tool probe: what this kernel and sandbox allow, and CI gating. */
#include "cli.h"
#include "probe_render.h"

#include "abi.h"
#include "probe.h"
#include "require.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_REQ 64

enum fmt { FMT_TEXT, FMT_JSON, FMT_SHELL, FMT_C };

void cmd_probe_usage(FILE *f)
{
	fprintf(f,
"usage: uring-tool probe [OPTIONS]\n"
"\n"
"Tell what this kernel and sandbox allow: whether io_uring is usable (and why\n"
"not), opcodes, setup flags, features and behaviour probes that run real\n"
"operations.\n"
"\n"
"options:\n"
"  -j, --json             one JSON document (same as --format json)\n"
"  -f, --format FMT       text (default), json, shell (KEY=VALUE), c (#define)\n"
"  -r, --require EXPR     exit 1 unless EXPR holds; repeatable or comma-separated:\n"
"                         op:NAME setup:NAME feature:NAME behaviour:NAME\n"
"                         kernel>=X.Y (also > < <= == !=), ring\n"
"  -e, --entries N        entries of the ring your application creates (8)\n"
"  -F, --flags LIST       its setup flags: names (SQPOLL,DEFER_TASKRUN) or a number;\n"
"                         either option adds the requirement 'ring' (created)\n"
"      --no-behaviour     skip the behaviour probes\n"
"  -t, --timeout TIME     bound per behaviour probe: 500ms, 2s (default 1s)\n"
"  -q, --quiet            print nothing; only the exit status tells\n"
"  -h, --help             show this help\n"
"\n"
"exit status: 0 available and every requirement met, 1 a requirement not met,\n"
"2 usage error, 3 io_uring unavailable here, 4 output could not be written.\n");
}

static int parse_format(const char *s, enum fmt *out)
{
	static const char *const names[] = { "text", "json", "shell", "c" };

	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum fmt)i;
			return 0;
		}
	return ut_usage_error("probe", "unknown format '%s' (text, json, shell, c)", s);
}

/* Whether a list separated by seps has an empty item: "", "a,", "a,,b" */
static bool has_empty_item(const char *s, const char *seps)
{
	bool empty = true;	/* the current item has no character yet */

	for (; *s; s++) {
		if (!strchr(seps, *s))
			empty = false;
		else if (empty)
			return true;
		else
			empty = true;
	}
	return empty;
}

static int parse_flags(const char *s, uint32_t *out)
{
	char *copy, *tok, *save = NULL;
	int ret = 0;

	*out = 0;
	if (has_empty_item(s, ",|"))
		return ut_usage_error("probe", "invalid setup flags '%s': "
				      "empty flag name", s);
	if (s[0] >= '0' && s[0] <= '9') {
		char *end;
		unsigned long v;

		/* decimal, or hexadecimal with 0x (no octal: 010 is ten) */
		errno = 0;
		v = strtoul(s, &end, strncasecmp(s, "0x", 2) ? 10 : 16);
		if (*end || errno || v > UINT32_MAX)
			return ut_usage_error("probe", "invalid setup flags '%s': "
					      "expected names, or a number up to "
					      "0xffffffff (decimal, or hex with 0x)", s);
		*out = (uint32_t)v;
		return 0;
	}
	copy = strdup(s);
	if (!copy)
		return UT_EXIT_FAILURE;
	for (tok = strtok_r(copy, ",|", &save); tok; tok = strtok_r(NULL, ",|", &save)) {
		const struct ut_name *e = ut_abi_lookup(&ut_setup_flags, tok);
		const char *hint;
		unsigned int bit;
		int nr;

		if (e) {
			*out |= 1u << e->number;
			continue;
		}
		/* BITn: a bit this tool has no name for (the field is 32 bits) */
		nr = ut_abi_number(&ut_setup_flags, tok, &bit);
		if (!nr && bit < 32) {
			*out |= 1u << bit;
			continue;
		}
		if (nr != -ENOENT) {
			ret = ut_usage_error("probe", "invalid setup flag '%s': BITn "
					     "takes a decimal n from 0 to 31", tok);
			break;
		}
		hint = ut_abi_suggest(&ut_setup_flags, tok);
		if (hint)
			ret = ut_usage_error("probe", "unknown setup flag '%s' "
					     "(did you mean '%s'?)", tok, hint);
		else
			ret = ut_usage_error("probe", "unknown setup flag '%s'", tok);
		break;
	}
	free(copy);
	return ret;
}

/* Split a --require value on commas and parse each expression. */
static int add_requirements(const char *arg, struct ut_req *reqs, int *n)
{
	char *copy, *tok, *save = NULL;
	int ret = 0;

	if (has_empty_item(arg, ","))
		return ut_usage_error("probe", "invalid requirement '%s': "
				      "empty expression", arg);
	copy = strdup(arg);
	if (!copy)
		return UT_EXIT_FAILURE;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const char *why, *hint;

		if (*n >= MAX_REQ) {
			ret = ut_usage_error("probe", "too many requirements (at most %d)",
					     MAX_REQ);
			break;
		}
		if (ut_req_parse(tok, &reqs[*n], &why, &hint)) {
			if (hint)
				ret = ut_usage_error("probe", "invalid requirement '%s': "
						     "%s (did you mean '%.*s%s'?)", tok,
						     why, (int)(strchr(tok, ':') - tok + 1),
						     tok, hint);
			else
				ret = ut_usage_error("probe", "invalid requirement '%s': %s",
						     tok, why);
			break;
		}
		(*n)++;
	}
	free(copy);
	return ret;
}

int cmd_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "format", required_argument, NULL, 'f' },
		{ "require", required_argument, NULL, 'r' },
		{ "entries", required_argument, NULL, 'e' },
		{ "flags", required_argument, NULL, 'F' },
		{ "no-behaviour", no_argument, NULL, 'B' },
		{ "no-behavior", no_argument, NULL, 'B' },
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ut_probe_opts opts = UT_PROBE_OPTS_DEFAULT;
	struct ut_req_result results[MAX_REQ];
	struct ut_req reqs[MAX_REQ];
	struct ut_probe_report *rep;
	enum fmt fmt = FMT_TEXT;
	bool quiet = false, unmet = false, ring_given = false;
	int c, nreq = 0, ret;
	uint64_t v;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":jf:r:e:F:t:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			fmt = FMT_JSON;
			break;
		case 'f':
			if ((ret = parse_format(optarg, &fmt)))
				return ret;
			break;
		case 'r':
			if ((ret = add_requirements(optarg, reqs, &nreq)))
				return ret;
			break;
		case 'e':
			if (ut_parse_uint(optarg, 1, 32768, &v))
				return ut_usage_error("probe", "invalid entries '%s' "
						      "(1 to 32768)", optarg);
			opts.entries = (unsigned int)v;
			ring_given = true;
			break;
		case 'F':
			if ((ret = parse_flags(optarg, &opts.flags)))
				return ret;
			ring_given = true;
			break;
		case 'B':
			opts.behaviour = false;
			break;
		case 't':
			if (ut_parse_duration(optarg, &v) || v < 1000000ull ||
			    v > 60000000000ull)
				return ut_usage_error("probe", "invalid timeout '%s' "
						      "(1ms to 60s)", optarg);
			opts.timeout_ms = (unsigned int)(v / 1000000ull);
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			cmd_probe_usage(stdout);
			return UT_EXIT_OK;
		default:
			return ut_bad_option("probe", c, argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ut_usage_error("probe", "unexpected argument '%s'", argv[optind]);
	/* asking about the application's ring makes its creation a requirement */
	for (int i = 0; ring_given && i < nreq; i++)
		ring_given = reqs[i].kind != UT_REQ_RING;
	if (ring_given && (ret = add_requirements("ring", reqs, &nreq)))
		return ret;

	rep = calloc(1, sizeof(*rep));
	if (!rep) {
		ut_error("probe: %s", strerror(ENOMEM));
		return UT_EXIT_FAILURE;
	}
	ut_probe_run(&opts, rep);
	for (int i = 0; i < nreq; i++) {
		results[i].req = &reqs[i];
		results[i].met = ut_req_eval(&reqs[i], rep, &results[i].why_not);
		unmet |= !results[i].met;
	}

	if (!quiet) {
		switch (fmt) {
		case FMT_TEXT:
			ut_render_text(stdout, rep, results, nreq);
			break;
		case FMT_JSON: {
			struct json_object *doc = ut_probe_to_json(rep);

			json_object_object_add(doc, "requirements",
					       ut_req_results_to_json(results, nreq));
			ut_json_print(stdout, doc);
			break;
		}
		case FMT_SHELL:
			ut_render_shell(stdout, rep, results, nreq);
			break;
		case FMT_C:
			ut_render_c(stdout, rep);
			break;
		}
	}
	if (!rep->diag.available)
		ret = UT_EXIT_UNAVAILABLE;
	else
		ret = unmet ? UT_EXIT_UNMET : UT_EXIT_OK;
	if (!quiet && fmt == FMT_TEXT && unmet && rep->diag.available)
		for (int i = 0; i < nreq; i++)
			if (!results[i].met)
				ut_error("requirement '%s' not met: %s",
					 reqs[i].text, results[i].why_not);
	free(rep);
	return ret;
}
