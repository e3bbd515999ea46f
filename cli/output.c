// SPDX-License-Identifier: MIT
/* Messages follow git's rules: lowercase, no full stop, errno text last. */
#include "cli.h"

#include <getopt.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

const char *ut_progname = "uring-tool";

/*
 * One line, whatever the values in it hold: control characters (a newline
 * in an argument, say) are shown escaped, and a message longer than the
 * buffer ends in "...".
 */
static void vmsg(const char *level, const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	fflush(stdout);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(stderr, "%s: %s", ut_progname, level);
	for (const unsigned char *p = (const unsigned char *)buf; *p; p++) {
		if (*p == '\n')
			fputs("\\n", stderr);
		else if (*p == '\t')
			fputs("\\t", stderr);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
	}
	if (n >= (int)sizeof(buf))
		fputs("...", stderr);
	fputc('\n', stderr);
}

void ut_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("error: ", fmt, ap);
	va_end(ap);
}

void ut_status(const char *what, const char *fmt, ...)
{
	char level[64];
	va_list ap;

	snprintf(level, sizeof(level), "%s: ", what);
	va_start(ap, fmt);
	vmsg(level, fmt, ap);
	va_end(ap);
}

int ut_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("error: ", fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "Try '%s %s --help' for more information.\n",
			ut_progname, cmd);
	else
		fprintf(stderr, "Try '%s --help' for more information.\n",
			ut_progname);
	return UT_EXIT_USAGE;
}

int ut_bad_option(const char *cmd, int c, const char *arg)
{
	/* optstrings start with ':' and opterr is 0: the message is ours */
	const char *eq = arg ? strchr(arg, '=') : NULL;
	int n = arg ? (eq ? (int)(eq - arg) : (int)strlen(arg)) : 0;

	if (c == ':') {
		if (optopt && arg && arg[1] != '-')
			return ut_usage_error(cmd, "option '-%c' needs a value",
					      optopt);
		return ut_usage_error(cmd, "option '%.*s' needs a value", n,
				      arg ? arg : "?");
	}
	/* a long option: optopt is its val (maybe no letter at all), not news */
	if (arg && arg[0] == '-' && arg[1] == '-') {
		if (eq && optopt)
			return ut_usage_error(cmd, "option '%.*s' takes no value",
					      n, arg);
		return ut_usage_error(cmd, "unknown option '%.*s'", n, arg);
	}
	if (optopt)
		return ut_usage_error(cmd, "unknown option '-%c'", optopt);
	return ut_usage_error(cmd, "unknown option '%.*s'", n, arg ? arg : "?");
}

void ut_json_print(FILE *f, struct json_object *doc)
{
	fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_SPACED |
					     JSON_C_TO_STRING_NOSLASHESCAPE), f);
	fputc('\n', f);
	json_object_put(doc);
}

const char *ut_fmt_bytes(unsigned long long v, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;

	if (v == UINT64_MAX)
		return "unlimited";
	while (v >= 1024 && !(v % 1024) && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%llu %s", v, units[u]);
	return buf;
}
