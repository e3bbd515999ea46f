/* SPDX-License-Identifier: MIT */
/* Human output of `uring-tool bench`: the table and the progress lines. */
#ifndef UT_BENCH_RENDER_H
#define UT_BENCH_RENDER_H

#include <stdio.h>

#include "bench.h"

void ut_bench_render_table(FILE *f, const struct ut_bench_config *c,
			   const struct ut_bench_result *r);
/* A ut_bench_progress_fn: one `iperf3 -i` style line on stderr. */
void ut_bench_render_progress(const struct ut_bench_row *row,
			      const struct ut_bench_sample *s, void *arg);
/* `bench list` */
void ut_bench_render_list(FILE *f);

#endif
