/* SPDX-License-Identifier: MIT */
/*
 * io_uring ABI names keyed by the kernel's own numbers, not by the build
 * headers' enums: liburing 2.3 stops at opcode 48, kernels go further.
 */
#ifndef UT_ABI_H
#define UT_ABI_H

#include <stddef.h>
#include <stdint.h>

/*
 * Kernel ABI bits newer than liburing 2.3's io_uring.h, with the kernel's
 * values; what that header has (IORING_OP_*, IORING_RECVSEND_FIXED_BUF)
 * is used under its own name.
 */
#define UT_SEND_ZC_REPORT_USAGE		(1U << 3)	/* sqe->ioprio, 6.2 */
#define UT_RECVSEND_BUNDLE		(1U << 4)	/* sqe->ioprio, 6.10 */
#define UT_NOTIF_USAGE_ZC_COPIED	(1U << 31)	/* notification cqe->res */
#define UT_FEAT_RECVSEND_BUNDLE		(1U << 14)	/* params.features, 6.10 */

/* Kernel version packed for comparisons: KV(6, 1) < KV(6, 12). */
#define UT_KV(maj, min) (((maj) << 16) | ((min) << 8))

struct ut_name {
	unsigned int number;	/* opcode, or bit index for flag tables */
	const char *name;	/* without the IORING_OP_ / IORING_SETUP_ prefix */
	unsigned int since;	/* UT_KV() of the first kernel that has it */
	const char *requires;	/* setup flags: partners/params it needs, else NULL */
};

struct ut_table {
	const char *kind;	/* "op", "setup", "feature", ... */
	const char *prefix;	/* "IORING_OP_" */
	const char *unknown_fmt;	/* "OP_%u" or "BIT%u" */
	const struct ut_name *items;
	size_t len;
	/*
	 * Highest n of the numeric form: 255 for opcodes (sqe->opcode is a
	 * byte; register opcodes are listed up to 255 too), 63 for flag bits
	 * (the ringless query reports 64-bit masks).
	 */
	unsigned int max;
	const char *number_help;	/* "OP_n takes a decimal n from 0 to 255" */
};

extern const struct ut_table ut_ops, ut_setup_flags, ut_features,
	ut_register_ops, ut_enter_flags, ut_sqe_flags, ut_cqe_flags;

/* Entry with this number (opcode or bit index), or NULL. */
const struct ut_name *ut_abi_find(const struct ut_table *t, unsigned int number);
/*
 * Case-insensitive name lookup, with or without the table's prefix; the
 * numeric form ("OP_47", "BIT13") finds the entry with that number.
 */
const struct ut_name *ut_abi_lookup(const struct ut_table *t, const char *name);
/*
 * The numeric form of a name, "OP_<n>" / "BIT<n>" (case-insensitive, with
 * or without the prefix), known to the table or not. 0 with *number set
 * when n is decimal digits only and at most t->max; -ENOENT when name does
 * not have that form; -EINVAL when what follows OP_ / BIT is not digits
 * only (a sign, a space, nothing); -ERANGE when n is above t->max, however
 * many digits it has (never wrapped into range).
 */
int ut_abi_number(const struct ut_table *t, const char *name,
		  unsigned int *number);
/* Name for a number: the table's, else the unknown format ("OP_63"). */
const char *ut_abi_name(const struct ut_table *t, unsigned int number,
			char *buf, size_t len);
/* Closest known name to a misspelt one (edit distance <= 3), or NULL. */
const char *ut_abi_suggest(const struct ut_table *t, const char *name);

/*
 * "6.1" -> UT_KV(6,1); "6.18.44-fc" -> UT_KV(6,18) + 44 (patch clamped to
 * 255). Returns the first character not parsed, or NULL if s is no version:
 * no digit first, or a major or minor above 255 (whatever its length).
 */
const char *ut_kver_parse(const char *s, unsigned int *out);
/* UT_KV value as "6.1" */
const char *ut_kver_str(unsigned int kv, char *buf, size_t len);

/* Levenshtein distance, capped; exposed for the requirement parser. */
int ut_edit_distance(const char *a, const char *b);

#endif
