// SPDX-License-Identifier: MIT
/* uring-tool: global options, the command table, exact-name dispatch. */
#include "cli.h"

#include "abi.h"
#include "probe.h"
#include "util.h"

#include <errno.h>
#include <string.h>

#ifdef UT_WITH_PYTHON
#include "embed.h"
#endif

static int cmd_help(int argc, char **argv);

static const struct ut_command commands[] = {
	{ "bench", cmd_bench, "socket benchmarks: send, recv, sendzc, sendmsg_zc; server" },
	{ "help", cmd_help, "show help for a command" },
	{ "probe", cmd_probe, "tell what this kernel and sandbox allow" },
	{ "run", cmd_run, "run a Python script with the uring module" },
};

static const struct {
	const char *name;
	void (*usage)(FILE *f);
} usages[] = {
	{ "bench", cmd_bench_usage },
	{ "probe", cmd_probe_usage },
	{ "run", cmd_run_usage },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [--version] [--help] COMMAND [ARGS]\n\n"
		"io_uring toolkit: probe the kernel, benchmark sockets, script rings.\n\n"
		"commands:\n", ut_progname);
	for (size_t i = 0; i < UT_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'%s help COMMAND' or '%s COMMAND --help' shows a command's "
		"options.\nExit status: 0 ok, 1 requirement not met, 2 usage "
		"error, 3 unavailable here,\n4 failure, 130 interrupted "
		"(see uring-tool(1)).\n", ut_progname, ut_progname);
}

static const struct ut_command *find(const char *name)
{
	for (size_t i = 0; i < UT_ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static const char *suggest(const char *name)
{
	const char *best = NULL;
	int bestd = 3;

	for (size_t i = 0; i < UT_ARRAY_SIZE(commands); i++) {
		int d = ut_edit_distance(name, commands[i].name);
		if (d < bestd) {
			bestd = d;
			best = commands[i].name;
		}
	}
	return best;
}

static int unknown_command(const char *name)
{
	const char *s = suggest(name);

	if (s)
		return ut_usage_error(NULL, "unknown command '%s' (did you mean '%s'?)",
				      name, s);
	return ut_usage_error(NULL, "unknown command '%s'", name);
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return UT_EXIT_OK;
	}
	if (argc > 2)
		return ut_usage_error("help", "too many arguments");
	for (size_t i = 0; i < UT_ARRAY_SIZE(usages); i++)
		if (!strcmp(usages[i].name, argv[1])) {
			usages[i].usage(stdout);
			return UT_EXIT_OK;
		}
	/* 'help --help', like every command's --help */
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(stdout);
		return UT_EXIT_OK;
	}
	return unknown_command(argv[1]);
}

static void version(void)
{
	char rt[16];

	ut_liburing_runtime_version(rt, sizeof(rt));
	printf("uring-tool %s\n", UT_VERSION);
	printf("liburing %s (built with), %s (running)\n",
	       UT_LIBURING_BUILD_VERSION, rt);
#ifdef UT_WITH_PYTHON
	printf("python %s (embedded)\n", ut_py_version());
#else
	printf("python: not built in\n");
#endif
}

int main(int argc, char **argv)
{
	const struct ut_command *c;
	int ret;

	if (argc < 2) {
		usage(stderr);
		return UT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		ret = UT_EXIT_OK;
	} else if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		version();
		ret = UT_EXIT_OK;
	} else if (argv[1][0] == '-') {
		return ut_usage_error(NULL, "unknown option '%s'", argv[1]);
	} else if (!(c = find(argv[1]))) {
		return unknown_command(argv[1]);
	} else {
		ret = c->fn(argc - 1, argv + 1);
	}
	/* a full disk or a closed pipe must not exit 0 */
	if (fflush(stdout) || ferror(stdout)) {
		if (errno != EPIPE)
			ut_error("write to standard output: %s", strerror(errno));
		if (ret == UT_EXIT_OK)
			ret = UT_EXIT_FAILURE;
	}
	return ret;
}
