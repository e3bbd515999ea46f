// SPDX-License-Identifier: MIT
/* core/stats.c: rates, percentiles, CPU percentages. */
#include "stats.h"
#include "ut_test.h"

static int near(double a, double b)
{
	double d = a - b;

	return d < 1e-9 && d > -1e-9;
}

int main(void)
{
	uint64_t v[] = { 50, 10, 40, 20, 30 };
	uint64_t one[] = { 7 };
	double m4[] = { 4, 1, 3, 2 }, m3[] = { 9, 1, 5 };
	struct timeval a = { 1, 500000 }, b = { 2, 0 };

	/* 1 GB in 1 s is 8 Gbit/s; 0 ns must not divide by zero */
	CHECK(near(ut_gbit_per_s(1000000000ull, 1000000000ull), 8.0));
	CHECK(near(ut_gbit_per_s(65536, 0), 0.0));
	CHECK(near(ut_per_s(500, 250000000ull), 2000.0));
	CHECK(near(ut_per_s(5, 0), 0.0));
	CHECK(near(ut_ratio(3, 2), 1.5));
	CHECK(near(ut_ratio(3, 0), 0.0));

	CHECK_U64(ut_tv_ns(&a), 1500000000ull);
	/* 0.5 s of CPU over 1 s of wall time is 50% of one CPU */
	CHECK(near(ut_cpu_pct(&a, &b, 1000000000ull), 50.0));
	CHECK(near(ut_cpu_pct(&b, &a, 1000000000ull), 0.0));
	CHECK(near(ut_cpu_pct(&a, &b, 0), 0.0));

	/* nearest rank on 10..50 */
	CHECK_U64(ut_percentile_u64(v, 5, 50), 30);
	CHECK_U64(v[0], 10);		/* sorted in place */
	CHECK_U64(ut_percentile_u64(v, 5, 99), 50);
	CHECK_U64(ut_percentile_u64(v, 5, 20), 10);
	CHECK_U64(ut_percentile_u64(v, 5, 21), 20);
	CHECK_U64(ut_percentile_u64(v, 5, 0), 10);
	CHECK_U64(ut_percentile_u64(v, 5, 100), 50);
	CHECK_U64(ut_percentile_u64(one, 1, 99), 7);
	CHECK_U64(ut_percentile_u64(NULL, 0, 50), 0);

	CHECK(near(ut_median(m4, 4), 2.5));
	CHECK(near(ut_median(m3, 3), 5.0));
	CHECK(near(ut_median(NULL, 0), 0.0));
	return t_done("stats");
}
