// SPDX-License-Identifier: MIT
#include "stats.h"

#include <stdlib.h>

double ut_gbit_per_s(uint64_t bytes, uint64_t ns)
{
	return ns ? (double)bytes * 8.0 / (double)ns : 0.0;
}

double ut_per_s(uint64_t count, uint64_t ns)
{
	return ns ? (double)count * 1e9 / (double)ns : 0.0;
}

double ut_ratio(double a, double b)
{
	return b != 0.0 ? a / b : 0.0;
}

uint64_t ut_tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000ull +
	       (uint64_t)tv->tv_usec * 1000ull;
}

double ut_cpu_pct(const struct timeval *before, const struct timeval *after,
		  uint64_t wall_ns)
{
	uint64_t a = ut_tv_ns(before), b = ut_tv_ns(after);

	if (!wall_ns || b < a)
		return 0.0;
	return (double)(b - a) * 100.0 / (double)wall_ns;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

uint64_t ut_percentile_u64(uint64_t *v, size_t n, double p)
{
	size_t rank;
	double x;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	if (p <= 0)
		return v[0];
	if (p >= 100)
		return v[n - 1];
	/* nearest rank: the smallest value with at least p% at or below it */
	x = p / 100.0 * (double)n;
	rank = (size_t)x;
	if ((double)rank < x)
		rank++;
	return v[rank ? rank - 1 : 0];
}

double ut_median(double *v, size_t n)
{
	if (!n)
		return 0.0;
	qsort(v, n, sizeof(*v), cmp_double);
	if (n % 2)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2.0;
}
