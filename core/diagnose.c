// SPDX-License-Identifier: MIT
/*
 * Why io_uring is unavailable, decided from evidence alone so that every
 * branch can be unit-tested with synthetic facts. ENOSYS is not proof of an
 * old kernel: Docker-style seccomp profiles answer ENOSYS too.
 */
#include "probe.h"

#include <errno.h>
#include <stddef.h>

const char *ut_reason_token(enum ut_reason r)
{
	switch (r) {
	case UT_REASON_NONE: return NULL;
	case UT_REASON_SECCOMP: return "seccomp";
	case UT_REASON_SYSCTL: return "sysctl";
	case UT_REASON_NO_KERNEL_SUPPORT: return "no_kernel_support";
	case UT_REASON_MEMLOCK: return "memlock";
	case UT_REASON_OTHER: return "other";
	}
	return "other";
}

static void set(struct ut_diagnosis *d, enum ut_reason r, const char *summary,
		const char *fix)
{
	d->available = false;
	d->reason = r;
	d->summary = summary;
	d->fix = fix;
}

static bool filtered(const struct ut_evidence *ev)
{
	return ev->seccomp_mode == 2 || ev->seccomp_filters > 0;
}

static bool sysctl_denies(const struct ut_evidence *ev)
{
	if (ev->io_uring_disabled == 2)
		return true;
	return ev->io_uring_disabled == 1 && !ev->in_io_uring_group &&
	       !ev->cap_sys_admin;
}

static const char fix_seccomp[] =
	"run without the seccomp profile or allow io_uring_setup, io_uring_enter "
	"and io_uring_register in it (docker: --security-opt seccomp=PROFILE)";
static const char fix_sysctl2[] =
	"as root: sysctl -w kernel.io_uring_disabled=0";
static const char fix_sysctl1[] =
	"add the user to the group in kernel.io_uring_group, or as root: "
	"sysctl -w kernel.io_uring_disabled=0";
static const char fix_memlock[] =
	"raise the locked-memory limit (ulimit -l, or memlock in "
	"/etc/security/limits.conf), or use a smaller ring";

void ut_diagnose(const struct ut_evidence *ev, struct ut_diagnosis *d)
{
	d->available = true;
	d->reason = UT_REASON_NONE;
	d->summary = "io_uring is available";
	d->fix = NULL;

	switch (ev->setup_errno) {
	case 0:
		return;
	case ENOSYS:
		/* The sysctl files exist only where the kernel has io_uring. */
		if (filtered(ev) && ev->io_uring_disabled >= 0)
			set(d, UT_REASON_SECCOMP,
			    "io_uring_setup answered ENOSYS under a seccomp filter, "
			    "and the kernel has io_uring (its sysctl exists)",
			    fix_seccomp);
		else if (filtered(ev))
			set(d, UT_REASON_SECCOMP,
			    "io_uring_setup answered ENOSYS under a seccomp filter; "
			    "the kernel may also lack io_uring (no sysctl to tell)",
			    fix_seccomp);
		else if (ev->io_uring_disabled >= 0)
			set(d, UT_REASON_OTHER,
			    "io_uring_setup answered ENOSYS although the kernel has "
			    "io_uring and no seccomp filter is installed",
			    "check for a sandbox (gVisor, an emulator) or an LSM "
			    "denying io_uring");
		else
			set(d, UT_REASON_NO_KERNEL_SUPPORT,
			    "io_uring_setup answered ENOSYS and no seccomp filter is "
			    "installed: the kernel lacks io_uring (CONFIG_IO_URING) "
			    "or a sandbox does not implement it",
			    "use a kernel built with CONFIG_IO_URING=y (5.1 or later)");
		return;
	case EPERM:
	case EACCES:
		if (ev->io_uring_disabled == 2)
			set(d, UT_REASON_SYSCTL,
			    "kernel.io_uring_disabled is 2: io_uring is disabled "
			    "for every process", fix_sysctl2);
		else if (sysctl_denies(ev))
			set(d, UT_REASON_SYSCTL,
			    "kernel.io_uring_disabled is 1 and this process is "
			    "neither in kernel.io_uring_group nor has CAP_SYS_ADMIN",
			    fix_sysctl1);
		else if (filtered(ev))
			set(d, UT_REASON_SECCOMP,
			    "io_uring_setup was denied (EPERM) by a seccomp filter",
			    fix_seccomp);
		else
			set(d, UT_REASON_OTHER,
			    "io_uring_setup was denied (EPERM) with no seccomp "
			    "filter and the sysctl allowing it",
			    "check LSM policies (SELinux, AppArmor) for io_uring");
		return;
	case ENOMEM:
		if (!ev->cap_ipc_lock && ev->memlock_cur != UINT64_MAX)
			set(d, UT_REASON_MEMLOCK,
			    "io_uring_setup answered ENOMEM: ring memory is "
			    "charged to RLIMIT_MEMLOCK, which is too small",
			    fix_memlock);
		else
			set(d, UT_REASON_OTHER,
			    "io_uring_setup answered ENOMEM with no memlock limit "
			    "in the way: the machine or cgroup is out of memory",
			    "free memory or raise the cgroup's memory limit");
		return;
	default:
		set(d, UT_REASON_OTHER,
		    "io_uring_setup failed with an unexpected errno", NULL);
		return;
	}
}
