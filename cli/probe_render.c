// SPDX-License-Identifier: MIT
/* The probe report as aligned text sections, KEY=VALUE lines or #defines. */
#include "probe_render.h"

#include "abi.h"
#include "cli.h"
#include "probe.h"
#include "require.h"

#include <string.h>

static const char *yesno(bool b)
{
	return b ? "yes" : "no";
}

static void section(FILE *f, const char *title)
{
	fprintf(f, "\n%s\n", title);
}

/* " NAME" for each bit set in bits, named by table t */
static void flag_names(FILE *f, const struct ut_table *t, uint64_t bits)
{
	char buf[24];

	for (unsigned int b = 0; b < 64; b++)
		if (bits & (1ull << b))
			fprintf(f, " %s", ut_abi_name(t, b, buf, sizeof(buf)));
}

static void text_env(FILE *f, const struct ut_probe_report *r)
{
	const struct ut_evidence *ev = &r->ev;
	char b1[32], b2[32];

	section(f, "Environment");
	fprintf(f, "  %-26s %s (%s)\n", "kernel", r->kernel_release, r->machine);
	fprintf(f, "  %-26s %s built, %s running\n", "liburing",
		r->liburing_build, r->liburing_runtime);
	fprintf(f, "  %-26s uid %u euid %u, CAP_SYS_ADMIN %s, CAP_IPC_LOCK %s\n",
		"identity", (unsigned int)r->uid, (unsigned int)r->euid,
		yesno(ev->cap_sys_admin), yesno(ev->cap_ipc_lock));
	if (ev->seccomp_mode < 0)
		fprintf(f, "  %-26s unknown\n", "seccomp");
	else
		fprintf(f, "  %-26s mode %d, %d filter(s)\n", "seccomp",
			ev->seccomp_mode, ev->seccomp_filters < 0 ? 0 :
			ev->seccomp_filters);
	if (ev->io_uring_disabled < 0)
		fprintf(f, "  %-26s absent (kernel before 6.6 or without io_uring)\n",
			"kernel.io_uring_disabled");
	else
		fprintf(f, "  %-26s %d (io_uring_group %ld%s)\n",
			"kernel.io_uring_disabled", ev->io_uring_disabled,
			ev->io_uring_group, ev->in_io_uring_group ? ", member" : "");
	fprintf(f, "  %-26s %s\n", "RLIMIT_MEMLOCK",
		ut_fmt_bytes(r->memlock_limit, b1, sizeof(b1)));
	if (r->diag.available) {
		fprintf(f, "  %-26s %u entries\n", "largest ring", r->max_ring_entries);
		fprintf(f, "  %-26s %s\n", "registered buffers",
			!r->reg_buf_known ? "not measured" :
			ev->cap_ipc_lock ? "unlimited (CAP_IPC_LOCK)" :
			ut_fmt_bytes(r->reg_buf_budget, b2, sizeof(b2)));
	}
}

static void text_ring(FILE *f, const struct ut_probe_report *r)
{
	char eb[24];

	section(f, "Ring");
	fprintf(f, "  %-26s %u, flags 0x%x", "entries", r->entries, r->flags);
	flag_names(f, &ut_setup_flags, r->flags);
	fputc('\n', f);
	if (r->ring_err)
		fprintf(f, "  %-26s no: %s (%s)\n", "created",
			ut_errno_str(r->ring_err, eb, sizeof(eb)),
			strerror(r->ring_err));
	else
		fprintf(f, "  %-26s yes: %u SQ entries, %u CQ entries\n",
			"created", r->sq_entries, r->cq_entries);
}

static void text_ops(FILE *f, const struct ut_probe_report *r)
{
	int last = r->last_op, n = 0, ny = 0;
	char buf[24], since[16];

	if ((int)ut_ops.len - 1 > last)
		last = (int)ut_ops.len - 1;
	fprintf(f, "\nOpcodes (kernel reports last %d)\n", r->last_op);
	for (int i = 0; i <= last; i++) {
		const struct ut_name *e = ut_abi_find(&ut_ops, (unsigned int)i);
		bool sup = ut_op_supported(r, (unsigned int)i);

		n++;
		ny += sup;
		const char *why = ut_op_why_unsupported(r, (unsigned int)i);

		fprintf(f, "  %3d %-18s %-4s %s%s%s\n", i,
			ut_abi_name(&ut_ops, (unsigned int)i, buf, sizeof(buf)),
			sup ? "yes" : "no",
			e ? "since " : "",
			e ? ut_kver_str(e->since, since, sizeof(since)) : "",
			!why ? "" : !strcmp(why, "kernel_too_old") ?
			"  (newer than this kernel)" :
			"  (known to this kernel, not built in)");
	}
	fprintf(f, "  %d of %d supported\n", ny, n);
}

static void text_setup(FILE *f, const struct ut_probe_report *r)
{
	section(f, "Setup flags (tried with the partners each needs)");
	for (unsigned int b = 0; b < r->nsetup; b++) {
		const struct ut_name *e = ut_abi_find(&ut_setup_flags, b);
		const struct ut_setup_result *s = &r->setup[b];
		char req[80] = "", eb[24];

		if (e->requires)
			snprintf(req, sizeof(req), " (with %s)", e->requires);
		if (s->accepted)
			fprintf(f, "  %-20s 0x%-7x accepted%s; liburing %s%s%s\n",
				e->name, 1u << b, req,
				s->liburing_ok ? "drives it" : "cannot drive it: ",
				s->liburing_ok ? "" :
				ut_errno_str(s->liburing_err, eb, sizeof(eb)), "");
		else
			fprintf(f, "  %-20s 0x%-7x refused: %s%s\n", e->name, 1u << b,
				ut_errno_str(s->err, eb, sizeof(eb)), req);
	}
}

static void text_features(FILE *f, const struct ut_probe_report *r)
{
	char buf[24];

	section(f, "Features");
	for (unsigned int b = 0; b < 32; b++) {
		const struct ut_name *e = ut_abi_find(&ut_features, b);
		bool present = r->features & (1u << b);
		char since[16];

		if (!e && !present)
			continue;
		fprintf(f, "  %-20s %-4s %s%s\n",
			ut_abi_name(&ut_features, b, buf, sizeof(buf)),
			yesno(present), e ? "since " : "",
			e ? ut_kver_str(e->since, since, sizeof(since)) : "");
	}
}

static void text_query(FILE *f, const struct ut_query *q)
{
	char eb[24];

	section(f, "Ringless query (IORING_REGISTER_QUERY, 6.18+)");
	if (!q->ok) {
		fprintf(f, "  not available: %s\n",
			ut_errno_str(q->err, eb, sizeof(eb)));
		return;
	}
	fprintf(f, "  %-26s %u\n", "request opcodes", q->nr_request_opcodes);
	fprintf(f, "  %-26s %u\n", "register opcodes", q->nr_register_opcodes);
	fprintf(f, "  %-26s", "enter flags");
	flag_names(f, &ut_enter_flags, q->enter_flags);
	fprintf(f, "\n  %-26s", "sqe flags");
	flag_names(f, &ut_sqe_flags, q->sqe_flags);
	fputc('\n', f);
}

static void text_behaviour(FILE *f, const struct ut_probe_report *r)
{
	section(f, "Behaviour (real operations, each bounded in time)");
	if (!r->behaviour_run) {
		fprintf(f, "  not run\n");
		return;
	}
	for (int i = 0; i < UT_BEH_COUNT; i++) {
		const struct ut_behaviour *b = &r->behaviour[i];

		fprintf(f, "  %-18s %-11s %6.1f ms  %s\n", ut_behaviour_names[i],
			ut_bstatus_token(b->status), (double)b->ns / 1e6,
			b->detail);
	}
}

static void text_requirements(FILE *f, const struct ut_req_result *req, int n)
{
	if (!n)
		return;
	section(f, "Requirements");
	for (int i = 0; i < n; i++)
		fprintf(f, "  %-26s %s%s%s\n", req[i].req->text,
			req[i].met ? "met" : "NOT MET",
			req[i].why_not ? ": " : "",
			req[i].why_not ? req[i].why_not : "");
}

void ut_render_text(FILE *f, const struct ut_probe_report *r,
		    const struct ut_req_result *req, int nreq)
{
	const struct ut_diagnosis *d = &r->diag;
	char eb[24];

	if (d->available)
		fprintf(f, "io_uring: available (kernel %s)\n", r->kernel_release);
	else
		fprintf(f, "io_uring: UNAVAILABLE (%s, io_uring_setup: %s)\n  %s\n",
			ut_reason_token(d->reason),
			ut_errno_str(r->ev.setup_errno, eb, sizeof(eb)),
			d->summary);
	if (d->fix)
		fprintf(f, "  fix: %s\n", d->fix);
	text_env(f, r);
	if (d->available) {
		text_ring(f, r);
		text_ops(f, r);
		text_setup(f, r);
		text_features(f, r);
	}
	text_query(f, &r->query);
	if (d->available)
		text_behaviour(f, r);
	text_requirements(f, req, nreq);
	fprintf(f, "\nprobe took %.1f ms\n", (double)r->duration_ns / 1e6);
}

/* KEY=VALUE lines for `eval` in shell CI steps; every value is shell-safe. */
void ut_render_shell(FILE *f, const struct ut_probe_report *r,
		     const struct ut_req_result *req, int nreq)
{
	const char *reason = ut_reason_token(r->diag.reason);
	char buf[24], since[16];

	fprintf(f, "URING_AVAILABLE=%d\n", r->diag.available);
	fprintf(f, "URING_REASON=%s\n", reason ? reason : "");
	fprintf(f, "URING_KERNEL=%s\n", ut_kver_str(r->kernel_kv, since, sizeof(since)));
	fprintf(f, "URING_LIBURING=%s\n", r->liburing_runtime);
	fprintf(f, "URING_LAST_OP=%d\n", r->last_op);
	fprintf(f, "URING_MAX_RING_ENTRIES=%u\n", r->max_ring_entries);
	for (size_t i = 0; i < ut_ops.len; i++)
		fprintf(f, "URING_OP_%s=%d\n", ut_ops.items[i].name,
			ut_op_supported(r, ut_ops.items[i].number));
	for (unsigned int b = 0; b < r->nsetup; b++)
		fprintf(f, "URING_SETUP_%s=%d\n",
			ut_abi_name(&ut_setup_flags, b, buf, sizeof(buf)),
			r->setup[b].accepted);
	for (size_t i = 0; i < ut_features.len; i++)
		fprintf(f, "URING_FEAT_%s=%d\n", ut_features.items[i].name,
			!!(r->features & (1u << ut_features.items[i].number)));
	for (int i = 0; i < UT_BEH_COUNT; i++) {
		char up[32];
		size_t k;
		for (k = 0; ut_behaviour_names[i][k] && k < sizeof(up) - 1; k++)
			up[k] = (char)(ut_behaviour_names[i][k] - 32 *
				       (ut_behaviour_names[i][k] >= 'a' &&
					ut_behaviour_names[i][k] <= 'z'));
		up[k] = 0;
		fprintf(f, "URING_BEHAVIOUR_%s=%s\n", up,
			ut_bstatus_token(r->behaviour[i].status));
	}
	if (nreq) {
		int met = 1;
		for (int i = 0; i < nreq; i++)
			met &= req[i].met;
		fprintf(f, "URING_REQUIREMENTS_MET=%d\n", met && r->diag.available);
	}
}

/* #define lines in the spirit of bpftool's `feature probe macros` */
void ut_render_c(FILE *f, const struct ut_probe_report *r)
{
	char buf[24];

	fprintf(f, "/* generated by uring-tool probe --format c on %s */\n",
		r->kernel_release);
	if (r->diag.available)
		fprintf(f, "#define URING_HAVE_IO_URING 1\n");
	else
		fprintf(f, "/* URING_HAVE_IO_URING is not set */\n");
	fprintf(f, "#define URING_KERNEL_VERSION 0x%06x\n", r->kernel_kv & ~0xffu);
	for (size_t i = 0; i < ut_ops.len; i++) {
		if (ut_op_supported(r, ut_ops.items[i].number))
			fprintf(f, "#define URING_HAVE_OP_%s 1\n", ut_ops.items[i].name);
		else
			fprintf(f, "/* URING_HAVE_OP_%s is not set */\n",
				ut_ops.items[i].name);
	}
	for (unsigned int b = 0; b < r->nsetup; b++) {
		const char *nm = ut_abi_name(&ut_setup_flags, b, buf, sizeof(buf));
		if (r->setup[b].accepted)
			fprintf(f, "#define URING_HAVE_SETUP_%s 1\n", nm);
		else
			fprintf(f, "/* URING_HAVE_SETUP_%s is not set */\n", nm);
	}
	for (size_t i = 0; i < ut_features.len; i++) {
		const char *nm = ut_features.items[i].name;
		if (r->features & (1u << ut_features.items[i].number))
			fprintf(f, "#define URING_HAVE_FEAT_%s 1\n", nm);
		else
			fprintf(f, "/* URING_HAVE_FEAT_%s is not set */\n", nm);
	}
}
