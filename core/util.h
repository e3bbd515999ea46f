/* SPDX-License-Identifier: MIT */
/* Small helpers shared across the core: clocks, parsing of sizes and times. */
#ifndef UT_UTIL_H
#define UT_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define UT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline uint64_t ut_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Memory the kernel holds (rings, provided and registered buffers): fresh
 * anonymous pages, never heap, so a late write after the ring is closed
 * (rings are torn down asynchronously; a receive may still be armed) cannot
 * land on memory an allocator has handed out again. NULL on failure;
 * release with munmap(p, len).
 */
void *ut_map_kernel(size_t len);

/* "64K", "1M", "4096" -> bytes; K/M/G are powers of 1024. -EINVAL/-ERANGE. */
int ut_parse_size(const char *s, uint64_t *out);
/* "10", "10s", "0.5s", "250ms" -> nanoseconds (a bare number is seconds). */
int ut_parse_duration(const char *s, uint64_t *out_ns);
/* Whole number in [min, max]; -EINVAL or -ERANGE. */
int ut_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif
