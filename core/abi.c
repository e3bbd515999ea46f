// SPDX-License-Identifier: MIT
/* io_uring name tables: see shared/design/ABI.md for the sources. */
#include "abi.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define N(num, nm, maj, min) { num, nm, UT_KV(maj, min), NULL }
#define R(num, nm, maj, min, req) { num, nm, UT_KV(maj, min), req }
/* word: "OP_" or "BIT", the numeric form's; max: its highest n, a literal. */
#define TABLE(var, k, pfx, word, max, arr) \
	const struct ut_table var = { k, pfx, word "%u", arr, \
		sizeof(arr) / sizeof(arr[0]), max, \
		word "n takes a decimal n from 0 to " #max }

static const struct ut_name ops[] = {
	N(0, "NOP", 5, 1), N(1, "READV", 5, 1), N(2, "WRITEV", 5, 1),
	N(3, "FSYNC", 5, 1), N(4, "READ_FIXED", 5, 1), N(5, "WRITE_FIXED", 5, 1),
	N(6, "POLL_ADD", 5, 1), N(7, "POLL_REMOVE", 5, 1),
	N(8, "SYNC_FILE_RANGE", 5, 2), N(9, "SENDMSG", 5, 3),
	N(10, "RECVMSG", 5, 3), N(11, "TIMEOUT", 5, 4),
	N(12, "TIMEOUT_REMOVE", 5, 5), N(13, "ACCEPT", 5, 5),
	N(14, "ASYNC_CANCEL", 5, 5), N(15, "LINK_TIMEOUT", 5, 5),
	N(16, "CONNECT", 5, 5), N(17, "FALLOCATE", 5, 6), N(18, "OPENAT", 5, 6),
	N(19, "CLOSE", 5, 6), N(20, "FILES_UPDATE", 5, 6), N(21, "STATX", 5, 6),
	N(22, "READ", 5, 6), N(23, "WRITE", 5, 6), N(24, "FADVISE", 5, 6),
	N(25, "MADVISE", 5, 6), N(26, "SEND", 5, 6), N(27, "RECV", 5, 6),
	N(28, "OPENAT2", 5, 6), N(29, "EPOLL_CTL", 5, 6), N(30, "SPLICE", 5, 7),
	N(31, "PROVIDE_BUFFERS", 5, 7), N(32, "REMOVE_BUFFERS", 5, 7),
	N(33, "TEE", 5, 8), N(34, "SHUTDOWN", 5, 11), N(35, "RENAMEAT", 5, 11),
	N(36, "UNLINKAT", 5, 11), N(37, "MKDIRAT", 5, 15),
	N(38, "SYMLINKAT", 5, 15), N(39, "LINKAT", 5, 15),
	N(40, "MSG_RING", 5, 18), N(41, "FSETXATTR", 5, 19),
	N(42, "SETXATTR", 5, 19), N(43, "FGETXATTR", 5, 19),
	N(44, "GETXATTR", 5, 19), N(45, "SOCKET", 5, 19),
	N(46, "URING_CMD", 5, 19), N(47, "SEND_ZC", 6, 0),
	N(48, "SENDMSG_ZC", 6, 1), N(49, "READ_MULTISHOT", 6, 7),
	N(50, "WAITID", 6, 7), N(51, "FUTEX_WAIT", 6, 7),
	N(52, "FUTEX_WAKE", 6, 7), N(53, "FUTEX_WAITV", 6, 7),
	N(54, "FIXED_FD_INSTALL", 6, 8), N(55, "FTRUNCATE", 6, 9),
	N(56, "BIND", 6, 11), N(57, "LISTEN", 6, 11), N(58, "RECV_ZC", 6, 15),
	N(59, "EPOLL_WAIT", 6, 15), N(60, "READV_FIXED", 6, 15),
	N(61, "WRITEV_FIXED", 6, 15), N(62, "PIPE", 6, 16),
	N(63, "NOP128", 6, 19), N(64, "URING_CMD128", 6, 19),
};
TABLE(ut_ops, "op", "IORING_OP_", "OP_", 255, ops);

static const struct ut_name setup[] = {
	R(0, "IOPOLL", 5, 1, NULL),
	R(1, "SQPOLL", 5, 1, NULL),
	R(2, "SQ_AFF", 5, 1, "SQPOLL, sq_thread_cpu"),
	R(3, "CQSIZE", 5, 5, "cq_entries"),
	R(4, "CLAMP", 5, 6, NULL),
	R(5, "ATTACH_WQ", 5, 6, "wq_fd"),
	R(6, "R_DISABLED", 5, 10, NULL),
	R(7, "SUBMIT_ALL", 5, 18, NULL),
	R(8, "COOP_TASKRUN", 5, 19, NULL),
	R(9, "TASKRUN_FLAG", 5, 19, "COOP_TASKRUN"),
	R(10, "SQE128", 5, 19, NULL),
	R(11, "CQE32", 5, 19, NULL),
	R(12, "SINGLE_ISSUER", 6, 0, NULL),
	R(13, "DEFER_TASKRUN", 6, 1, "SINGLE_ISSUER"),
	R(14, "NO_MMAP", 6, 5, "sq_off.user_addr, cq_off.user_addr"),
	R(15, "REGISTERED_FD_ONLY", 6, 5, "NO_MMAP"),
	R(16, "NO_SQARRAY", 6, 6, NULL),
	R(17, "HYBRID_IOPOLL", 6, 13, "IOPOLL"),
	R(18, "CQE_MIXED", 6, 18, NULL),
	R(19, "SQE_MIXED", 6, 19, NULL),
	R(20, "SQ_REWIND", 7, 0, "NO_SQARRAY"),
};
TABLE(ut_setup_flags, "setup", "IORING_SETUP_", "BIT", 63, setup);

static const struct ut_name features[] = {
	N(0, "SINGLE_MMAP", 5, 4), N(1, "NODROP", 5, 5),
	N(2, "SUBMIT_STABLE", 5, 5), N(3, "RW_CUR_POS", 5, 6),
	N(4, "CUR_PERSONALITY", 5, 6), N(5, "FAST_POLL", 5, 7),
	N(6, "POLL_32BITS", 5, 9), N(7, "SQPOLL_NONFIXED", 5, 11),
	N(8, "EXT_ARG", 5, 11), N(9, "NATIVE_WORKERS", 5, 12),
	N(10, "RSRC_TAGS", 5, 13), N(11, "CQE_SKIP", 5, 17),
	N(12, "LINKED_FILE", 5, 17), N(13, "REG_REG_RING", 6, 3),
	N(14, "RECVSEND_BUNDLE", 6, 10), N(15, "MIN_TIMEOUT", 6, 12),
	N(16, "RW_ATTR", 6, 14), N(17, "NO_IOWAIT", 6, 15),
};
TABLE(ut_features, "feature", "IORING_FEAT_", "BIT", 63, features);

/* Release dates of register opcodes are not tracked (since = 0). */
#define G(num, nm) { num, nm, 0, NULL }
static const struct ut_name regops[] = {
	G(0, "BUFFERS"), G(1, "UNREGISTER_BUFFERS"), G(2, "FILES"),
	G(3, "UNREGISTER_FILES"), G(4, "EVENTFD"), G(5, "UNREGISTER_EVENTFD"),
	G(6, "FILES_UPDATE"), G(7, "EVENTFD_ASYNC"), G(8, "PROBE"),
	G(9, "PERSONALITY"), G(10, "UNREGISTER_PERSONALITY"),
	G(11, "RESTRICTIONS"), G(12, "ENABLE_RINGS"), G(13, "FILES2"),
	G(14, "FILES_UPDATE2"), G(15, "BUFFERS2"), G(16, "BUFFERS_UPDATE"),
	G(17, "IOWQ_AFF"), G(18, "UNREGISTER_IOWQ_AFF"),
	G(19, "IOWQ_MAX_WORKERS"), G(20, "RING_FDS"),
	G(21, "UNREGISTER_RING_FDS"), G(22, "PBUF_RING"),
	G(23, "UNREGISTER_PBUF_RING"), G(24, "SYNC_CANCEL"),
	G(25, "FILE_ALLOC_RANGE"), G(26, "PBUF_STATUS"), G(27, "NAPI"),
	G(28, "UNREGISTER_NAPI"), G(29, "CLOCK"), G(30, "CLONE_BUFFERS"),
	G(31, "SEND_MSG_RING"), G(32, "ZCRX_IFQ"), G(33, "RESIZE_RINGS"),
	G(34, "MEM_REGION"), G(35, "QUERY"), G(36, "ZCRX_CTRL"),
	G(37, "BPF_FILTER"),
};
TABLE(ut_register_ops, "register", "IORING_REGISTER_", "OP_", 255, regops);

static const struct ut_name enter[] = {
	G(0, "GETEVENTS"), G(1, "SQ_WAKEUP"), G(2, "SQ_WAIT"), G(3, "EXT_ARG"),
	G(4, "REGISTERED_RING"), G(5, "ABS_TIMER"), G(6, "EXT_ARG_REG"),
	G(7, "NO_IOWAIT"),
};
TABLE(ut_enter_flags, "enter", "IORING_ENTER_", "BIT", 63, enter);

static const struct ut_name sqe[] = {
	G(0, "FIXED_FILE"), G(1, "IO_DRAIN"), G(2, "IO_LINK"),
	G(3, "IO_HARDLINK"), G(4, "ASYNC"), G(5, "BUFFER_SELECT"),
	G(6, "CQE_SKIP_SUCCESS"),
};
TABLE(ut_sqe_flags, "sqe", "IOSQE_", "BIT", 63, sqe);

static const struct ut_name cqe[] = {
	G(0, "BUFFER"), G(1, "MORE"), G(2, "SOCK_NONEMPTY"), G(3, "NOTIF"),
	G(4, "BUF_MORE"), G(5, "SKIP"), G(15, "32"),
};
TABLE(ut_cqe_flags, "cqe", "IORING_CQE_F_", "BIT", 63, cqe);

const struct ut_name *ut_abi_find(const struct ut_table *t, unsigned int number)
{
	/* Tables are sorted and mostly dense: try the direct slot first. */
	if (number < t->len && t->items[number].number == number)
		return &t->items[number];
	for (size_t i = 0; i < t->len; i++)
		if (t->items[i].number == number)
			return &t->items[i];
	return NULL;
}

/*
 * The decimal digits at the start of s (ut_parse_uint takes whole strings;
 * a kernel version is parsed piece by piece), no sign or space: true with
 * *v when there is at least one and the value is at most cap. *end points
 * past all the digits either way; a value above cap never wraps.
 */
static bool parse_decimal(const char *s, unsigned long cap, unsigned long *v,
			  const char **end)
{
	unsigned long n = 0;
	bool over = false;
	const char *p;

	for (p = s; isdigit((unsigned char)*p); p++) {
		unsigned long d = (unsigned long)(*p - '0');

		if (over || d > cap || n > (cap - d) / 10)
			over = true;
		else
			n = n * 10 + d;
	}
	*end = p;
	if (p == s || over)
		return false;
	*v = n;
	return true;
}

int ut_abi_number(const struct ut_table *t, const char *name,
		  unsigned int *number)
{
	size_t plen = strlen(t->prefix);
	size_t wlen = strcspn(t->unknown_fmt, "%");
	uint64_t n;
	int ret;

	if (!strncasecmp(name, t->prefix, plen))
		name += plen;
	if (strncasecmp(name, t->unknown_fmt, wlen))
		return -ENOENT;
	name += wlen;
	/* a name that merely starts so, "OP_SEND_ZC", is a misspelt name */
	if (isalpha((unsigned char)*name) || *name == '_')
		return -ENOENT;
	ret = ut_parse_uint(name, 0, t->max, &n);
	if (!ret)
		*number = (unsigned int)n;
	return ret;
}

const struct ut_name *ut_abi_lookup(const struct ut_table *t, const char *name)
{
	size_t plen = strlen(t->prefix);
	const char *bare = name;
	unsigned int n;

	if (!strncasecmp(bare, t->prefix, plen))
		bare += plen;
	for (size_t i = 0; i < t->len; i++)
		if (!strcasecmp(t->items[i].name, bare))
			return &t->items[i];
	/* "OP_47" / "BIT13" name numbers too */
	if (!ut_abi_number(t, name, &n))
		return ut_abi_find(t, n);
	return NULL;
}

const char *ut_abi_name(const struct ut_table *t, unsigned int number,
			char *buf, size_t len)
{
	const struct ut_name *e = ut_abi_find(t, number);

	if (e)
		return e->name;
	snprintf(buf, len, t->unknown_fmt, number);
	return buf;
}

int ut_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cur = row[j];
			int cost = toupper((unsigned char)a[i - 1]) !=
				   toupper((unsigned char)b[j - 1]);
			int best = prev + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

const char *ut_abi_suggest(const struct ut_table *t, const char *name)
{
	size_t plen = strlen(t->prefix);
	const char *best = NULL;
	int bestd = 4;

	if (!strncasecmp(name, t->prefix, plen))
		name += plen;
	for (size_t i = 0; i < t->len; i++) {
		int d = ut_edit_distance(name, t->items[i].name);
		if (d < bestd) {
			bestd = d;
			best = t->items[i].name;
		}
	}
	return best;
}

const char *ut_kver_parse(const char *s, unsigned int *out)
{
	unsigned long maj, min = 0, patch = 0;
	const char *end;

	if (!parse_decimal(s, 255, &maj, &end))
		return NULL;
	if (*end == '.') {
		if (!parse_decimal(end + 1, 255, &min, &end))
			return NULL;
		if (*end == '.' && isdigit((unsigned char)end[1]) &&
		    !parse_decimal(end + 1, 255, &patch, &end))
			patch = 255;	/* 4.9.337: clamped, never wrapped */
	}
	*out = (unsigned int)(UT_KV(maj, min) + patch);
	return end;
}

const char *ut_kver_str(unsigned int kv, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u", kv >> 16, (kv >> 8) & 0xff);
	return buf;
}
