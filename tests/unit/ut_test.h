/* SPDX-License-Identifier: MIT */
/*
 * Tiny assertion helpers for the C unit tests. A test program exits 0 when
 * every check passed, 1 when one failed and 77 when it had to skip
 * (liburing's and automake's convention, SKIP_RETURN_CODE in ctest).
 */
#ifndef UT_TEST_H
#define UT_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T_EXIT_PASS 0
#define T_EXIT_FAIL 1
#define T_EXIT_SKIP 77

static int t_failures;
static int t_checks;

#define T_FAIL(fmt, ...) do {						\
	fprintf(stderr, "%s:%d: " fmt "\n", __FILE__, __LINE__,		\
		##__VA_ARGS__);						\
	t_failures++;							\
} while (0)

#define CHECK(cond) do {						\
	t_checks++;							\
	if (!(cond))							\
		T_FAIL("check failed: %s", #cond);			\
} while (0)

#define CHECK_INT(got, want) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	t_checks++;							\
	if (g_ != w_)							\
		T_FAIL("%s == %lld, want %lld", #got, g_, w_);		\
} while (0)

#define CHECK_U64(got, want) do {					\
	uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);		\
	t_checks++;							\
	if (g_ != w_)							\
		T_FAIL("%s == %" PRIu64 ", want %" PRIu64, #got, g_, w_); \
} while (0)

/* NULL-safe string equality */
#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	t_checks++;							\
	if (!g_ || !w_ ? g_ != w_ : strcmp(g_, w_) != 0)		\
		T_FAIL("%s == \"%s\", want \"%s\"", #got,		\
		       g_ ? g_ : "(null)", w_ ? w_ : "(null)");		\
} while (0)

#define CHECK_CONTAINS(got, needle) do {				\
	const char *g_ = (got), *n_ = (needle);				\
	t_checks++;							\
	if (!g_ || !strstr(g_, n_))					\
		T_FAIL("%s == \"%s\", want it to contain \"%s\"", #got,	\
		       g_ ? g_ : "(null)", n_);				\
} while (0)

static inline int t_done(const char *name)
{
	if (t_failures) {
		fprintf(stderr, "%s: %d of %d checks failed\n", name,
			t_failures, t_checks);
		return T_EXIT_FAIL;
	}
	printf("%s: %d checks passed\n", name, t_checks);
	return T_EXIT_PASS;
}

#endif
