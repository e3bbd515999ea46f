// SPDX-License-Identifier: MIT
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

static int parse_u64(const char *s, uint64_t *out, char **end)
{
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(s, end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	*out = v;
	return 0;
}

int ut_parse_size(const char *s, uint64_t *out)
{
	uint64_t v, mul = 1;
	char *end;
	int ret = parse_u64(s, &v, &end);

	if (ret)
		return ret;
	switch (toupper((unsigned char)*end)) {
	case 'K': mul = 1ull << 10; end++; break;
	case 'M': mul = 1ull << 20; end++; break;
	case 'G': mul = 1ull << 30; end++; break;
	}
	/* accept "64KiB" and "64KB" as well as "64K" */
	if (mul > 1 && (!strcasecmp(end, "iB") || !strcasecmp(end, "B")))
		end += strlen(end);
	if (*end)
		return -EINVAL;
	if (v > UINT64_MAX / mul)
		return -ERANGE;
	*out = v * mul;
	return 0;
}

int ut_parse_duration(const char *s, uint64_t *out_ns)
{
	uint64_t v, frac = 0, scale = 1, mul = 1000000000ull;
	char *end;
	int ret = parse_u64(s, &v, &end);

	if (ret)
		return ret;
	/* "0.25s", "1.5": up to nine decimals, without locale-dependent strtod */
	if (*end == '.') {
		end++;
		if (!isdigit((unsigned char)*end))
			return -EINVAL;
		while (isdigit((unsigned char)*end)) {
			if (scale < 1000000000ull) {
				frac = frac * 10 + (uint64_t)(*end - '0');
				scale *= 10;
			}
			end++;
		}
	}
	if (!strcmp(end, "ms"))
		mul = 1000000ull;
	else if (!strcmp(end, "us"))
		mul = 1000ull;
	else if (*end && strcmp(end, "s"))
		return -EINVAL;
	if (v > UINT64_MAX / mul || v * mul > UINT64_MAX - frac * mul / scale)
		return -ERANGE;
	*out_ns = v * mul + frac * mul / scale;
	return 0;
}

int ut_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;
	char *end;
	int ret = parse_u64(s, &v, &end);

	if (ret)
		return ret;
	if (*end)
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

void *ut_map_kernel(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}
