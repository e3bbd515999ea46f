/* SPDX-License-Identifier: MIT */
/*
 * What this kernel and sandbox allow, filled without printing. cli/ renders
 * it as text, JSON, KEY=VALUE or #define lines; py/ as a dict.
 */
#ifndef UT_PROBE_H
#define UT_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define UT_PROBE_SCHEMA_VERSION 1
#define UT_MAX_OPS 256
#define UT_MAX_SETUP 32

enum ut_reason {
	UT_REASON_NONE,
	UT_REASON_SECCOMP,
	UT_REASON_SYSCTL,
	UT_REASON_NO_KERNEL_SUPPORT,
	UT_REASON_MEMLOCK,
	UT_REASON_OTHER,
};

/* Facts gathered before any verdict; synthetic ones drive the unit tests. */
struct ut_evidence {
	int setup_errno;	/* positive errno of a minimal io_uring_setup, 0 ok */
	int seccomp_mode;	/* "Seccomp:" of /proc/self/status, -1 unknown */
	int seccomp_filters;	/* "Seccomp_filters:", -1 unknown */
	int io_uring_disabled;	/* kernel.io_uring_disabled, -1 if absent */
	long io_uring_group;	/* kernel.io_uring_group, -1 if absent */
	bool in_io_uring_group;
	bool cap_sys_admin;
	bool cap_ipc_lock;
	uint64_t memlock_cur;	/* bytes, UINT64_MAX for unlimited */
};

struct ut_diagnosis {
	bool available;
	enum ut_reason reason;
	const char *summary;	/* one line: what the evidence says */
	const char *fix;	/* what a user can do, or NULL */
};

void ut_diagnose(const struct ut_evidence *ev, struct ut_diagnosis *out);
const char *ut_reason_token(enum ut_reason r);	/* "seccomp", ... or NULL */

enum ut_bstatus {
	UT_B_OK,		/* worked as documented */
	UT_B_UNSUPPORTED,	/* the kernel refused it (EINVAL, EOPNOTSUPP, ...) */
	UT_B_FAILED,		/* unexpected result */
	UT_B_TIMEOUT,		/* did not finish within its bound */
	UT_B_SKIPPED,		/* not run (io_uring unavailable, --no-behaviour) */
};

enum ut_behaviour_id {
	UT_BEH_ACCEPT_MULTISHOT,
	UT_BEH_RECV_MULTISHOT,
	UT_BEH_RECV_BUNDLE,
	UT_BEH_SEND_ZC,
	UT_BEH_SOCKET,
	UT_BEH_DEFER_TASKRUN,
	UT_BEH_COUNT,
};

struct ut_behaviour {
	enum ut_bstatus status;
	int err;		/* positive errno behind a non-ok status, else 0 */
	int zc_copied;		/* send_zc: 1 kernel copied, 0 real zero copy, -1 n/a */
	uint64_t ns;		/* wall time the probe took */
	char detail[120];	/* one line: what was seen */
};

extern const char *const ut_behaviour_names[UT_BEH_COUNT];
const char *ut_bstatus_token(enum ut_bstatus s);
int ut_behaviour_lookup(const char *name);	/* id or -1 */

/* Run one behaviour probe bounded by timeout_ms (in a child if isolate). */
void ut_behaviour_run(int id, unsigned int timeout_ms, bool isolate,
		      struct ut_behaviour *out);
/* Run them all, each in its own child if isolate, all at once if concurrent. */
void ut_behaviour_run_all(unsigned int timeout_ms, bool isolate, bool concurrent,
			  struct ut_behaviour out[UT_BEH_COUNT]);

struct ut_setup_result {
	bool accepted;		/* io_uring_setup took it, with its partners */
	int err;		/* positive errno when refused */
	bool liburing_ok;	/* linked liburing ran a NOP on such a ring */
	int liburing_err;	/* positive errno when it could not */
};

struct ut_probe_opts {
	unsigned int entries;	/* the application's ring (--entries) */
	uint32_t flags;		/* and its setup flags (--flags) */
	bool behaviour;		/* run behaviour probes */
	bool isolate;		/* each behaviour probe in its own process */
	unsigned int timeout_ms;	/* bound per behaviour probe */
};

#define UT_PROBE_OPTS_DEFAULT { .entries = 8, .flags = 0, .behaviour = true, \
				.isolate = true, .timeout_ms = 1000 }

struct ut_query {
	bool ok;		/* IORING_REGISTER_QUERY answered */
	int err;		/* positive errno when it did not */
	uint32_t nr_request_opcodes;
	uint32_t nr_register_opcodes;
	uint64_t feature_flags;
	uint64_t ring_setup_flags;
	uint64_t enter_flags;
	uint64_t sqe_flags;
	uint32_t nr_query_opcodes;
};

struct ut_probe_report {
	/* environment */
	char kernel_release[65];
	unsigned int kernel_kv;	/* UT_KV() + patch */
	char machine[65];
	char liburing_build[16];
	char liburing_runtime[16];
	uid_t uid, euid;
	struct ut_evidence ev;
	struct ut_diagnosis diag;

	/* the ring asked for (opts.entries/opts.flags) */
	unsigned int entries;
	uint32_t flags;
	int ring_err;		/* positive errno, 0 when created */
	unsigned int sq_entries, cq_entries;
	uint32_t features;

	/* opcodes from IORING_REGISTER_PROBE */
	int probe_err;		/* positive errno, 0 when the probe answered */
	int last_op;		/* -1 when unknown */
	bool op_supported[UT_MAX_OPS];

	/* every setup flag the table knows, by bit */
	unsigned int nsetup;
	struct ut_setup_result setup[UT_MAX_SETUP];

	/* memlock */
	uint64_t memlock_limit;	/* RLIMIT_MEMLOCK soft, UINT64_MAX unlimited */
	unsigned int max_ring_entries;	/* largest ring that could be created */
	/* bytes left for registered buffers, UINT64_MAX unlimited */
	uint64_t reg_buf_budget;
	bool reg_buf_known;	/* false: not measured (no ring, no memory) */

	struct ut_query query;

	bool behaviour_run;
	struct ut_behaviour behaviour[UT_BEH_COUNT];

	uint64_t duration_ns;
};

/* Whether the kernel's opcode probe reports op supported. */
bool ut_op_supported(const struct ut_probe_report *rep, unsigned int op);
/*
 * Why opcode op is not supported, as a token: NULL when it is,
 * "io_uring_unavailable", "kernel_too_old" (beyond the kernel's last op),
 * or "not_built_in" (the kernel knows the number but reports it unsupported:
 * compiled out, e.g. network ops without CONFIG_NET).
 */
const char *ut_op_why_unsupported(const struct ut_probe_report *rep,
				  unsigned int op);

/* A positive errno as its name ("EINVAL"), else as "errno 524" in buf. */
const char *ut_errno_str(int err, char *buf, size_t len);

/* Fill rep; returns 0 (the verdict lives in rep->diag) or -errno. */
int ut_probe_run(const struct ut_probe_opts *opts, struct ut_probe_report *rep);
/* Version of the liburing this process runs with ("2.3"). */
void ut_liburing_runtime_version(char *buf, size_t len);

struct json_object;
/* The report as the versioned JSON document (caller owns the reference). */
struct json_object *ut_probe_to_json(const struct ut_probe_report *rep);

#endif
