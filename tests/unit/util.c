// SPDX-License-Identifier: MIT
/* Size, duration and number parsing: suffixes, bounds, overflow and junk. */
#include "ut_test.h"

#include "util.h"

#include <errno.h>

static void size_ok(const char *s, uint64_t want)
{
	uint64_t v = 0;
	int ret = ut_parse_size(s, &v);

	if (ret) {
		T_FAIL("ut_parse_size(\"%s\") = %d, want 0", s, ret);
		return;
	}
	t_checks++;
	CHECK_U64(v, want);
}

static void size_bad(const char *s, int want)
{
	uint64_t v = 4242;

	CHECK_INT(ut_parse_size(s, &v), want);
	CHECK_U64(v, 4242);	/* untouched on error */
}

static void dur_ok(const char *s, uint64_t want)
{
	uint64_t v = 0;
	int ret = ut_parse_duration(s, &v);

	if (ret) {
		T_FAIL("ut_parse_duration(\"%s\") = %d, want 0", s, ret);
		return;
	}
	t_checks++;
	CHECK_U64(v, want);
}

static void dur_bad(const char *s, int want)
{
	uint64_t v = 4242;

	CHECK_INT(ut_parse_duration(s, &v), want);
	CHECK_U64(v, 4242);
}

static void test_size(void)
{
	size_ok("0", 0);
	size_ok("4096", 4096);
	size_ok("64K", 64 << 10);
	size_ok("64k", 64 << 10);
	size_ok("64KiB", 64 << 10);
	size_ok("64kb", 64 << 10);
	size_ok("1M", 1 << 20);
	size_ok("2G", 2ull << 30);
	size_ok("18446744073709551615", UINT64_MAX);
	size_ok("17179869183G", 17179869183ull << 30);

	size_bad("", -EINVAL);
	size_bad("K", -EINVAL);
	size_bad("-1", -EINVAL);
	size_bad("+1", -EINVAL);
	size_bad(" 1", -EINVAL);
	size_bad("1 ", -EINVAL);
	size_bad("1.5M", -EINVAL);
	size_bad("1T", -EINVAL);
	size_bad("1KK", -EINVAL);
	size_bad("1Kx", -EINVAL);
	size_bad("1B", -EINVAL);	/* a unit alone is no size suffix */
	size_bad("0x10", -EINVAL);
	size_bad("12abc", -EINVAL);
	size_bad("18446744073709551616", -ERANGE);
	size_bad("99999999999999999999999", -ERANGE);
	size_bad("17179869184G", -ERANGE);
	size_bad("18014398509481984K", -ERANGE);
}

static void test_duration(void)
{
	dur_ok("0", 0);
	dur_ok("10", 10000000000ull);
	dur_ok("10s", 10000000000ull);
	dur_ok("250ms", 250000000ull);
	dur_ok("1ms", 1000000ull);
	dur_ok("7us", 7000ull);
	dur_ok("18446744073", 18446744073000000000ull);
	dur_ok("1.5s", 1500000000ull);
	dur_ok("0.3", 300000000ull);
	dur_ok("0.25ms", 250000ull);
	dur_ok("2.000000001", 2000000001ull);

	dur_bad("", -EINVAL);
	dur_bad("s", -EINVAL);
	dur_bad("ms", -EINVAL);
	dur_bad("-1", -EINVAL);
	dur_bad("1.s", -EINVAL);
	dur_bad(".5s", -EINVAL);
	dur_bad("1.5.5s", -EINVAL);
	dur_bad("18446744073.9", -ERANGE);
	dur_bad("10m", -EINVAL);
	dur_bad("10 ms", -EINVAL);
	dur_bad("10sec", -EINVAL);
	dur_bad("10msx", -EINVAL);
	dur_bad("1h", -EINVAL);
	dur_bad("18446744074", -ERANGE);
	dur_bad("18446744073710ms", -ERANGE);
	dur_bad("99999999999999999999999s", -ERANGE);
}

static void test_uint(void)
{
	uint64_t v = 0;

	CHECK_INT(ut_parse_uint("8", 1, 32768, &v), 0);
	CHECK_U64(v, 8);
	CHECK_INT(ut_parse_uint("1", 1, 32768, &v), 0);
	CHECK_U64(v, 1);
	CHECK_INT(ut_parse_uint("32768", 1, 32768, &v), 0);
	CHECK_U64(v, 32768);
	CHECK_INT(ut_parse_uint("18446744073709551615", 0, UINT64_MAX, &v), 0);
	CHECK_U64(v, UINT64_MAX);

	v = 4242;
	CHECK_INT(ut_parse_uint("0", 1, 32768, &v), -ERANGE);
	CHECK_INT(ut_parse_uint("32769", 1, 32768, &v), -ERANGE);
	CHECK_INT(ut_parse_uint("18446744073709551616", 0, UINT64_MAX, &v), -ERANGE);
	CHECK_INT(ut_parse_uint("", 0, 10, &v), -EINVAL);
	CHECK_INT(ut_parse_uint("-1", 0, 10, &v), -EINVAL);
	CHECK_INT(ut_parse_uint(" 1", 0, 10, &v), -EINVAL);
	CHECK_INT(ut_parse_uint("1 ", 0, 10, &v), -EINVAL);
	CHECK_INT(ut_parse_uint("1k", 0, 10000, &v), -EINVAL);
	CHECK_INT(ut_parse_uint("0x10", 0, 100, &v), -EINVAL);
	CHECK_INT(ut_parse_uint("abc", 0, 100, &v), -EINVAL);
	CHECK_U64(v, 4242);
}

int main(void)
{
	test_size();
	test_duration();
	test_uint();
	return t_done("util");
}
