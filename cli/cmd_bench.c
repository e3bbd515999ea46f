// SPDX-License-Identifier: MIT
/* Placeholder until the bench engines land (issue 3). */
#include "cli.h"

void cmd_bench_usage(FILE *f)
{
	fprintf(f, "usage: uring-tool bench BENCHMARK [OPTIONS]\n");
}

int cmd_bench(int argc, char **argv)
{
	ut_error("bench: not built yet");
	return UT_EXIT_UNAVAILABLE;
}
