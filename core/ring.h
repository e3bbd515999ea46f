/* SPDX-License-Identifier: MIT */
/* Ring setup with a fallback ladder, shared by the engines and the module. */
#ifndef UT_RING_H
#define UT_RING_H

#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>

/* What the caller would like; ut_ring_init() steps down until one works. */
#define UT_RING_WANT_DEFER	(1u << 0)	/* DEFER_TASKRUN|SINGLE_ISSUER */
#define UT_RING_WANT_SQPOLL	(1u << 1)	/* SQPOLL (skips the taskrun rungs) */

/*
 * Set up ring with entries SQEs and cq_entries CQEs (0 = kernel default),
 * trying in order: SQPOLL (if wanted), DEFER_TASKRUN|SINGLE_ISSUER (if
 * wanted), COOP_TASKRUN|SINGLE_ISSUER, COOP_TASKRUN, no flags. Only EINVAL
 * moves down the ladder; any other error is returned. *in_effect gets the
 * setup flags of the ring made. Also registers the ring fd when it can.
 */
int ut_ring_init(struct io_uring *ring, unsigned int entries,
		 unsigned int cq_entries, unsigned int want,
		 uint32_t *in_effect);

/* 1 if the ring's kernel supports opcode op, 0 if not, -errno on failure. */
int ut_ring_has_op(struct io_uring *ring, int op);

/*
 * The thread id of an SQPOLL ring's kernel thread (from the ring's
 * /proc fdinfo "SqThread:"), 0 for other rings or when the kernel does not
 * say within 100 ms. Its CPU time is the ring's submission work. Call it
 * from the thread that created the ring: until the SQ thread runs, the
 * kernel shows its creator's tid, which this tells apart from the answer.
 */
int ut_ring_sq_tid(const struct io_uring *ring);

/* Setup flags as "DEFER_TASKRUN|SINGLE_ISSUER" ("none" for 0). */
const char *ut_ring_flags_str(uint32_t flags, char *buf, size_t len);

#endif
