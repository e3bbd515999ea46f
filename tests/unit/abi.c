// SPDX-License-Identifier: MIT
/*
 * The ABI name tables against the design's ABI.md: every number, name and
 * first kernel release; lookups, unknown numbers, suggestions and kernel
 * version parsing.
 */
#include "ut_test.h"

#include "abi.h"

#include <errno.h>
#include <liburing.h>

struct want {
	unsigned int number;
	const char *name;
	unsigned int maj, min;
};

/* Transcribed from shared/design/ABI.md, independently of core/abi.c. */
static const struct want want_ops[] = {
	{ 0, "NOP", 5, 1 },
	{ 1, "READV", 5, 1 },
	{ 2, "WRITEV", 5, 1 },
	{ 3, "FSYNC", 5, 1 },
	{ 4, "READ_FIXED", 5, 1 },
	{ 5, "WRITE_FIXED", 5, 1 },
	{ 6, "POLL_ADD", 5, 1 },
	{ 7, "POLL_REMOVE", 5, 1 },
	{ 8, "SYNC_FILE_RANGE", 5, 2 },
	{ 9, "SENDMSG", 5, 3 },
	{ 10, "RECVMSG", 5, 3 },
	{ 11, "TIMEOUT", 5, 4 },
	{ 12, "TIMEOUT_REMOVE", 5, 5 },
	{ 13, "ACCEPT", 5, 5 },
	{ 14, "ASYNC_CANCEL", 5, 5 },
	{ 15, "LINK_TIMEOUT", 5, 5 },
	{ 16, "CONNECT", 5, 5 },
	{ 17, "FALLOCATE", 5, 6 },
	{ 18, "OPENAT", 5, 6 },
	{ 19, "CLOSE", 5, 6 },
	{ 20, "FILES_UPDATE", 5, 6 },
	{ 21, "STATX", 5, 6 },
	{ 22, "READ", 5, 6 },
	{ 23, "WRITE", 5, 6 },
	{ 24, "FADVISE", 5, 6 },
	{ 25, "MADVISE", 5, 6 },
	{ 26, "SEND", 5, 6 },
	{ 27, "RECV", 5, 6 },
	{ 28, "OPENAT2", 5, 6 },
	{ 29, "EPOLL_CTL", 5, 6 },
	{ 30, "SPLICE", 5, 7 },
	{ 31, "PROVIDE_BUFFERS", 5, 7 },
	{ 32, "REMOVE_BUFFERS", 5, 7 },
	{ 33, "TEE", 5, 8 },
	{ 34, "SHUTDOWN", 5, 11 },
	{ 35, "RENAMEAT", 5, 11 },
	{ 36, "UNLINKAT", 5, 11 },
	{ 37, "MKDIRAT", 5, 15 },
	{ 38, "SYMLINKAT", 5, 15 },
	{ 39, "LINKAT", 5, 15 },
	{ 40, "MSG_RING", 5, 18 },
	{ 41, "FSETXATTR", 5, 19 },
	{ 42, "SETXATTR", 5, 19 },
	{ 43, "FGETXATTR", 5, 19 },
	{ 44, "GETXATTR", 5, 19 },
	{ 45, "SOCKET", 5, 19 },
	{ 46, "URING_CMD", 5, 19 },
	{ 47, "SEND_ZC", 6, 0 },
	{ 48, "SENDMSG_ZC", 6, 1 },
	{ 49, "READ_MULTISHOT", 6, 7 },
	{ 50, "WAITID", 6, 7 },
	{ 51, "FUTEX_WAIT", 6, 7 },
	{ 52, "FUTEX_WAKE", 6, 7 },
	{ 53, "FUTEX_WAITV", 6, 7 },
	{ 54, "FIXED_FD_INSTALL", 6, 8 },
	{ 55, "FTRUNCATE", 6, 9 },
	{ 56, "BIND", 6, 11 },
	{ 57, "LISTEN", 6, 11 },
	{ 58, "RECV_ZC", 6, 15 },
	{ 59, "EPOLL_WAIT", 6, 15 },
	{ 60, "READV_FIXED", 6, 15 },
	{ 61, "WRITEV_FIXED", 6, 15 },
	{ 62, "PIPE", 6, 16 },
	{ 63, "NOP128", 6, 19 },
	{ 64, "URING_CMD128", 6, 19 },
};

static const struct want want_setup[] = {
	{ 0, "IOPOLL", 5, 1 },
	{ 1, "SQPOLL", 5, 1 },
	{ 2, "SQ_AFF", 5, 1 },
	{ 3, "CQSIZE", 5, 5 },
	{ 4, "CLAMP", 5, 6 },
	{ 5, "ATTACH_WQ", 5, 6 },
	{ 6, "R_DISABLED", 5, 10 },
	{ 7, "SUBMIT_ALL", 5, 18 },
	{ 8, "COOP_TASKRUN", 5, 19 },
	{ 9, "TASKRUN_FLAG", 5, 19 },
	{ 10, "SQE128", 5, 19 },
	{ 11, "CQE32", 5, 19 },
	{ 12, "SINGLE_ISSUER", 6, 0 },
	{ 13, "DEFER_TASKRUN", 6, 1 },
	{ 14, "NO_MMAP", 6, 5 },
	{ 15, "REGISTERED_FD_ONLY", 6, 5 },
	{ 16, "NO_SQARRAY", 6, 6 },
	{ 17, "HYBRID_IOPOLL", 6, 13 },
	{ 18, "CQE_MIXED", 6, 18 },
	{ 19, "SQE_MIXED", 6, 19 },
	{ 20, "SQ_REWIND", 7, 0 },
};

static const struct want want_features[] = {
	{ 0, "SINGLE_MMAP", 5, 4 },
	{ 1, "NODROP", 5, 5 },
	{ 2, "SUBMIT_STABLE", 5, 5 },
	{ 3, "RW_CUR_POS", 5, 6 },
	{ 4, "CUR_PERSONALITY", 5, 6 },
	{ 5, "FAST_POLL", 5, 7 },
	{ 6, "POLL_32BITS", 5, 9 },
	{ 7, "SQPOLL_NONFIXED", 5, 11 },
	{ 8, "EXT_ARG", 5, 11 },
	{ 9, "NATIVE_WORKERS", 5, 12 },
	{ 10, "RSRC_TAGS", 5, 13 },
	{ 11, "CQE_SKIP", 5, 17 },
	{ 12, "LINKED_FILE", 5, 17 },
	{ 13, "REG_REG_RING", 6, 3 },
	{ 14, "RECVSEND_BUNDLE", 6, 10 },
	{ 15, "MIN_TIMEOUT", 6, 12 },
	{ 16, "RW_ATTR", 6, 14 },
	{ 17, "NO_IOWAIT", 6, 15 },
};

/* Partner each setup flag needs (ABI.md "how to test it"), NULL: alone. */
static const struct {
	const char *flag;
	const char *needs;
} want_requires[] = {
	{ "IOPOLL", NULL }, { "SQPOLL", NULL }, { "SQ_AFF", "SQPOLL" },
	{ "CQSIZE", "cq_entries" }, { "CLAMP", NULL }, { "ATTACH_WQ", "wq_fd" },
	{ "R_DISABLED", NULL }, { "SUBMIT_ALL", NULL }, { "COOP_TASKRUN", NULL },
	{ "TASKRUN_FLAG", "COOP_TASKRUN" }, { "SQE128", NULL }, { "CQE32", NULL },
	{ "SINGLE_ISSUER", NULL }, { "DEFER_TASKRUN", "SINGLE_ISSUER" },
	{ "NO_MMAP", "user_addr" }, { "REGISTERED_FD_ONLY", "NO_MMAP" },
	{ "NO_SQARRAY", NULL }, { "HYBRID_IOPOLL", "IOPOLL" },
	{ "CQE_MIXED", NULL }, { "SQE_MIXED", NULL },
	{ "SQ_REWIND", "NO_SQARRAY" },
};

static void check_table(const struct ut_table *t, const struct want *w,
			size_t n)
{
	CHECK_INT(t->len, n);
	for (size_t i = 0; i < n; i++) {
		const struct ut_name *e = ut_abi_find(t, w[i].number);

		if (!e) {
			T_FAIL("%s %u (%s) missing", t->kind, w[i].number,
			       w[i].name);
			continue;
		}
		CHECK_INT(e->number, w[i].number);
		CHECK_STR(e->name, w[i].name);
		if (e->since != UT_KV(w[i].maj, w[i].min))
			T_FAIL("%s %s: since 0x%x, want %u.%u", t->kind,
			       w[i].name, e->since, w[i].maj, w[i].min);
		t_checks++;
		/* the table is sorted by number */
		CHECK_INT(t->items[i].number, w[i].number);
		/* and the name finds the same entry */
		CHECK(ut_abi_lookup(t, w[i].name) == e);
	}
}

static void test_tables(void)
{
	check_table(&ut_ops, want_ops, sizeof(want_ops) / sizeof(want_ops[0]));
	check_table(&ut_setup_flags, want_setup,
		    sizeof(want_setup) / sizeof(want_setup[0]));
	check_table(&ut_features, want_features,
		    sizeof(want_features) / sizeof(want_features[0]));
	CHECK_STR(ut_ops.prefix, "IORING_OP_");
	CHECK_STR(ut_setup_flags.prefix, "IORING_SETUP_");
	CHECK_STR(ut_features.prefix, "IORING_FEAT_");

	for (size_t i = 0; i < sizeof(want_requires) / sizeof(want_requires[0]); i++) {
		const struct ut_name *e = ut_abi_lookup(&ut_setup_flags,
							want_requires[i].flag);

		if (!e) {
			T_FAIL("setup flag %s missing", want_requires[i].flag);
			continue;
		}
		if (!want_requires[i].needs)
			CHECK_STR(e->requires, NULL);
		else
			CHECK_CONTAINS(e->requires, want_requires[i].needs);
	}

	/* the register opcodes the probe names from the ringless query */
	CHECK_STR(ut_abi_find(&ut_register_ops, 8)->name, "PROBE");
	CHECK_STR(ut_abi_find(&ut_register_ops, 22)->name, "PBUF_RING");
	CHECK_STR(ut_abi_find(&ut_register_ops, 35)->name, "QUERY");
	CHECK_STR(ut_abi_find(&ut_enter_flags, 3)->name, "EXT_ARG");
	CHECK_STR(ut_abi_find(&ut_sqe_flags, 6)->name, "CQE_SKIP_SUCCESS");
}

/* The build headers agree where they know a number (liburing 2.3: <= 48). */
static void test_headers(void)
{
	CHECK_STR(ut_abi_find(&ut_ops, IORING_OP_NOP)->name, "NOP");
	CHECK_STR(ut_abi_find(&ut_ops, IORING_OP_TIMEOUT)->name, "TIMEOUT");
	CHECK_STR(ut_abi_find(&ut_ops, IORING_OP_SPLICE)->name, "SPLICE");
	CHECK_STR(ut_abi_find(&ut_ops, IORING_OP_SOCKET)->name, "SOCKET");
	CHECK_STR(ut_abi_find(&ut_ops, IORING_OP_URING_CMD)->name, "URING_CMD");
	CHECK_STR(ut_abi_find(&ut_ops, IORING_OP_SEND_ZC)->name, "SEND_ZC");
	CHECK_STR(ut_abi_find(&ut_ops, IORING_OP_SENDMSG_ZC)->name, "SENDMSG_ZC");
	CHECK_INT(1u << ut_abi_lookup(&ut_setup_flags, "SQPOLL")->number,
		  IORING_SETUP_SQPOLL);
	CHECK_INT(1u << ut_abi_lookup(&ut_setup_flags, "CQE32")->number,
		  IORING_SETUP_CQE32);
#ifdef IORING_SETUP_DEFER_TASKRUN
	CHECK_INT(1u << ut_abi_lookup(&ut_setup_flags, "DEFER_TASKRUN")->number,
		  IORING_SETUP_DEFER_TASKRUN);
#endif
	CHECK_INT(1u << ut_abi_lookup(&ut_features, "NODROP")->number,
		  IORING_FEAT_NODROP);
#ifdef IORING_FEAT_LINKED_FILE
	CHECK_INT(1u << ut_abi_lookup(&ut_features, "LINKED_FILE")->number,
		  IORING_FEAT_LINKED_FILE);
#endif
}

static void test_lookup(void)
{
	const struct ut_name *zc = ut_abi_find(&ut_ops, 47);

	CHECK(ut_abi_lookup(&ut_ops, "SEND_ZC") == zc);
	CHECK(ut_abi_lookup(&ut_ops, "send_zc") == zc);
	CHECK(ut_abi_lookup(&ut_ops, "Send_Zc") == zc);
	CHECK(ut_abi_lookup(&ut_ops, "IORING_OP_SEND_ZC") == zc);
	CHECK(ut_abi_lookup(&ut_ops, "ioring_op_send_zc") == zc);
	CHECK(ut_abi_lookup(&ut_setup_flags, "IORING_SETUP_defer_taskrun") ==
	      ut_abi_find(&ut_setup_flags, 13));
	CHECK(ut_abi_lookup(&ut_features, "iORING_feat_recvsend_bundle") ==
	      ut_abi_find(&ut_features, 14));

	/* near misses are not matches */
	CHECK(ut_abi_lookup(&ut_ops, "SEND_Z") == NULL);
	CHECK(ut_abi_lookup(&ut_ops, "SEND_ZC ") == NULL);
	CHECK(ut_abi_lookup(&ut_ops, "") == NULL);
	CHECK(ut_abi_lookup(&ut_ops, "IORING_OP_") == NULL);
	CHECK(ut_abi_lookup(&ut_setup_flags, "SEND_ZC") == NULL);
	CHECK(ut_abi_lookup(&ut_ops, "IORING_SETUP_SQPOLL") == NULL);

	/* "OP_<n>" / "BIT<n>" name numbers, known ones included */
	CHECK(ut_abi_lookup(&ut_ops, "OP_63") == ut_abi_find(&ut_ops, 63));
	CHECK(ut_abi_lookup(&ut_ops, "op_0") == ut_abi_find(&ut_ops, 0));
	CHECK(ut_abi_lookup(&ut_ops, "IORING_OP_OP_47") == zc);
	CHECK(ut_abi_lookup(&ut_setup_flags, "BIT20") ==
	      ut_abi_find(&ut_setup_flags, 20));
	CHECK(ut_abi_lookup(&ut_features, "bit14") ==
	      ut_abi_find(&ut_features, 14));
	CHECK(ut_abi_lookup(&ut_ops, "OP_63x") == NULL);
	CHECK(ut_abi_lookup(&ut_ops, "OP_") == NULL);
	CHECK(ut_abi_lookup(&ut_ops, "OP_200") == NULL);
	CHECK(ut_abi_lookup(&ut_setup_flags, "BIT31") == NULL);
	CHECK(ut_abi_lookup(&ut_ops, "OP_047") == zc);
	CHECK(ut_abi_lookup(&ut_cqe_flags, "BIT15") ==
	      ut_abi_find(&ut_cqe_flags, 15));

	/*
	 * numerals that used to wrap onto a known entry (2^32 + 47, 2^64 + 47,
	 * 256 + 47, 2^32, 2^32 + 1), or that sscanf let through
	 */
	static const struct {
		const struct ut_table *t;
		const char *name;
	} wraps[] = {
		{ &ut_ops, "OP_4294967343" }, { &ut_ops, "OP_18446744073709551663" },
		{ &ut_ops, "OP_303" }, { &ut_setup_flags, "BIT4294967296" },
		{ &ut_setup_flags, "BIT4294967297" }, { &ut_ops, "OP_ 47" },
		{ &ut_ops, "OP_+47" }, { &ut_ops, "OP_+5" }, { &ut_ops, "OP_-0" },
		{ &ut_ops, "OP_\t47" }, { &ut_features, "BIT 1" },
		{ &ut_features, "bit+1" },
	};
	for (size_t i = 0; i < sizeof(wraps) / sizeof(wraps[0]); i++)
		if (ut_abi_lookup(wraps[i].t, wraps[i].name))
			T_FAIL("%s '%s' found", wraps[i].t->kind, wraps[i].name);
		else
			t_checks++;
}

/* Expect ut_abi_number(t, name) to return ret, and number when ret is 0. */
static void number_is(const struct ut_table *t, const char *name, int ret,
		      unsigned int want)
{
	unsigned int n = 12345;
	int got = ut_abi_number(t, name, &n);

	if (got != ret) {
		T_FAIL("%s '%s': %d, want %d", t->kind, name, got, ret);
		return;
	}
	t_checks++;
	CHECK_INT(n, ret ? 12345 : want);	/* untouched on failure */
}

/* OP_n / BITn: decimal digits only, up to the table's max, never wrapped. */
static void test_number(void)
{
	CHECK_INT(ut_ops.max, 255);
	CHECK_INT(ut_register_ops.max, 255);
	CHECK_INT(ut_setup_flags.max, 63);
	CHECK_INT(ut_features.max, 63);
	CHECK_INT(ut_enter_flags.max, 63);
	CHECK_INT(ut_sqe_flags.max, 63);
	CHECK_INT(ut_cqe_flags.max, 63);
	CHECK_STR(ut_ops.number_help, "OP_n takes a decimal n from 0 to 255");
	CHECK_STR(ut_features.number_help, "BITn takes a decimal n from 0 to 63");

	/* named or not, the whole range */
	number_is(&ut_ops, "OP_0", 0, 0);
	number_is(&ut_ops, "op_47", 0, 47);
	number_is(&ut_ops, "OP_98", 0, 98);
	number_is(&ut_ops, "OP_255", 0, 255);
	number_is(&ut_ops, "IORING_OP_OP_200", 0, 200);
	number_is(&ut_ops, "OP_0047", 0, 47);
	number_is(&ut_setup_flags, "BIT21", 0, 21);
	number_is(&ut_setup_flags, "iORING_SETUP_bit63", 0, 63);
	number_is(&ut_features, "BIT31", 0, 31);
	number_is(&ut_register_ops, "OP_99", 0, 99);

	/* out of range, wrapping or not */
	number_is(&ut_ops, "OP_256", -ERANGE, 0);
	number_is(&ut_ops, "OP_303", -ERANGE, 0);
	number_is(&ut_ops, "OP_4294967296", -ERANGE, 0);
	number_is(&ut_ops, "OP_4294967343", -ERANGE, 0);
	number_is(&ut_ops, "OP_18446744073709551663", -ERANGE, 0);
	number_is(&ut_ops, "OP_99999999999999999999999999999999", -ERANGE, 0);
	number_is(&ut_setup_flags, "BIT64", -ERANGE, 0);
	number_is(&ut_setup_flags, "BIT4294967296", -ERANGE, 0);
	number_is(&ut_features, "BIT18446744073709551617", -ERANGE, 0);
	number_is(&ut_sqe_flags, "BIT100", -ERANGE, 0);

	/* not decimal digits only */
	number_is(&ut_ops, "OP_", -EINVAL, 0);
	number_is(&ut_ops, "IORING_OP_OP_", -EINVAL, 0);
	number_is(&ut_ops, "OP_ 47", -EINVAL, 0);
	number_is(&ut_ops, "OP_\t47", -EINVAL, 0);
	number_is(&ut_ops, "OP_+5", -EINVAL, 0);
	number_is(&ut_ops, "OP_-1", -EINVAL, 0);
	number_is(&ut_ops, "OP_47 ", -EINVAL, 0);
	number_is(&ut_ops, "OP_47x", -EINVAL, 0);
	number_is(&ut_ops, "OP_0x2f", -EINVAL, 0);
	number_is(&ut_ops, "OP_4.7", -EINVAL, 0);
	number_is(&ut_ops, "OP_4294967343x", -EINVAL, 0);
	number_is(&ut_features, "BIT 1", -EINVAL, 0);
	number_is(&ut_features, "BIT+1", -EINVAL, 0);
	number_is(&ut_features, "BIT", -EINVAL, 0);

	/* not the numeric form at all: names, the other table's word */
	number_is(&ut_ops, "SEND_ZC", -ENOENT, 0);
	number_is(&ut_ops, "OP_SEND_ZC", -ENOENT, 0);
	number_is(&ut_ops, "OPx1", -ENOENT, 0);
	number_is(&ut_ops, "", -ENOENT, 0);
	number_is(&ut_ops, "BIT1", -ENOENT, 0);
	number_is(&ut_setup_flags, "OP_1", -ENOENT, 0);
	number_is(&ut_features, "BITS", -ENOENT, 0);
	number_is(&ut_ops, "IORING_OP_IORING_OP_OP_1", -ENOENT, 0);
}

static void test_unknown(void)
{
	char buf[24];

	CHECK(ut_abi_find(&ut_ops, 65) == NULL);
	CHECK(ut_abi_find(&ut_ops, 255) == NULL);
	CHECK(ut_abi_find(&ut_setup_flags, 21) == NULL);
	CHECK(ut_abi_find(&ut_features, 18) == NULL);
	CHECK_STR(ut_abi_name(&ut_ops, 65, buf, sizeof(buf)), "OP_65");
	CHECK_STR(ut_abi_name(&ut_ops, 200, buf, sizeof(buf)), "OP_200");
	CHECK_STR(ut_abi_name(&ut_ops, 62, buf, sizeof(buf)), "PIPE");
	CHECK_STR(ut_abi_name(&ut_setup_flags, 21, buf, sizeof(buf)), "BIT21");
	CHECK_STR(ut_abi_name(&ut_setup_flags, 16, buf, sizeof(buf)), "NO_SQARRAY");
	CHECK_STR(ut_abi_name(&ut_features, 31, buf, sizeof(buf)), "BIT31");
	CHECK_STR(ut_abi_name(&ut_register_ops, 99, buf, sizeof(buf)), "OP_99");
	/* a short buffer truncates, never overflows */
	char small[4];
	CHECK_STR(ut_abi_name(&ut_ops, 123, small, sizeof(small)), "OP_");
}

static void test_suggest(void)
{
	CHECK_STR(ut_abi_suggest(&ut_ops, "SEND_Z"), "SEND_ZC");
	CHECK_STR(ut_abi_suggest(&ut_ops, "IORING_OP_SEND_Z"), "SEND_ZC");
	CHECK_STR(ut_abi_suggest(&ut_ops, "sendzc"), "SEND_ZC");
	CHECK_STR(ut_abi_suggest(&ut_ops, "ACCPT"), "ACCEPT");
	CHECK_STR(ut_abi_suggest(&ut_setup_flags, "DEFER_TASKRN"), "DEFER_TASKRUN");
	CHECK_STR(ut_abi_suggest(&ut_setup_flags, "sqpol"), "SQPOLL");
	CHECK_STR(ut_abi_suggest(&ut_features, "RECVSEND_BUNDEL"), "RECVSEND_BUNDLE");
	CHECK_STR(ut_abi_suggest(&ut_ops, "XYZZYXYZZY"), NULL);
	CHECK_STR(ut_abi_suggest(&ut_setup_flags, "NOTHING_LIKE_IT"), NULL);

	CHECK_INT(ut_edit_distance("", ""), 0);
	CHECK_INT(ut_edit_distance("abc", "ABC"), 0);
	CHECK_INT(ut_edit_distance("kitten", "sitting"), 3);
	CHECK_INT(ut_edit_distance("", "abc"), 3);
	CHECK_INT(ut_edit_distance("SEND_Z", "SEND_ZC"), 1);
	/* very long inputs are capped, not overflowed */
	char lng[200];
	memset(lng, 'A', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = 0;
	CHECK(ut_edit_distance(lng, "A") > 3);
	CHECK_STR(ut_abi_suggest(&ut_ops, lng), NULL);
}

/* ut_kver_parse(s) gives kv and leaves rest unparsed. */
static void kver_is(const char *s, const char *rest, unsigned int want)
{
	unsigned int kv = 12345;
	const char *end = ut_kver_parse(s, &kv);

	if (!end) {
		T_FAIL("'%s' did not parse", s);
		return;
	}
	CHECK_STR(end, rest);
	CHECK_INT(kv, want);
}

static void test_kver(void)
{
	unsigned int kv = 0;
	const char *end;
	char buf[16];

	end = ut_kver_parse("6.1", &kv);
	CHECK(end && *end == 0);
	CHECK_INT(kv, UT_KV(6, 1));

	end = ut_kver_parse("6.18.44-fc", &kv);
	CHECK_STR(end, "-fc");
	CHECK_INT(kv, UT_KV(6, 18) + 44);

	end = ut_kver_parse("5.15.0-91-generic", &kv);
	CHECK_STR(end, "-91-generic");
	CHECK_INT(kv, UT_KV(5, 15));

	end = ut_kver_parse("6.18.0+", &kv);
	CHECK_STR(end, "+");
	CHECK_INT(kv, UT_KV(6, 18));

	end = ut_kver_parse("7", &kv);
	CHECK(end && *end == 0);
	CHECK_INT(kv, UT_KV(7, 0));

	/* patch clamped to 255 so that it never carries into the minor */
	end = ut_kver_parse("4.9.337", &kv);
	CHECK(end && *end == 0);
	CHECK_INT(kv, UT_KV(4, 9) + 255);

	/* ordering that a string compare gets wrong */
	CHECK(UT_KV(6, 1) < UT_KV(6, 12));
	CHECK(UT_KV(5, 19) < UT_KV(6, 0));
	ut_kver_parse("6.9", &kv);
	unsigned int kv2;
	ut_kver_parse("6.10", &kv2);
	CHECK(kv < kv2);

	/* garbage */
	kv = 12345;
	CHECK(ut_kver_parse("", &kv) == NULL);
	CHECK(ut_kver_parse("abc", &kv) == NULL);
	CHECK(ut_kver_parse("v6.1", &kv) == NULL);
	CHECK(ut_kver_parse("-6.1", &kv) == NULL);
	CHECK(ut_kver_parse(" 6.1", &kv) == NULL);
	CHECK(ut_kver_parse("6.", &kv) == NULL);
	CHECK(ut_kver_parse("6.x", &kv) == NULL);
	CHECK(ut_kver_parse("256.1", &kv) == NULL);
	CHECK(ut_kver_parse("6.256", &kv) == NULL);
	CHECK(ut_kver_parse("99999999999999999999.1", &kv) == NULL);
	/*
	 * out of range however long: no wrap into 0-255 (2^32 + 6, 2^32 + 1);
	 * signs, spaces, empty components
	 */
	static const char *const bad[] = {
		"4294967302.18", "6.4294967297", "4294967296.1",
		"18446744073709551622.1", "6.18446744073709551617",
		"6.99999999999999999999999", "+6.1", "6.+1", "6.-1", "6. 1",
		"6..1", ".1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ut_kver_parse(bad[i], &kv))
			T_FAIL("'%s' parsed as 0x%x", bad[i], kv);
		else
			t_checks++;
	CHECK_INT(kv, 12345);	/* untouched on failure */

	/*
	 * the edges of the range; a huge patch clamps to 255 like 4.9.337,
	 * never wraps to 1; an empty or signed patch is left for the caller
	 */
	kver_is("255.255", "", UT_KV(255, 255));
	kver_is("0.0", "", 0);
	kver_is("6.1.4294967297", "", UT_KV(6, 1) + 255);
	kver_is("6.1.99999999999999999999999-rc1", "-rc1", UT_KV(6, 1) + 255);
	kver_is("6.1.", ".", UT_KV(6, 1));
	kver_is("6.1.+5", ".+5", UT_KV(6, 1));

	/* a trailing non-digit after the minor is left for the caller */
	end = ut_kver_parse("6.1abc", &kv);
	CHECK_STR(end, "abc");

	CHECK_STR(ut_kver_str(UT_KV(6, 1), buf, sizeof(buf)), "6.1");
	CHECK_STR(ut_kver_str(UT_KV(6, 18) + 44, buf, sizeof(buf)), "6.18");
	CHECK_STR(ut_kver_str(UT_KV(5, 19), buf, sizeof(buf)), "5.19");
}

int main(void)
{
	test_tables();
	test_headers();
	test_lookup();
	test_number();
	test_unknown();
	test_suggest();
	test_kver();
	return t_done("abi");
}
