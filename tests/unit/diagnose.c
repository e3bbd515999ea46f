// SPDX-License-Identifier: MIT
/*
 * ut_diagnose() on synthetic evidence: every branch of the verdict without
 * changing the machine (no seccomp filter, sysctl or rlimit is touched).
 */
#include "ut_test.h"

#include "probe.h"

#include <errno.h>

/* A plain, unprivileged process on a 6.6+ kernel with io_uring enabled. */
static struct ut_evidence base(int setup_errno)
{
	struct ut_evidence ev = {
		.setup_errno = setup_errno,
		.seccomp_mode = 0,
		.seccomp_filters = 0,
		.io_uring_disabled = 0,
		.io_uring_group = -1,
		.in_io_uring_group = false,
		.cap_sys_admin = false,
		.cap_ipc_lock = false,
		.memlock_cur = 8 << 20,
	};
	return ev;
}

static struct ut_diagnosis diag(const struct ut_evidence *ev)
{
	struct ut_diagnosis d;

	/* poison: ut_diagnose must set every field */
	memset(&d, 0xa5, sizeof(d));
	ut_diagnose(ev, &d);
	return d;
}

#define EXPECT(ev, want_reason, want_fix) do {				\
	struct ut_diagnosis d_ = diag(&(ev));				\
	CHECK_INT(d_.available, 0);					\
	CHECK_STR(ut_reason_token(d_.reason), want_reason);		\
	CHECK(d_.summary && *d_.summary);				\
	if (want_fix)							\
		CHECK(d_.fix && *d_.fix);				\
} while (0)

static void test_tokens(void)
{
	CHECK_STR(ut_reason_token(UT_REASON_NONE), NULL);
	CHECK_STR(ut_reason_token(UT_REASON_SECCOMP), "seccomp");
	CHECK_STR(ut_reason_token(UT_REASON_SYSCTL), "sysctl");
	CHECK_STR(ut_reason_token(UT_REASON_NO_KERNEL_SUPPORT), "no_kernel_support");
	CHECK_STR(ut_reason_token(UT_REASON_MEMLOCK), "memlock");
	CHECK_STR(ut_reason_token(UT_REASON_OTHER), "other");
}

static void test_ok(void)
{
	struct ut_evidence ev = base(0);
	struct ut_diagnosis d = diag(&ev);

	CHECK_INT(d.available, 1);
	CHECK_INT(d.reason, UT_REASON_NONE);
	CHECK_STR(ut_reason_token(d.reason), NULL);
	CHECK(d.summary && *d.summary);
	CHECK_STR(d.fix, NULL);

	/* a filter, a sysctl or a limit that did not stop setup is no verdict */
	ev.seccomp_mode = 2;
	ev.seccomp_filters = 3;
	ev.io_uring_disabled = 1;
	ev.memlock_cur = 0;
	d = diag(&ev);
	CHECK_INT(d.available, 1);
	CHECK_INT(d.reason, UT_REASON_NONE);
	CHECK_STR(d.fix, NULL);
}

static void test_enosys(void)
{
	struct ut_evidence ev;
	struct ut_diagnosis d;

	/* seccomp filter, sysctl present: the kernel has io_uring */
	ev = base(ENOSYS);
	ev.seccomp_mode = 2;
	ev.seccomp_filters = 1;
	EXPECT(ev, "seccomp", true);
	d = diag(&ev);
	CHECK_CONTAINS(d.summary, "ENOSYS");
	CHECK_CONTAINS(d.fix, "seccomp");

	/* filter counted but the mode unknown still counts as a filter */
	ev.seccomp_mode = -1;
	ev.seccomp_filters = 2;
	EXPECT(ev, "seccomp", true);

	/* mode 2 with an unknown filter count (kernels before 5.9) */
	ev.seccomp_mode = 2;
	ev.seccomp_filters = -1;
	EXPECT(ev, "seccomp", true);

	/* seccomp filter, no sysctl: still seccomp, but the summary hedges */
	ev = base(ENOSYS);
	ev.seccomp_mode = 2;
	ev.seccomp_filters = 1;
	ev.io_uring_disabled = -1;
	EXPECT(ev, "seccomp", true);
	d = diag(&ev);
	CHECK_CONTAINS(d.summary, "may");

	/* no filter, no sysctl: the kernel lacks io_uring */
	ev = base(ENOSYS);
	ev.io_uring_disabled = -1;
	EXPECT(ev, "no_kernel_support", true);
	d = diag(&ev);
	CHECK_CONTAINS(d.fix, "CONFIG_IO_URING");

	/* seccomp mode 1 (strict) is not a filter: a strict process would be
	 * killed, not answered ENOSYS; the kernel-support branch decides */
	ev.seccomp_mode = 1;
	EXPECT(ev, "no_kernel_support", true);

	/* no filter, sysctl present: the kernel has it, something else says
	 * ENOSYS (gVisor, an emulator): never "no kernel support" */
	ev = base(ENOSYS);
	EXPECT(ev, "other", true);
	d = diag(&ev);
	CHECK_CONTAINS(d.fix, "sandbox");

	/* unknown seccomp status and no sysctl */
	ev = base(ENOSYS);
	ev.seccomp_mode = -1;
	ev.seccomp_filters = -1;
	ev.io_uring_disabled = -1;
	EXPECT(ev, "no_kernel_support", true);
}

static void test_eperm(void)
{
	struct ut_evidence ev;
	struct ut_diagnosis d;

	/* io_uring_disabled=2 denies everyone, root and filters alike */
	ev = base(EPERM);
	ev.io_uring_disabled = 2;
	ev.cap_sys_admin = true;
	ev.in_io_uring_group = true;
	ev.seccomp_mode = 2;
	ev.seccomp_filters = 1;
	EXPECT(ev, "sysctl", true);
	d = diag(&ev);
	CHECK_CONTAINS(d.summary, "2");
	CHECK_CONTAINS(d.fix, "io_uring_disabled=0");

	/* =1, not in the group, no CAP_SYS_ADMIN */
	ev = base(EPERM);
	ev.io_uring_disabled = 1;
	ev.io_uring_group = 1234;
	EXPECT(ev, "sysctl", true);
	d = diag(&ev);
	CHECK_CONTAINS(d.summary, "1");
	CHECK_CONTAINS(d.fix, "io_uring_group");

	/* =1 and a filter: the sysctl is named first, it is read first */
	ev.seccomp_mode = 2;
	ev.seccomp_filters = 1;
	EXPECT(ev, "sysctl", true);

	/* =1, in the group: the sysctl allows it; with no filter either,
	 * something else (an LSM) denied it */
	ev = base(EPERM);
	ev.io_uring_disabled = 1;
	ev.io_uring_group = 1234;
	ev.in_io_uring_group = true;
	EXPECT(ev, "other", true);
	d = diag(&ev);
	CHECK_CONTAINS(d.fix, "LSM");

	/* =1, in the group, under a filter: seccomp */
	ev.seccomp_mode = 2;
	ev.seccomp_filters = 1;
	EXPECT(ev, "seccomp", true);

	/* =1 with CAP_SYS_ADMIN and a seccomp filter: seccomp */
	ev = base(EPERM);
	ev.io_uring_disabled = 1;
	ev.cap_sys_admin = true;
	ev.seccomp_mode = 2;
	ev.seccomp_filters = 1;
	EXPECT(ev, "seccomp", true);
	d = diag(&ev);
	CHECK_CONTAINS(d.fix, "seccomp");

	/* =0 and a filter (Docker's default profile) */
	ev = base(EPERM);
	ev.seccomp_mode = 2;
	ev.seccomp_filters = 1;
	EXPECT(ev, "seccomp", true);

	/* no evidence at all: neither sysctl nor filter */
	ev = base(EPERM);
	ev.io_uring_disabled = -1;
	ev.seccomp_mode = -1;
	ev.seccomp_filters = -1;
	EXPECT(ev, "other", true);

	/* EACCES is treated like EPERM */
	ev = base(EACCES);
	ev.io_uring_disabled = 2;
	EXPECT(ev, "sysctl", true);
}

static void test_enomem(void)
{
	struct ut_evidence ev;
	struct ut_diagnosis d;

	/* a finite limit and no CAP_IPC_LOCK */
	ev = base(ENOMEM);
	ev.memlock_cur = 4096;
	EXPECT(ev, "memlock", true);
	d = diag(&ev);
	CHECK_CONTAINS(d.summary, "RLIMIT_MEMLOCK");
	CHECK_CONTAINS(d.fix, "ulimit -l");

	/* a zero limit */
	ev.memlock_cur = 0;
	EXPECT(ev, "memlock", true);

	/* unlimited: memory is really short */
	ev = base(ENOMEM);
	ev.memlock_cur = UINT64_MAX;
	EXPECT(ev, "other", true);
	d = diag(&ev);
	CHECK_CONTAINS(d.summary, "out of memory");

	/* CAP_IPC_LOCK bypasses the limit */
	ev = base(ENOMEM);
	ev.memlock_cur = 4096;
	ev.cap_ipc_lock = true;
	EXPECT(ev, "other", true);
}

static void test_other(void)
{
	static const int errs[] = { EINVAL, EFAULT, EMFILE, ENFILE, EIO, 9999 };
	struct ut_evidence ev;

	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		ev = base(errs[i]);
		struct ut_diagnosis d = diag(&ev);

		CHECK_INT(d.available, 0);
		CHECK_STR(ut_reason_token(d.reason), "other");
		CHECK(d.summary && *d.summary);
		/* no fix is offered for an errno nobody explained */
		CHECK_STR(d.fix, NULL);
	}
}

int main(void)
{
	test_tokens();
	test_ok();
	test_enosys();
	test_eperm();
	test_enomem();
	test_other();
	return t_done("diagnose");
}
