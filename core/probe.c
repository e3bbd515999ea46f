// SPDX-License-Identifier: MIT
/*
 * The probe: environment, evidence, opcodes, setup flags tried for real with
 * their partners, features, the ringless query and the memlock budget.
 */
#define _GNU_SOURCE
#include "probe.h"

#include "abi.h"
#include "sys.h"
#include "util.h"

#include <link.h>
#include <liburing.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#ifndef UT_LIBURING_BUILD_VERSION
#define UT_LIBURING_BUILD_VERSION "unknown"
#endif

#define SETUP_BIT(b) (1u << (b))
enum { B_IOPOLL = 0, B_SQPOLL = 1, B_SQ_AFF = 2, B_CQSIZE = 3,
       B_ATTACH_WQ = 5, B_R_DISABLED = 6, B_COOP = 8, B_TASKRUN_FLAG = 9,
       B_SINGLE_ISSUER = 12, B_DEFER = 13, B_NO_MMAP = 14, B_REG_FD_ONLY = 15,
       B_NO_SQARRAY = 16, B_HYBRID = 17, B_SQ_REWIND = 20 };
#define UNREGISTER_RING_FDS 21u
#define USE_REGISTERED_RING (1u << 31)
#define REGISTER_QUERY 35u
#define REGISTER_ENABLE_RINGS 12u
#define MAX_ENTRIES_LOG2 15	/* IORING_MAX_ENTRIES = 32768 */
/* generous: a working ring answers at once; SQPOLL under qemu TCG can take
 * tens of ms to start its thread */
#define DRIVE_TIMEOUT_NS 250000000ull

static long read_long_file(const char *path, long dflt)
{
	FILE *f = fopen(path, "re");
	long v = dflt;

	if (!f)
		return dflt;
	if (fscanf(f, "%ld", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

/* Seccomp mode/filters and CapEff from /proc/self/status. */
static void read_status(struct ut_evidence *ev)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	unsigned long long cap = 0;

	ev->seccomp_mode = -1;
	ev->seccomp_filters = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;
		if (sscanf(line, "Seccomp: %llu", &v) == 1)
			ev->seccomp_mode = (int)v;
		else if (sscanf(line, "Seccomp_filters: %llu", &v) == 1)
			ev->seccomp_filters = (int)v;
		else if (sscanf(line, "CapEff: %llx", &v) == 1)
			cap = v;
	}
	fclose(f);
	ev->cap_sys_admin = cap & (1ull << 21);
	ev->cap_ipc_lock = cap & (1ull << 14);
}

static bool in_group(long gid)
{
	gid_t *groups;
	bool found = false;
	int n;

	if (gid < 0)
		return false;
	if (getegid() == (gid_t)gid)
		return true;
	/* on the heap: NGROUPS_MAX is 65536, too much stack for a Python thread */
	n = getgroups(0, NULL);
	groups = n > 0 ? calloc((size_t)n, sizeof(*groups)) : NULL;
	if (groups)
		n = getgroups(n, groups);
	for (int i = 0; groups && i < n && !found; i++)
		found = groups[i] == (gid_t)gid;
	free(groups);
	return found;
}

/* io_uring_setup with default parameters: fd or -errno */
static int setup_plain(unsigned int entries)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	return ut_sys_setup(entries, &p);
}

/* memlock is charged per user: rings another process just closed count */
static int minimal_setup_errno(void)
{
	int fd;

	UT_RETRY_ENOMEM(fd, setup_plain(1));
	if (fd < 0)
		return -fd;
	close(fd);
	return 0;
}

static void collect_evidence(struct ut_evidence *ev)
{
	struct rlimit rl;

	memset(ev, 0, sizeof(*ev));
	read_status(ev);
	ev->io_uring_disabled =
		(int)read_long_file("/proc/sys/kernel/io_uring_disabled", -1);
	ev->io_uring_group = read_long_file("/proc/sys/kernel/io_uring_group", -1);
	ev->in_io_uring_group = in_group(ev->io_uring_group);
	ev->memlock_cur = UINT64_MAX;
	if (!getrlimit(RLIMIT_MEMLOCK, &rl) && rl.rlim_cur != RLIM_INFINITY)
		ev->memlock_cur = rl.rlim_cur;
	ev->setup_errno = minimal_setup_errno();
}

static int find_liburing(struct dl_phdr_info *info, size_t size, void *data)
{
	char real[PATH_MAX];
	const char *so;

	(void)size;
	if (!info->dlpi_name || !strstr(info->dlpi_name, "liburing.so"))
		return 0;
	if (!realpath(info->dlpi_name, real))
		return 0;
	so = strstr(real, "liburing.so.");
	if (!so)
		return 0;
	snprintf(data, 16, "%s", so + strlen("liburing.so."));
	return 1;
}

void ut_liburing_runtime_version(char *buf, size_t len)
{
	char found[16] = "";

	/* a static build has no liburing.so to find: it runs what it built */
	if (!dl_iterate_phdr(find_liburing, found))
		snprintf(found, sizeof(found), "%s", UT_LIBURING_BUILD_VERSION);
	snprintf(buf, len, "%s", found);
}

static void versions(struct ut_probe_report *rep)
{
	struct utsname u;

	if (!uname(&u)) {
		snprintf(rep->kernel_release, sizeof(rep->kernel_release), "%s",
			 u.release);
		snprintf(rep->machine, sizeof(rep->machine), "%s", u.machine);
		if (!ut_kver_parse(u.release, &rep->kernel_kv))
			rep->kernel_kv = 0;
	}
	snprintf(rep->liburing_build, sizeof(rep->liburing_build), "%s",
		 UT_LIBURING_BUILD_VERSION);
	ut_liburing_runtime_version(rep->liburing_runtime,
				    sizeof(rep->liburing_runtime));
}

/*
 * Memory a NO_MMAP ring lives in (liburing 2.3 headers call user_addr resv2,
 * same offset). The kernel pins its pages and frees the ring asynchronously
 * after close, possibly writing to it meanwhile, so it must never be heap
 * memory the process reuses: fresh anonymous pages per ring, unmapped after
 * (the pinned pages stay the kernel's until it lets go).
 */
#define USER_MEM_BYTES (4 * 4096)
/* Ring memory the application provides (NO_MMAP); NULL: not mapped. */
struct user_mem {
	void *rings, *sqes;
};

static int user_mem_map(struct user_mem *m)
{
	m->rings = ut_map_kernel(USER_MEM_BYTES);
	m->sqes = ut_map_kernel(USER_MEM_BYTES);
	if (!m->rings || !m->sqes)
		return -ENOMEM;
	return 0;
}

static void user_mem_unmap(struct user_mem *m)
{
	if (m->rings)
		munmap(m->rings, USER_MEM_BYTES);
	if (m->sqes)
		munmap(m->sqes, USER_MEM_BYTES);
}

static int prepare_params(unsigned int bit, struct io_uring_params *p,
			  unsigned int entries, int wq_fd, struct user_mem *m)
{
	uint32_t f = SETUP_BIT(bit);
	cpu_set_t set;

	memset(p, 0, sizeof(*p));
	switch (bit) {
	case B_SQ_AFF:
		f |= SETUP_BIT(B_SQPOLL);
		p->sq_thread_cpu = 0;
		if (!sched_getaffinity(0, sizeof(set), &set))
			for (int c = 0; c < CPU_SETSIZE; c++)
				if (CPU_ISSET(c, &set)) {
					p->sq_thread_cpu = (unsigned int)c;
					break;
				}
		break;
	case B_CQSIZE:
		p->cq_entries = entries * 2;
		break;
	case B_ATTACH_WQ:
		p->wq_fd = (unsigned int)wq_fd;
		break;
	case B_TASKRUN_FLAG:
		f |= SETUP_BIT(B_COOP);
		break;
	case B_DEFER:
		f |= SETUP_BIT(B_SINGLE_ISSUER);
		break;
	case B_REG_FD_ONLY:
		f |= SETUP_BIT(B_NO_MMAP);
		/* fall through */
	case B_NO_MMAP:
		if (m) {
			p->cq_off.resv2 = (uint64_t)(uintptr_t)m->rings;
			p->sq_off.resv2 = (uint64_t)(uintptr_t)m->sqes;
		}
		break;
	case B_HYBRID:
		f |= SETUP_BIT(B_IOPOLL);
		break;
	case B_SQ_REWIND:
		f |= SETUP_BIT(B_NO_SQARRAY);
		break;
	}
	p->flags = f;
	return 0;
}

static void release_ring(int ret, uint32_t flags)
{
	if (ret < 0)
		return;
	if (flags & SETUP_BIT(B_REG_FD_ONLY)) {
		/* the "fd" is an index into the registered ring table */
		struct io_uring_rsrc_update up = { .offset = (unsigned int)ret };
		ut_sys_register(ret, UNREGISTER_RING_FDS | USE_REGISTERED_RING,
				&up, 1);
		return;
	}
	close(ret);
}

/*
 * Whether the linked liburing can create such a ring and complete NOPs on it.
 * Several rounds wrap the ring: one NOP alone succeeds by accident on a
 * NO_SQARRAY ring, where liburing 2.3 writes its SQ array over the ring
 * header.
 */
#define DRIVE_ROUNDS 3
static int liburing_drive(unsigned int entries, unsigned int bit, int wq_fd)
{
	struct __kernel_timespec ts = { .tv_nsec = DRIVE_TIMEOUT_NS };
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int ret;

	prepare_params(bit, &p, entries, wq_fd, NULL);
	ret = io_uring_queue_init_params(entries, &ring, &p);
	if (ret < 0)
		return ret;
	if (p.flags & SETUP_BIT(B_R_DISABLED)) {
		/* declared by liburing 2.3 but not exported: call it raw */
		ret = ut_sys_register(ring.ring_fd, REGISTER_ENABLE_RINGS, NULL, 0);
		if (ret < 0)
			goto out;
	}
	for (int round = 0; round < DRIVE_ROUNDS; round++) {
		unsigned int n = 0;
		struct io_uring_sqe *sqe;

		uint64_t want = 0, got = 0;

		while (n < entries && (sqe = io_uring_get_sqe(&ring))) {
			io_uring_prep_nop(sqe);
			sqe->user_data = 1000 + round * entries + n;
			want += sqe->user_data;
			n++;
		}
		ret = io_uring_submit(&ring);
		if (ret < 0)
			goto out;
		for (unsigned int i = 0; i < n; i++) {
			ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
			if (ret == -ETIME)
				ret = -ETIMEDOUT;
			if (ret)
				goto out;
			got += cqe->user_data;
			io_uring_cqe_seen(&ring, cqe);
		}
		/* stray SQEs (a corrupted ring) complete with other user_data */
		if (got != want) {
			ret = -EPROTO;
			goto out;
		}
	}
out:
	io_uring_queue_exit(&ring);
	return ret < 0 ? ret : 0;
}

static void probe_setup_flags(struct ut_probe_report *rep)
{
	struct io_uring_params p;
	int wq_fd;

	memset(&p, 0, sizeof(p));
	wq_fd = ut_sys_setup(rep->entries, &p);

	rep->nsetup = (unsigned int)ut_setup_flags.len;
	if (rep->nsetup > UT_MAX_SETUP)
		rep->nsetup = UT_MAX_SETUP;
	for (unsigned int b = 0; b < rep->nsetup; b++) {
		struct ut_setup_result *r = &rep->setup[b];
		struct user_mem m = { NULL, NULL };
		bool own_mem = b == B_NO_MMAP || b == B_REG_FD_ONLY;
		int ret;

		if (b == B_ATTACH_WQ && wq_fd < 0) {
			/* the ring to attach to could not be made: say why */
			r->err = r->liburing_err = -wq_fd;
			continue;
		}
		if (own_mem && user_mem_map(&m)) {
			user_mem_unmap(&m);
			r->err = r->liburing_err = ENOMEM;
			continue;
		}
		prepare_params(b, &p, rep->entries, wq_fd, own_mem ? &m : NULL);
		/* small fixed size: NO_MMAP needs the rings in one page */
		UT_RETRY_ENOMEM(ret, ut_sys_setup(4, &p));
		r->accepted = ret >= 0;
		r->err = ret < 0 ? -ret : 0;
		release_ring(ret, p.flags);
		user_mem_unmap(&m);
		if (!r->accepted) {
			r->liburing_err = r->err;
			continue;
		}
		ret = liburing_drive(rep->entries, b, wq_fd);
		r->liburing_ok = ret == 0;
		r->liburing_err = ret < 0 ? -ret : 0;
	}
	if (wq_fd >= 0)
		close(wq_fd);
}

static void probe_ops(struct ut_probe_report *rep, struct io_uring *ring)
{
	struct io_uring_probe *pr = io_uring_get_probe_ring(ring);

	rep->last_op = -1;
	if (!pr) {
		rep->probe_err = EOPNOTSUPP;
		return;
	}
	rep->last_op = pr->last_op;
	for (int i = 0; i <= pr->last_op && i < UT_MAX_OPS; i++)
		rep->op_supported[i] = pr->ops[i].flags & IO_URING_OP_SUPPORTED;
	io_uring_free_probe(pr);
}

/*
 * How soon a closed ring is uncharged from RLIMIT_MEMLOCK varies: a small
 * idle one at once (256 entries: under 10 us), a 512-entry one after up to
 * 100 ms, SQPOLL rings and rings with work in flight later still. The
 * searches run before the lingering setup-flag and behaviour rings, and the
 * first refusal waits (bounded) for whatever an earlier step or process left.
 */
static int ring_fits(unsigned int entries, bool *settled)
{
	int fd;

	/* the first refusal may be an earlier process's rings: wait once */
	if (*settled)
		fd = setup_plain(entries);
	else
		UT_RETRY_ENOMEM(fd, setup_plain(entries));
	*settled = true;
	if (fd >= 0)
		close(fd);
	return fd < 0 ? fd : 0;
}

static void probe_max_ring(struct ut_probe_report *rep)
{
	int lo = -1, hi = MAX_ENTRIES_LOG2 + 1, k = 0;
	bool settled = false;

	/*
	 * The application's ring, closed just before, fitted: wait (bounded)
	 * until its size fits again, so the search starts from settled memory
	 * rather than spending the wait on a size that can never fit.
	 */
	while (k < MAX_ENTRIES_LOG2 && (1u << k) < rep->entries)
		k++;
	/* only a refusal for memory says anything about the size */
	if (rep->ring_err != ENOMEM && !ring_fits(1u << k, &settled))
		lo = k;
	else
		hi = k;
	settled = true;
	/* binary search on the power of two: the kernel rounds entries up */
	if (lo == k && !ring_fits(1u << MAX_ENTRIES_LOG2, &settled)) {
		lo = MAX_ENTRIES_LOG2;
	} else {
		if (lo == k)
			hi = MAX_ENTRIES_LOG2;
		while (hi - lo > 1) {
			int mid = (lo + hi) / 2;
			if (!ring_fits(1u << mid, &settled))
				lo = mid;
			else
				hi = mid;
		}
	}
	rep->max_ring_entries = lo < 0 ? 0 : 1u << lo;
}

static bool buffers_fit(struct io_uring *ring, void *mem, size_t bytes)
{
	struct iovec iov = { .iov_base = mem, .iov_len = bytes };

	if (io_uring_register_buffers(ring, &iov, 1))
		return false;
	io_uring_unregister_buffers(ring);
	return true;
}

/*
 * What registered buffers may still pin while the application's ring is
 * open: measured by registering, not computed, since the kernel charges
 * rings and buffers to the user's locked memory, not to this process.
 */
#define BUDGET_MAX (1ull << 30)
static void probe_buffer_budget(struct ut_probe_report *rep, struct io_uring *ring)
{
	size_t page = 4096, lo = 0, hi;
	void *mem;

	if (rep->ev.cap_ipc_lock || rep->memlock_limit == UINT64_MAX) {
		rep->reg_buf_budget = UINT64_MAX;
		rep->reg_buf_known = true;
		return;
	}
	if (rep->memlock_limit > BUDGET_MAX) {
		rep->reg_buf_budget = rep->memlock_limit;
		rep->reg_buf_known = true;
		return;
	}
	hi = rep->memlock_limit / page + 1;	/* in pages, exclusive */
	mem = ut_map_kernel((hi + 1) * page);
	if (!mem)
		return;		/* not measured */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (buffers_fit(ring, mem, mid * page))
			lo = mid;
		else
			hi = mid;
	}
	munmap(mem, (rep->memlock_limit / page + 2) * page);
	rep->reg_buf_budget = lo * page;
	rep->reg_buf_known = true;
}

/* struct io_uring_query_hdr and the OPCODES reply, from ABI.md (6.18+) */
struct query_hdr {
	uint64_t next_entry, query_data;
	uint32_t query_op, size;
	int32_t result;
	uint32_t resv[3];
};
struct query_opcodes {
	uint32_t nr_request_opcodes, nr_register_opcodes;
	uint64_t feature_flags, ring_setup_flags, enter_flags, sqe_flags;
	uint32_t nr_query_opcodes, pad;
};

static void probe_query(struct ut_query *q)
{
	struct query_opcodes r;
	struct query_hdr h;
	int ret;

	memset(&r, 0, sizeof(r));
	memset(&h, 0, sizeof(h));
	h.query_data = (uint64_t)(uintptr_t)&r;
	h.query_op = 0;
	h.size = sizeof(r);
	ret = ut_sys_register(-1, REGISTER_QUERY, &h, 0);
	if (ret < 0 || h.result < 0) {
		q->ok = false;
		q->err = ret < 0 ? -ret : -h.result;
		return;
	}
	q->ok = true;
	q->nr_request_opcodes = r.nr_request_opcodes;
	q->nr_register_opcodes = r.nr_register_opcodes;
	q->feature_flags = r.feature_flags;
	q->ring_setup_flags = r.ring_setup_flags;
	q->enter_flags = r.enter_flags;
	q->sqe_flags = r.sqe_flags;
	q->nr_query_opcodes = r.nr_query_opcodes;
}

bool ut_op_supported(const struct ut_probe_report *rep, unsigned int op)
{
	return rep->last_op >= 0 && op <= (unsigned int)rep->last_op &&
	       op < UT_MAX_OPS && rep->op_supported[op];
}

const char *ut_op_why_unsupported(const struct ut_probe_report *rep,
				  unsigned int op)
{
	if (ut_op_supported(rep, op))
		return NULL;
	if (rep->last_op < 0)
		return "io_uring_unavailable";
	if (op > (unsigned int)rep->last_op)
		return "kernel_too_old";
	return "not_built_in";
}

const char *ut_errno_str(int err, char *buf, size_t len)
{
	const char *n = err ? strerrorname_np(err) : NULL;

	if (n)
		return n;
	snprintf(buf, len, "errno %d", err);
	return buf;
}

/* The ring the application creates (--entries, --flags), through liburing. */
static int init_app_ring(const struct ut_probe_opts *opts, struct io_uring *ring,
			 struct io_uring_params *p)
{
	memset(p, 0, sizeof(*p));
	p->flags = opts->flags;
	return io_uring_queue_init_params(opts->entries, ring, p);
}

int ut_probe_run(const struct ut_probe_opts *opts, struct ut_probe_report *rep)
{
	uint64_t t0 = ut_now_ns();
	struct io_uring_params p;
	struct io_uring ring;
	int ret;

	memset(rep, 0, sizeof(*rep));
	rep->entries = opts->entries;
	rep->flags = opts->flags;
	rep->last_op = -1;
	rep->uid = getuid();
	rep->euid = geteuid();
	versions(rep);
	collect_evidence(&rep->ev);
	ut_diagnose(&rep->ev, &rep->diag);
	probe_query(&rep->query);
	for (int i = 0; i < UT_BEH_COUNT; i++) {
		rep->behaviour[i].status = UT_B_SKIPPED;
		rep->behaviour[i].zc_copied = -1;
	}
	rep->memlock_limit = rep->ev.memlock_cur;

	if (!rep->diag.available) {
		rep->ring_err = rep->ev.setup_errno;
		rep->probe_err = rep->ev.setup_errno;
		rep->nsetup = (unsigned int)ut_setup_flags.len;
		for (unsigned int b = 0; b < rep->nsetup; b++)
			rep->setup[b].err = rep->setup[b].liburing_err =
				rep->ev.setup_errno;
		goto out;
	}

	UT_RETRY_ENOMEM(ret, init_app_ring(opts, &ring, &p));
	if (ret < 0) {
		rep->ring_err = -ret;
		/* the application's ring failed: probe with a minimal one */
		memset(&p, 0, sizeof(p));
		ret = io_uring_queue_init_params(1, &ring, &p);
	} else {
		rep->sq_entries = p.sq_entries;
		rep->cq_entries = p.cq_entries;
	}
	if (ret >= 0) {
		rep->features = p.features;
		probe_ops(rep, &ring);
		probe_buffer_budget(rep, &ring);
		io_uring_queue_exit(&ring);
	} else {
		rep->probe_err = -ret;
	}
	/* before the setup-flag rings, some of which linger after close */
	probe_max_ring(rep);
	probe_setup_flags(rep);

	if (opts->behaviour) {
		rep->behaviour_run = true;
		/* under a finite memlock limit concurrent rings would starve */
		bool limited = !rep->ev.cap_ipc_lock &&
			       rep->memlock_limit != UINT64_MAX;
		ut_behaviour_run_all(opts->timeout_ms, opts->isolate, !limited,
				     rep->behaviour);
	}
out:
	rep->duration_ns = ut_now_ns() - t0;
	return 0;
}
