// SPDX-License-Identifier: MIT
/*
 * uring.Ring: the ring, its table of operations in flight, and the submit
 * side. Every SQE carries a key (generation << 32 | slot + 1) rather than
 * a pointer, so a stale key (a cancel racing a completion) never reaches
 * another operation. The submit side runs with the GIL held; the receive
 * side is in ring_wait.c.
 */
#include "uring_py.h"

#include <assert.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#define UT_MAX_SLOTS	65536u	/* bgid of a multishot recv is its slot */

static uint64_t ring_ids;

int ut_ring_check_open(ut_ring *r)
{
	if (!r->initialized && !r->closed) {
		PyErr_SetString(PyExc_RuntimeError, "Ring.__init__() was not called");
		return -1;
	}
	if (r->closing || r->closed) {
		PyErr_SetString(PyExc_ValueError, "I/O operation on a closed ring");
		return -1;
	}
	return 0;
}

/*
 * Called once every argument is converted: from here to ut_ring_commit()
 * or ut_op_discard() no Python code runs, so the ring stays open. The
 * Completion is made first because allocating it can run the cyclic GC
 * and with it finalizers (which may close the ring); the checks follow.
 */
struct ut_op *ut_op_new(ut_ring *r, int kind, int nviews, PyObject *user_data)
{
	ut_completion *comp;
	struct ut_op *op;
	uint32_t slot;
	size_t sz;

	if (nviews < 0 || nviews > 1024) {
		PyErr_SetString(PyExc_ValueError, "at most 1024 buffers per operation");
		return NULL;
	}
	if (ut_ring_check_open(r) < 0)
		return NULL;
	comp = ut_completion_new(r->ctype, kind, user_data);
	if (!comp)
		return NULL;
	if (ut_ring_check_open(r) < 0)
		goto fail;
	if (r->live >= r->cq_entries) {
		PyErr_Format(r->sq_full, "%u operations in flight fill the completion "
			     "queue: wait for completions first", r->live);
		goto fail;
	}
	if (!r->nfree) {
		uint32_t n = r->nslots ? r->nslots * 2 : 64, i;
		struct ut_op **s;
		uint32_t *f;

		if (n > UT_MAX_SLOTS)
			n = UT_MAX_SLOTS;
		if (n <= r->nslots) {
			PyErr_SetString(r->sq_full, "too many operations in flight");
			goto fail;
		}
		s = PyMem_Realloc(r->slots, n * sizeof(*s));
		if (!s)
			goto nomem;
		r->slots = s;
		f = PyMem_Realloc(r->free_slots, n * sizeof(*f));
		if (!f)
			goto nomem;
		r->free_slots = f;
		for (i = r->nslots; i < n; i++) {
			s[i] = NULL;
			f[r->nfree++] = n - 1 - (i - r->nslots);
		}
		r->nslots = n;
	}
	sz = sizeof(*op) + (size_t)nviews * (sizeof(Py_buffer) + sizeof(struct iovec));
	op = PyMem_Calloc(1, sz);
	if (!op)
		goto nomem;
	op->views = (Py_buffer *)(op + 1);
	op->iov = (struct iovec *)(op->views + nviews);
	op->comp = comp;
	slot = r->free_slots[--r->nfree];
	if (++r->gen == UINT32_MAX)
		r->gen = 1;
	op->slot = slot;
	op->key = ((uint64_t)r->gen << 32) | (slot + 1);
	op->kind = kind;
	op->comp->ring_id = r->ring_id;
	op->comp->key = op->key;
	r->slots[slot] = op;
	r->live++;
	return op;
nomem:
	PyErr_NoMemory();
fail:
	Py_DECREF(comp);
	return NULL;
}

struct ut_op *ut_op_lookup(ut_ring *r, uint64_t key)
{
	uint32_t slot = (uint32_t)(key & 0xffffffffu);
	struct ut_op *op;

	if (!slot || slot > r->nslots)
		return NULL;
	op = r->slots[slot - 1];
	return op && op->key == key ? op : NULL;
}

/* The kernel is done with op (or never saw it): unpin and free. */
void ut_op_discard(ut_ring *r, struct ut_op *op)
{
	/* the arguments were converted before ut_op_new(): nothing closed
	 * the ring since, so op is still in its table */
	assert(op->slot < r->nslots && r->slots[op->slot] == op);
	for (int i = 0; i < op->nviews; i++)
		PyBuffer_Release(&op->views[i]);
	if (op->br) {
		io_uring_unregister_buf_ring(&r->ring, (int)op->slot);
		munmap(op->br, op->br_bytes);
	}
	if (op->bufs)
		munmap(op->bufs, op->bufs_bytes);
	Py_CLEAR(op->fdobj);
	Py_CLEAR(op->keep);
	if (op->comp) {
		op->comp->released = true;
		Py_CLEAR(op->comp);
	}
	r->slots[op->slot] = NULL;
	r->free_slots[r->nfree++] = op->slot;
	r->live--;
	PyMem_Free(op);
}

/* Submit what is queued. always: even when nothing is ready (SQ full). */
int ut_ring_flush(ut_ring *r, bool always)
{
	int ret;

	if (!always && !io_uring_sq_ready(&r->ring))
		return 0;
	do {
		ret = io_uring_submit(&r->ring);
	} while (ret == -EINTR);
	/* EAGAIN/EBUSY: the SQEs stay queued; the next submit or wait retries */
	if (ret < 0 && ret != -EAGAIN && ret != -EBUSY)
		return ut_errno_set(-ret);
	return 0;
}

struct io_uring_sqe *ut_ring_get_sqe(ut_ring *r)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring);

	if (!sqe) {
		if (ut_ring_flush(r, true) < 0)
			return NULL;
		sqe = io_uring_get_sqe(&r->ring);
	}
	if (!sqe)
		PyErr_SetString(r->sq_full, "no submission queue entry is free");
	return sqe;
}

struct io_uring_sqe *ut_ring_sqe_for(ut_ring *r, struct ut_op *op)
{
	struct io_uring_sqe *sqe;

	/* no Python code ran since ut_op_new() checked */
	assert(!r->closing && !r->closed);
	sqe = ut_ring_get_sqe(r);
	if (!sqe)
		ut_op_discard(r, op);
	return sqe;
}

PyObject *ut_ring_commit(ut_ring *r, struct io_uring_sqe *sqe, struct ut_op *op)
{
	io_uring_sqe_set_data64(sqe, op->key);
	/* from here the kernel owns op until its last CQE, even if we raise */
	if (r->autosubmit && ut_ring_flush(r, false) < 0)
		return NULL;
	return Py_NewRef((PyObject *)op->comp);
}

static int ring_init(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "entries", "flags", NULL };
	struct io_uring_params p;
	PyObject *mod;
	struct ut_py_state *st;
	struct ut_int_arg entries = UT_ARG_RANGE("entries", 1, 32768, 8);
	struct ut_int_arg flags = UT_ARG_U32("flags", 0);
	int ret;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|O&O&:Ring", kwlist,
					 ut_int_conv, &entries, ut_int_conv, &flags))
		return -1;
	if (r->initialized || r->closed) {
		PyErr_SetString(PyExc_RuntimeError, "Ring is already initialized");
		return -1;
	}
	mod = PyType_GetModuleByDef(Py_TYPE(r), &ut_py_moduledef);
	if (!mod)
		return -1;
	st = PyModule_GetState(mod);
	Py_XSETREF(r->ctype, (PyTypeObject *)Py_NewRef(st->completion_type));
	Py_XSETREF(r->sq_full, Py_NewRef(st->sq_full));
	if (!r->ready && !(r->ready = PyList_New(0)))
		return -1;
	if (!r->wait_lock && !(r->wait_lock = PyThread_allocate_lock())) {
		PyErr_NoMemory();
		return -1;
	}
	memset(&p, 0, sizeof(p));
	p.flags = (uint32_t)flags.v;
	Py_BEGIN_ALLOW_THREADS
	ret = io_uring_queue_init_params((unsigned int)entries.v, &r->ring, &p);
	Py_END_ALLOW_THREADS
	if (ret < 0)
		return ut_errno_set(-ret);
	r->stage_cap = p.cq_entries < 256 ? p.cq_entries : 256;
	r->stage = PyMem_Calloc(r->stage_cap, sizeof(*r->stage));
	if (!r->stage) {
		io_uring_queue_exit(&r->ring);
		PyErr_NoMemory();
		return -1;
	}
	r->initialized = true;
	r->autosubmit = true;
	r->flags = p.flags;
	r->features = p.features;
	r->sq_entries = p.sq_entries;
	r->cq_entries = p.cq_entries;
	r->ring_id = __atomic_add_fetch(&ring_ids, 1, __ATOMIC_RELAXED);
	return 0;
}

static int ring_traverse(ut_ring *r, visitproc visit, void *arg)
{
	Py_VISIT(Py_TYPE(r));
	Py_VISIT(r->ctype);
	Py_VISIT(r->sq_full);
	Py_VISIT(r->callback);
	Py_VISIT(r->ready);
	for (uint32_t i = 0; i < r->nslots; i++) {
		struct ut_op *op = r->slots[i];

		if (op) {
			Py_VISIT(op->comp);
			Py_VISIT(op->fdobj);
			Py_VISIT(op->keep);
		}
	}
	return 0;
}

/* Operations in flight keep what they hold: the kernel may still use it. */
static int ring_clear(ut_ring *r)
{
	Py_CLEAR(r->callback);
	if (r->ready)
		PyList_SetSlice(r->ready, 0, PyList_GET_SIZE(r->ready), NULL);
	r->ready_head = 0;
	return 0;
}

static void ring_dealloc(ut_ring *r)
{
	PyTypeObject *tp = Py_TYPE(r);

	PyObject_GC_UnTrack(r);
	if (r->initialized && !r->closed) {
		PyObject *et, *ev, *tb;

		PyErr_Fetch(&et, &ev, &tb);
		if (ut_ring_shutdown(r, 1.0) < 0)
			PyErr_WriteUnraisable((PyObject *)r);
		PyErr_Restore(et, ev, tb);
	}
	ring_clear(r);
	Py_CLEAR(r->ready);
	Py_CLEAR(r->ctype);
	Py_CLEAR(r->sq_full);
	PyMem_Free(r->stage);
	PyMem_Free(r->slots);
	PyMem_Free(r->free_slots);
	if (r->wait_lock)
		PyThread_free_lock(r->wait_lock);
	tp->tp_free(r);
	Py_DECREF(tp);
}

static PyObject *do_close(ut_ring *r, double timeout)
{
	if (r->serving) {
		PyErr_SetString(PyExc_RuntimeError, "cannot close while completion "
				"service is active: stop_serving() and join the workers first");
		return NULL;
	}
	if (r->closing || !r->initialized)
		Py_RETURN_NONE;
	if (ut_ring_shutdown(r, timeout) < 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *ring_close(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "timeout", NULL };
	struct ut_secs_arg timeout = { .name = "timeout", .min = 0, .max = 3600,
				       .v = 1.0 };

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|O&:close", kwlist,
					 ut_secs_conv, &timeout))
		return NULL;
	return do_close(r, timeout.v);
}

static PyObject *ring_enter(ut_ring *r, PyObject *unused)
{
	if (ut_ring_check_open(r) < 0)
		return NULL;
	return Py_NewRef((PyObject *)r);
}

static PyObject *ring_exit(ut_ring *r, PyObject *args)
{
	PyObject *res = do_close(r, 1.0);

	if (!res)
		return NULL;
	Py_DECREF(res);
	Py_RETURN_FALSE;
}

static PyObject *ring_submit(ut_ring *r, PyObject *unused)
{
	unsigned int n;

	if (ut_ring_check_open(r) < 0)
		return NULL;
	n = io_uring_sq_ready(&r->ring);
	if (ut_ring_flush(r, false) < 0)
		return NULL;
	return PyLong_FromUnsignedLong(n - io_uring_sq_ready(&r->ring));
}

static PyObject *ring_break_wait(ut_ring *r, PyObject *unused)
{
	if (r->closing || r->closed)
		Py_RETURN_NONE;
	if (ut_ring_check_open(r) < 0 || ut_ring_submit_break(r) < 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *ring_stop_serving(ut_ring *r, PyObject *unused)
{
	__atomic_store_n(&r->stop, 1, __ATOMIC_SEQ_CST);
	if (r->serving && !r->closing && r->initialized &&
	    ut_ring_submit_break(r) < 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *ring_reset_serving(ut_ring *r, PyObject *unused)
{
	if (r->serving) {
		PyErr_SetString(PyExc_RuntimeError,
				"completion workers are still running: join them first");
		return NULL;
	}
	__atomic_store_n(&r->stop, 0, __ATOMIC_SEQ_CST);
	Py_RETURN_NONE;
}

static PyObject *ring_fileno(ut_ring *r, PyObject *unused)
{
	if (ut_ring_check_open(r) < 0)
		return NULL;
	return PyLong_FromLong(r->ring.ring_fd);
}

static PyObject *ring_repr(ut_ring *r)
{
	if (!r->initialized)
		return PyUnicode_FromString(r->closed ? "<uring.Ring closed>" :
					    "<uring.Ring uninitialized>");
	return PyUnicode_FromFormat("<uring.Ring fd=%d sq_entries=%u cq_entries=%u "
				    "in_flight=%u>", r->ring.ring_fd, r->sq_entries,
				    r->cq_entries, r->live);
}

#define GETU(name, expr, doc)						\
static PyObject *get_##name(ut_ring *r, void *c)			\
{									\
	return PyLong_FromUnsignedLong(expr);				\
}
GETU(features, r->features, "")
GETU(sq_entries, r->sq_entries, "")
GETU(cq_entries, r->cq_entries, "")
GETU(flags, r->flags, "")
GETU(in_flight, r->live, "")

static PyObject *get_fd(ut_ring *r, void *c)
{
	if (!r->initialized)
		return PyLong_FromLong(-1);
	return PyLong_FromLong(r->ring.ring_fd);
}

static PyObject *get_closed(ut_ring *r, void *c)
{
	return PyBool_FromLong(r->closed || r->closing);
}

static PyObject *get_running(ut_ring *r, void *c)
{
	return PyBool_FromLong(r->serving > 0);
}

static PyObject *get_callback(ut_ring *r, void *c)
{
	return Py_NewRef(r->callback ? r->callback : Py_None);
}

static int set_callback(ut_ring *r, PyObject *v, void *c)
{
	if (v && v != Py_None && !PyCallable_Check(v)) {
		PyErr_SetString(PyExc_TypeError, "callback must be callable or None");
		return -1;
	}
	Py_XSETREF(r->callback, v && v != Py_None ? Py_NewRef(v) : NULL);
	return 0;
}

static PyObject *get_autosubmit(ut_ring *r, void *c)
{
	return PyBool_FromLong(r->autosubmit);
}

static int set_autosubmit(ut_ring *r, PyObject *v, void *c)
{
	int b;

	if (!v) {
		PyErr_SetString(PyExc_TypeError, "cannot delete autosubmit");
		return -1;
	}
	b = PyObject_IsTrue(v);
	if (b < 0)
		return -1;
	r->autosubmit = b;
	return 0;
}

static PyGetSetDef ring_getset[] = {
	{ "fd", (getter)get_fd, NULL, "the ring's file descriptor (-1 once closed)" },
	{ "features", (getter)get_features, NULL, "IORING_FEAT_* bits the kernel reported" },
	{ "sq_entries", (getter)get_sq_entries, NULL, "submission queue size" },
	{ "cq_entries", (getter)get_cq_entries, NULL, "completion queue size" },
	{ "flags", (getter)get_flags, NULL, "setup flags in effect" },
	{ "closed", (getter)get_closed, NULL, "close() was called" },
	{ "running", (getter)get_running, NULL, "serve_completions() workers are active" },
	{ "in_flight", (getter)get_in_flight, NULL,
	  "operations the kernel may still use (including send_zc awaiting NOTIF)" },
	{ "callback", (getter)get_callback, (setter)set_callback,
	  "callable(completion) that serve_completions() workers call" },
	{ "autosubmit", (getter)get_autosubmit, (setter)set_autosubmit,
	  "submit each SQE at once (True); False queues them until submit() or a wait" },
	{ NULL },
};

static PyMethodDef ring_base_methods[] = {
	{ "close", (PyCFunction)(void (*)(void))ring_close, METH_VARARGS | METH_KEYWORDS,
	  "close(timeout=1.0): cancel what is in flight, wait up to timeout for\n"
	  "the kernel to let go of it, then release the ring. Idempotent." },
	{ "__enter__", (PyCFunction)ring_enter, METH_NOARGS, NULL },
	{ "__exit__", (PyCFunction)ring_exit, METH_VARARGS, NULL },
	{ "submit", (PyCFunction)ring_submit, METH_NOARGS,
	  "submit() -> int: hand queued SQEs to the kernel (autosubmit=False)" },
	{ "fileno", (PyCFunction)ring_fileno, METH_NOARGS, "the ring's fd" },
	{ "wait", (PyCFunction)(void (*)(void))ut_ring_wait, METH_VARARGS | METH_KEYWORDS,
	  "wait(timeout=None) -> Completion | None\n\n"
	  "The next completion; None on timeout or after break_wait()." },
	{ "wait_many", (PyCFunction)(void (*)(void))ut_ring_wait_many,
	  METH_VARARGS | METH_KEYWORDS,
	  "wait_many(timeout=None, max=None) -> list[Completion]\n\n"
	  "Every completion available (at least one unless timeout or break)." },
	{ "break_wait", (PyCFunction)ring_break_wait, METH_NOARGS,
	  "break_wait(): make a blocked wait() return None (thread safe)" },
	{ "serve_completions", (PyCFunction)ut_ring_serve, METH_NOARGS,
	  "serve_completions(): wait and call callback(completion) until\n"
	  "stop_serving(); run it on your own threads" },
	{ "stop_serving", (PyCFunction)ring_stop_serving, METH_NOARGS,
	  "stop_serving(): ask serve_completions() workers to return" },
	{ "reset_serving", (PyCFunction)ring_reset_serving, METH_NOARGS,
	  "reset_serving(): allow serve_completions() again after a stop" },
	{ NULL },
};

static PyMethodDef ring_methods[64];

static PyType_Slot ring_slots[] = {
	{ Py_tp_doc, "Ring(entries=8, flags=0)\n\n"
		"An io_uring instance; a context manager. entries is the submission\n"
		"queue depth, flags IORING_SETUP_* bits. OSError when the kernel\n"
		"refuses." },
	{ Py_tp_new, PyType_GenericNew },
	{ Py_tp_init, ring_init },
	{ Py_tp_dealloc, ring_dealloc },
	{ Py_tp_traverse, ring_traverse },
	{ Py_tp_clear, ring_clear },
	{ Py_tp_methods, ring_methods },
	{ Py_tp_getset, ring_getset },
	{ Py_tp_repr, ring_repr },
	{ 0, NULL },
};

PyType_Spec ut_ring_spec = {
	.name = "uring.Ring",
	.basicsize = sizeof(ut_ring),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_IMMUTABLETYPE,
	.slots = ring_slots,
};

void ut_ring_methods_init(void)
{
	PyMethodDef *lists[] = { ring_base_methods, ut_submit_methods,
				 ut_submit_more_methods };
	size_t n = 0;

	if (ring_methods[0].ml_name)
		return;
	for (size_t i = 0; i < 3; i++)
		for (PyMethodDef *d = lists[i]; d->ml_name; d++)
			if (n + 1 < sizeof(ring_methods) / sizeof(ring_methods[0]))
				ring_methods[n++] = *d;
}
