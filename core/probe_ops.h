/* SPDX-License-Identifier: MIT */
/* The individual behaviour probes (core-internal). */
#ifndef UT_PROBE_OPS_H
#define UT_PROBE_OPS_H

#include "probe.h"

#include <stdarg.h>

void ut_beh_set(struct ut_behaviour *b, enum ut_bstatus st, int err,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Each fills b (status, err, detail, zc_copied) within timeout_ms. */
void ut_beh_accept_multishot(unsigned int timeout_ms, struct ut_behaviour *b);
void ut_beh_recv_multishot(unsigned int timeout_ms, struct ut_behaviour *b);
void ut_beh_recv_bundle(unsigned int timeout_ms, struct ut_behaviour *b);
void ut_beh_send_zc(unsigned int timeout_ms, struct ut_behaviour *b);
void ut_beh_socket(unsigned int timeout_ms, struct ut_behaviour *b);
void ut_beh_defer_taskrun(unsigned int timeout_ms, struct ut_behaviour *b);

#endif
