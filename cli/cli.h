/* SPDX-License-Identifier: MIT */
/* What the subcommands share: exit statuses, messages, the command table. */
#ifndef UT_CLI_H
#define UT_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* The one table of exit statuses; uring-tool(1) lists exactly these. */
enum ut_exit {
	UT_EXIT_OK = 0,		/* success; every --require met */
	UT_EXIT_UNMET = 1,	/* a --require was not met */
	UT_EXIT_USAGE = 2,	/* bad command line */
	UT_EXIT_UNAVAILABLE = 3,	/* io_uring, an op or Python missing here */
	UT_EXIT_FAILURE = 4,	/* the work failed (peer, I/O, resources) */
	UT_EXIT_INTERRUPTED = 130,	/* SIGINT */
};

struct ut_command {
	const char *name;
	int (*fn)(int argc, char **argv);	/* argv[0] is the command name */
	const char *summary;
};

extern const char *ut_progname;

void ut_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A status line on stderr: "uring-tool: WHAT: ..." (stdout holds results). */
void ut_status(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "uring-tool: error: ..." plus a pointer to CMD --help; returns 2. */
int ut_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A getopt_long error for cmd: names the bad option; returns 2. */
int ut_bad_option(const char *cmd, int optopt_c, const char *arg);

struct json_object;
/* Print a JSON document (pretty, '\n'-terminated) and drop the reference. */
void ut_json_print(FILE *f, struct json_object *doc);

/* Human sizes: "64 KiB", "unlimited" for UINT64_MAX */
const char *ut_fmt_bytes(unsigned long long v, char *buf, size_t len);

int cmd_probe(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_run(int argc, char **argv);

/* Usage texts, also printed by `uring-tool help CMD` */
void cmd_probe_usage(FILE *f);
void cmd_bench_usage(FILE *f);
void cmd_run_usage(FILE *f);

#endif
