// SPDX-License-Identifier: MIT
/* Placeholder until the embedded interpreter lands (issue 4). */
#include "cli.h"

void cmd_run_usage(FILE *f)
{
	fprintf(f, "usage: uring-tool run [script.py | -m module | -c code] [ARGS]\n");
}

int cmd_run(int argc, char **argv)
{
	ut_error("run: Python support is not built in");
	return UT_EXIT_UNAVAILABLE;
}
