/* SPDX-License-Identifier: MIT */
/* Rates, percentiles and CPU accounting: pure functions, unit-tested. */
#ifndef UT_STATS_H
#define UT_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

/* bytes over ns as Gbit/s (10^9 bits per second); 0 when ns is 0. */
double ut_gbit_per_s(uint64_t bytes, uint64_t ns);
/* count over ns as events per second; 0 when ns is 0. */
double ut_per_s(uint64_t count, uint64_t ns);
/* a / b, or 0 when b is 0. */
double ut_ratio(double a, double b);
/* timeval as nanoseconds */
uint64_t ut_tv_ns(const struct timeval *tv);
/* CPU time between two readings as a percentage of one CPU over wall_ns. */
double ut_cpu_pct(const struct timeval *before, const struct timeval *after,
		  uint64_t wall_ns);
/* Nearest-rank percentile p (0..100) of v; sorts v in place; 0 if n is 0. */
uint64_t ut_percentile_u64(uint64_t *v, size_t n, double p);
/* Median of v (mean of the middle two when n is even); sorts v; 0 if n is 0. */
double ut_median(double *v, size_t n);

#endif
