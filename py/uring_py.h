/* SPDX-License-Identifier: MIT */
/* Internals of the `uring` module shared by its source files. */
#ifndef UT_URING_PY_H
#define UT_URING_PY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <liburing.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>


struct ut_py_state {
	PyTypeObject *ring_type;
	PyTypeObject *completion_type;
	PyObject *sq_full;		/* SubmissionQueueFull(RuntimeError) */
};

extern PyModuleDef ut_py_moduledef;

enum ut_kind {
	UT_K_NOP,
	UT_K_RECV,
	UT_K_RECV_MULTISHOT,
	UT_K_SEND,
	UT_K_SEND_ZC,
	UT_K_RECVMSG,
	UT_K_SENDTO,
	UT_K_SENDMSG,
	UT_K_SENDMSG_ZC,
	UT_K_ACCEPT,
	UT_K_ACCEPT_MULTISHOT,
	UT_K_CONNECT,
	UT_K_CANCEL,
	UT_K_SHUTDOWN,
	UT_K_CLOSE,
	UT_K_SOCKET,
	UT_K_OPENAT,
	UT_K_READ,
	UT_K_WRITE,
	UT_K_COUNT,
};
extern const char *const ut_kind_names[UT_K_COUNT];

/* The object every submit_* returns and wait() delivers. */
typedef struct {
	PyObject_HEAD
	PyObject *user_data;
	PyObject *result;	/* payload; None until done or when res < 0 */
	int kind;
	int res;
	uint32_t flags;
	uint64_t sequence;
	bool done;		/* res and flags are valid */
	bool released;		/* the kernel no longer uses its buffers */
	int zc_copied;		/* send_zc with REPORT_USAGE: 0/1, else -1 */
	uint64_t ring_id;	/* which ring, for submit_cancel() */
	uint64_t key;		/* the SQE's user_data while in flight */
} ut_completion;

ut_completion *ut_completion_new(PyTypeObject *tp, int kind,
				 PyObject *user_data);
extern PyType_Spec ut_completion_spec;
extern PyType_Spec ut_ring_spec;

/* A CQE copied out of the ring without the GIL, turned into objects later. */
struct ut_raw_cqe {
	uint64_t user_data;
	int32_t res;
	uint32_t flags;
};

/* One operation in flight: everything the kernel may still use. */
struct ut_op {
	uint64_t key;
	uint32_t slot;
	int kind;
	bool main_done;		/* final (non-F_MORE) CQE seen */
	bool want_notif;	/* send_zc: NOTIF still to come */
	bool read_alloc;	/* read(length): result is the bytes read */
	unsigned int zc_flags;
	ut_completion *comp;	/* the handle submit returned (strong) */
	PyObject *fdobj;	/* kept alive until completion (rule 4) */
	PyObject *keep;		/* path bytes, owned read buffer ... */
	uint64_t seq;		/* next multishot sequence */
	int nviews;		/* pinned so far */
	Py_buffer *views;	/* pinned until the last CQE (rule 1) */
	struct iovec *iov;
	struct msghdr msg;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	/* recv multishot: a provided-buffer ring of its own, bgid = slot */
	struct io_uring_buf_ring *br;
	size_t br_bytes;
	char *bufs;
	size_t bufs_bytes;
	unsigned int bsize, bcount;
};

#define UT_KEY_BREAK	0ull		/* break_wait()'s NOP */
#define UT_KEY_INTERNAL	UINT64_MAX	/* close()'s cancel */

typedef struct {
	PyObject_HEAD
	struct io_uring ring;
	bool initialized;	/* io_uring_queue_init succeeded */
	bool closing;		/* close() began: no new work */
	bool closed;
	bool autosubmit;
	unsigned int flags, features, sq_entries, cq_entries;
	uint64_t ring_id;
	PyTypeObject *ctype;	/* Completion (strong) */
	PyObject *sq_full;	/* SubmissionQueueFull (strong) */
	PyObject *callback;
	PyObject *ready;	/* list of delivered, not yet returned */
	Py_ssize_t ready_head;
	/* operations in flight, by slot; key = gen << 32 | (slot + 1) */
	struct ut_op **slots;
	uint32_t nslots;
	uint32_t *free_slots;
	uint32_t nfree;
	uint32_t gen;
	unsigned int live;	/* ops not yet freed: the in-flight count */
	/* the receive side */
	PyThread_type_lock wait_lock;
	int waiters;		/* threads inside the reaping section */
	int serving;		/* threads inside serve_completions() */
	int stop;		/* stop_serving(): atomic */
	struct ut_raw_cqe *stage;
	unsigned int stage_cap;
} ut_ring;

/* ring.c */
/* Call after every argument is converted (no Python code may run between
 * it and ut_ring_commit() or ut_op_discard()). */
struct ut_op *ut_op_new(ut_ring *r, int kind, int nviews, PyObject *user_data);
void ut_op_discard(ut_ring *r, struct ut_op *op);
struct ut_op *ut_op_lookup(ut_ring *r, uint64_t key);
int ut_ring_check_open(ut_ring *r);
struct io_uring_sqe *ut_ring_get_sqe(ut_ring *r);
/* An SQE for op, or NULL with op discarded and the exception set. */
struct io_uring_sqe *ut_ring_sqe_for(ut_ring *r, struct ut_op *op);
int ut_ring_flush(ut_ring *r, bool always);
void ut_ring_methods_init(void);
PyObject *ut_ring_commit(ut_ring *r, struct io_uring_sqe *sqe,
			 struct ut_op *op);

/* ring_wait.c */
int ut_wait_lock(ut_ring *r, bool interruptible);
void ut_wait_unlock(ut_ring *r);
/* Reap and deliver; returns completions appended (>= 0), -1 with an
 * exception; *broke set when a break_wait() NOP was consumed. */
int ut_ring_collect(ut_ring *r, double timeout, bool *broke);
void ut_ring_process(ut_ring *r, const struct ut_raw_cqe *c, bool *broke);
int ut_ring_reap(ut_ring *r, unsigned int max, int64_t deadline_ns,
		 bool serving);
PyObject *ut_ring_pop_ready(ut_ring *r);
int ut_ring_submit_break(ut_ring *r);
PyObject *ut_ring_wait(ut_ring *r, PyObject *args, PyObject *kw);
PyObject *ut_ring_wait_many(ut_ring *r, PyObject *args, PyObject *kw);
PyObject *ut_ring_serve(ut_ring *r, PyObject *unused);
int ut_ring_shutdown(ut_ring *r, double timeout);

/* submit.c, ring_ops.c */
extern PyMethodDef ut_submit_methods[];
extern PyMethodDef ut_submit_more_methods[];
/* fd: an int, or an object with fileno(); 0, or -1 with the exception
 * set. Can run Python code: call it before ut_op_new(). */
int ut_fd_from(PyObject *fdo, int *fd);
/* An operation on fdo (converted already), which is kept alive until
 * completion when it is not an int (rule 4). NULL with the exception set. */
struct ut_op *ut_op_new_fd(ut_ring *r, int kind, int nviews, PyObject *ud,
			   PyObject *fdo);
/* ut_fd_from(), then ut_op_new_fd(): for operations whose other
 * arguments are converted already. */
struct ut_op *ut_fd_op(ut_ring *r, int kind, int nviews, PyObject *ud,
		       PyObject *fdo, int *fd);
/* Can run Python code (__index__, __fspath__) and release the GIL (name
 * lookups): call it before ut_op_new(). */
int ut_sockaddr_from(int fd, PyObject *addr, struct sockaddr_storage *ss,
		     socklen_t *len);
PyObject *ut_sockaddr_to(const struct sockaddr *sa, socklen_t len);

/* probe.c, constants.c, bench.c */
struct json_object;
extern PyMethodDef ut_probe_methods[];
extern PyMethodDef ut_bench_methods[];
int ut_constants_add(PyObject *m);
int ut_tables_add(PyObject *m);
PyObject *ut_json_to_py(struct json_object *j);

int ut_errno_set(int err);	/* OSError(err); returns -1 */

/*
 * Checked argument conversions, O& converters for PyArg_Parse* that can
 * also be called directly (1 on success, 0 with the exception set). The
 * struct names the argument and its range; v holds the default on entry
 * and the value on success. Nothing is truncated: a value out of range
 * raises OverflowError, or ValueError for a documented range
 * (value_error), or for a negative file descriptor (neg_value_error);
 * a non-integer raises TypeError (None keeps the default with none_ok). Every message names the argument.
 */
struct ut_int_arg {
	const char *name;
	long long min, max;
	bool value_error;
	bool neg_value_error;
	bool none_ok;		/* None keeps the default */
	long long v;
};
#define UT_ARG(n, lo, hi, def)	{ .name = (n), .min = (lo), .max = (hi), .v = (def) }
#define UT_ARG_RANGE(n, lo, hi, def) \
	{ .name = (n), .min = (lo), .max = (hi), .v = (def), .value_error = true }
/* a kernel flag word (u32): 0 .. 2**32-1 */
#define UT_ARG_U32(n, def)	UT_ARG(n, 0, UINT32_MAX, def)
/* a raw file descriptor: negative is ValueError, as in the os module */
#define UT_ARG_FD(n) \
	{ .name = (n), .min = 0, .max = INT_MAX, .neg_value_error = true }
int ut_int_conv(PyObject *o, void *arg);

/* Seconds as a float in [min, max] ((min, max] with min_open); None -> -1
 * (no limit) with none_ok. Out of range or non-finite: ValueError. */
struct ut_secs_arg {
	const char *name;
	double min, max;
	bool min_open;
	bool none_ok;
	double v;
};
int ut_secs_conv(PyObject *o, void *arg);

#endif
