// SPDX-License-Identifier: MIT
/*
 * The receive side: one reaper at a time (wait_lock), CQEs copied out raw
 * with the GIL released, turned into Completions with it held. EINTR is
 * retried after PyErr_CheckSignals() so Ctrl-C interrupts a wait (PEP 475).
 */
#include "uring_py.h"

#include "abi.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int ut_wait_lock(ut_ring *r, bool interruptible)
{
	if (PyThread_acquire_lock(r->wait_lock, NOWAIT_LOCK))
		return 0;
	for (;;) {
		PyLockStatus s;

		Py_BEGIN_ALLOW_THREADS
		s = PyThread_acquire_lock_timed(r->wait_lock,
						interruptible ? -1 : 100000,
						interruptible);
		Py_END_ALLOW_THREADS
		if (s == PY_LOCK_ACQUIRED)
			return 0;
		if (interruptible && PyErr_CheckSignals())
			return -1;
	}
}

void ut_wait_unlock(ut_ring *r)
{
	PyThread_release_lock(r->wait_lock);
}

static int enter_wait(ut_ring *r, int64_t deadline_ns)
{
	struct __kernel_timespec ts;
	struct io_uring_getevents_arg arg;
	uint64_t now;
	long ret;

	if (deadline_ns < 0) {
		ret = syscall(__NR_io_uring_enter, r->ring.ring_fd, 0, 1,
			      IORING_ENTER_GETEVENTS, NULL, _NSIG / 8);
		return ret < 0 ? -errno : 0;
	}
	now = ut_now_ns();
	if ((int64_t)now >= deadline_ns)
		return -ETIME;
	ts.tv_sec = (deadline_ns - (int64_t)now) / 1000000000;
	ts.tv_nsec = (deadline_ns - (int64_t)now) % 1000000000;
	if (!(r->features & IORING_FEAT_EXT_ARG)) {
		/* before 5.11 a timed wait needs an SQE: poll gently instead */
		struct timespec nap = { 0, 1000000 };

		nanosleep(&nap, NULL);
		return 0;
	}
	memset(&arg, 0, sizeof(arg));
	arg.sigmask_sz = _NSIG / 8;
	arg.ts = (uint64_t)(uintptr_t)&ts;
	ret = syscall(__NR_io_uring_enter, r->ring.ring_fd, 0, 1,
		      IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &arg,
		      sizeof(arg));
	return ret < 0 ? -errno : 0;
}

/*
 * Without the GIL, with wait_lock held: copy up to max CQEs into
 * r->stage. Returns how many (0 on timeout or stop), or -errno.
 */
int ut_ring_reap(ut_ring *r, unsigned int max, int64_t deadline_ns,
		 bool serving)
{
	struct io_uring_cqe *cqes[64];
	unsigned int n;
	int ret;

	if (max > r->stage_cap)
		max = r->stage_cap;
	if (max > 64)
		max = 64;
	for (;;) {
		n = io_uring_peek_batch_cqe(&r->ring, cqes, max);
		if (n) {
			for (unsigned int i = 0; i < n; i++) {
				r->stage[i].user_data = cqes[i]->user_data;
				r->stage[i].res = cqes[i]->res;
				r->stage[i].flags = cqes[i]->flags;
			}
			io_uring_cq_advance(&r->ring, n);
			return (int)n;
		}
		if (serving && __atomic_load_n(&r->stop, __ATOMIC_SEQ_CST))
			return 0;
		ret = enter_wait(r, deadline_ns);
		if (ret == -ETIME) {
			if (deadline_ns >= 0 &&
			    (int64_t)ut_now_ns() >= deadline_ns &&
			    !io_uring_cq_ready(&r->ring))
				return 0;
			continue;
		}
		if (ret == -EINTR)
			return -EINTR;
		if (ret < 0 && ret != -EAGAIN && ret != -EBUSY)
			return ret;
	}
}

static int ready_len(ut_ring *r)
{
	return (int)(PyList_GET_SIZE(r->ready) - r->ready_head);
}

PyObject *ut_ring_pop_ready(ut_ring *r)
{
	Py_ssize_t n = PyList_GET_SIZE(r->ready);
	PyObject *item;

	if (r->ready_head >= n)
		return NULL;
	item = PyList_GET_ITEM(r->ready, r->ready_head);
	PyList_SET_ITEM(r->ready, r->ready_head, Py_NewRef(Py_None));
	if (++r->ready_head == n) {
		PyList_SetSlice(r->ready, 0, n, NULL);
		r->ready_head = 0;
	}
	return item;
}

static void deliver(ut_ring *r, PyObject *c)
{
	if (PyList_Append(r->ready, c) < 0)
		PyErr_WriteUnraisable((PyObject *)r);
}

static PyObject *result_for(struct ut_op *op, const struct ut_raw_cqe *c)
{
	if (c->res < 0)
		return Py_NewRef(Py_None);
	switch (op->kind) {
	case UT_K_READ:
		if (op->read_alloc)
			return PyBytes_FromStringAndSize(op->views[0].buf, c->res);
		break;
	case UT_K_RECVMSG:
		return Py_BuildValue("(iN)", c->res,
				     ut_sockaddr_to((struct sockaddr *)&op->addr,
						    op->msg.msg_namelen));
	default:
		break;
	}
	return PyLong_FromLong(c->res);
}

static void fill(ut_completion *comp, const struct ut_raw_cqe *c, PyObject *result)
{
	if (!result) {
		PyErr_WriteUnraisable(NULL);
		result = Py_NewRef(Py_None);
	}
	comp->res = c->res;
	comp->flags = c->flags;
	comp->done = true;
	Py_XSETREF(comp->result, result);
}

static void deliver_multishot(ut_ring *r, struct ut_op *op,
			      const struct ut_raw_cqe *c)
{
	ut_completion *h = op->comp;
	ut_completion *nc = ut_completion_new(r->ctype, op->kind, h->user_data);
	PyObject *result = NULL;

	/* no completion object: this CQE is lost to the script; say so now */
	if (!nc)
		PyErr_WriteUnraisable((PyObject *)r);
	if (op->kind == UT_K_RECV_MULTISHOT && (c->flags & IORING_CQE_F_BUFFER)) {
		unsigned int bid = c->flags >> IORING_CQE_BUFFER_SHIFT;

		if (bid < op->bcount) {
			if (c->res >= 0)
				result = PyBytes_FromStringAndSize(
					op->bufs + (size_t)bid * op->bsize, c->res);
			/* copied out: hand the buffer back to the kernel */
			io_uring_buf_ring_add(op->br, op->bufs + (size_t)bid * op->bsize,
					      op->bsize, (unsigned short)bid,
					      io_uring_buf_ring_mask(op->bcount), 0);
			io_uring_buf_ring_advance(op->br, 1);
		}
	} else if (c->res >= 0) {
		result = op->kind == UT_K_RECV_MULTISHOT ?
			PyBytes_FromStringAndSize("", 0) : PyLong_FromLong(c->res);
	}
	if (!result) {
		/* no memory for the bytes: they are lost (the buffer went back), say so */
		if (PyErr_Occurred())
			PyErr_WriteUnraisable((PyObject *)r);
		result = Py_NewRef(Py_None);
	}
	if (!(c->flags & IORING_CQE_F_MORE)) {
		op->main_done = true;
		fill(h, c, Py_NewRef(Py_None));
	}
	if (!nc) {
		Py_DECREF(result);
		return;
	}
	fill(nc, c, result);
	nc->sequence = op->seq++;
	nc->released = true;
	nc->ring_id = r->ring_id;
	nc->key = op->key;
	deliver(r, (PyObject *)nc);
	Py_DECREF(nc);
}

/* With the GIL: one raw CQE -> the ready list (or internal bookkeeping). */
void ut_ring_process(ut_ring *r, const struct ut_raw_cqe *c, bool *broke)
{
	struct ut_op *op;
	ut_completion *comp;

	if (c->user_data == UT_KEY_BREAK) {
		*broke = true;
		return;
	}
	if (c->user_data == UT_KEY_INTERNAL)
		return;
	op = ut_op_lookup(r, c->user_data);
	if (!op)
		return;
	comp = op->comp;
	if (c->flags & IORING_CQE_F_NOTIF) {
		/* send_zc: the kernel let go of the buffer (rule 3) */
		op->want_notif = false;
		if (op->zc_flags & UT_SEND_ZC_REPORT_USAGE)
			comp->zc_copied = !!((uint32_t)c->res & UT_NOTIF_USAGE_ZC_COPIED);
	} else if (op->kind == UT_K_RECV_MULTISHOT ||
		   op->kind == UT_K_ACCEPT_MULTISHOT) {
		deliver_multishot(r, op, c);
	} else {
		fill(comp, c, result_for(op, c));
		op->main_done = true;
		/* a notification follows iff F_MORE, whatever res says */
		if (op->kind == UT_K_SEND_ZC || op->kind == UT_K_SENDMSG_ZC)
			op->want_notif = c->flags & IORING_CQE_F_MORE;
		if (!op->want_notif)
			comp->released = true;
		deliver(r, (PyObject *)comp);
	}
	if (op->main_done && !op->want_notif)
		ut_op_discard(r, op);
}

int ut_ring_submit_break(ut_ring *r)
{
	struct io_uring_sqe *sqe = ut_ring_get_sqe(r);

	if (!sqe)
		return -1;
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, UT_KEY_BREAK);
	return ut_ring_flush(r, false);
}

/*
 * Reap until at least one completion is ready, a break, or the timeout
 * (seconds, < 0 forever). Returns completions ready, or -1 with an error.
 */
int ut_ring_collect(ut_ring *r, double timeout, bool *broke)
{
	int64_t deadline = timeout < 0 ? -1 :
		(int64_t)(ut_now_ns() + (uint64_t)(timeout * 1e9));
	int n;

	*broke = false;
	if (ut_ring_flush(r, false) < 0)
		return -1;
	if (ut_wait_lock(r, true) < 0)
		return -1;
	if (ut_ring_check_open(r) < 0)
		goto err;
	r->waiters++;
	while (!ready_len(r)) {
		Py_BEGIN_ALLOW_THREADS
		n = ut_ring_reap(r, r->stage_cap, deadline, false);
		Py_END_ALLOW_THREADS
		if (n == -EINTR) {
			if (PyErr_CheckSignals() < 0)
				goto err_waiting;
			continue;
		}
		if (n < 0) {
			ut_errno_set(-n);
			goto err_waiting;
		}
		if (!n)
			break;
		for (int i = 0; i < n; i++)
			ut_ring_process(r, &r->stage[i], broke);
		if (*broke)
			break;
	}
	r->waiters--;
	ut_wait_unlock(r);
	return ready_len(r);
err_waiting:
	r->waiters--;
err:
	ut_wait_unlock(r);
	return -1;
}

static int check_wait(ut_ring *r)
{
	if (ut_ring_check_open(r) < 0)
		return -1;
	if (r->serving) {
		PyErr_SetString(PyExc_RuntimeError,
				"wait() while serve_completions() workers are running");
		return -1;
	}
	return 0;
}

/* None: forever */
#define WAIT_TIMEOUT { .name = "timeout", .min = 0, .max = 1e9, .none_ok = true, \
		       .v = -1 }

PyObject *ut_ring_wait(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "timeout", NULL };
	struct ut_secs_arg timeout = WAIT_TIMEOUT;
	PyObject *c;
	bool broke;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|O&:wait", kwlist,
					 ut_secs_conv, &timeout) ||
	    check_wait(r) < 0)
		return NULL;
	c = ut_ring_pop_ready(r);
	if (c)
		return c;
	if (ut_ring_collect(r, timeout.v, &broke) < 0)
		return NULL;
	if (broke)
		Py_RETURN_NONE;
	c = ut_ring_pop_ready(r);
	return c ? c : Py_NewRef(Py_None);
}

PyObject *ut_ring_wait_many(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "timeout", "max", NULL };
	struct ut_secs_arg timeout = WAIT_TIMEOUT;
	/* max=None: no limit */
	struct ut_int_arg max = { .name = "max", .min = 1, .max = PY_SSIZE_T_MAX,
				  .value_error = true, .none_ok = true,
				  .v = PY_SSIZE_T_MAX };
	PyObject *list, *c;
	bool broke;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|O&O&:wait_many", kwlist,
					 ut_secs_conv, &timeout, ut_int_conv, &max) ||
	    check_wait(r) < 0)
		return NULL;
	if (!ready_len(r) && ut_ring_collect(r, timeout.v, &broke) < 0)
		return NULL;
	list = PyList_New(0);
	while (list && PyList_GET_SIZE(list) < max.v && (c = ut_ring_pop_ready(r))) {
		if (PyList_Append(list, c) < 0)
			Py_CLEAR(list);
		Py_DECREF(c);
	}
	return list;
}

/* A worker: wait and dispatch to the callback until stop_serving(). */
PyObject *ut_ring_serve(ut_ring *r, PyObject *unused)
{
	bool broke;
	int n;

	if (ut_ring_check_open(r) < 0)
		return NULL;
	if (!r->callback) {
		PyErr_SetString(PyExc_RuntimeError,
				"serve_completions() needs Ring.callback set");
		return NULL;
	}
	r->serving++;
	while (!__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST)) {
		PyObject *c = ut_ring_pop_ready(r), *cb, *res;

		if (c) {
			cb = Py_NewRef(r->callback ? r->callback : Py_None);
			res = cb == Py_None ? Py_NewRef(Py_None) :
				PyObject_CallOneArg(cb, c);
			Py_DECREF(c);
			if (!res) {
				/* reported, and the whole worker group stops */
				PyErr_WriteUnraisable(cb);
				Py_DECREF(cb);
				__atomic_store_n(&r->stop, 1, __ATOMIC_SEQ_CST);
				if (r->serving > 1 && ut_ring_submit_break(r) < 0)
					PyErr_WriteUnraisable((PyObject *)r);
				break;
			}
			Py_DECREF(res);
			Py_DECREF(cb);
			continue;
		}
		if (ut_wait_lock(r, true) < 0)
			goto err;
		if (r->closing) {
			ut_wait_unlock(r);
			break;
		}
		if (ready_len(r) || __atomic_load_n(&r->stop, __ATOMIC_SEQ_CST)) {
			ut_wait_unlock(r);
			continue;
		}
		r->waiters++;
		Py_BEGIN_ALLOW_THREADS
		n = ut_ring_reap(r, r->stage_cap, -1, true);
		Py_END_ALLOW_THREADS
		if (n == -EINTR) {
			r->waiters--;
			ut_wait_unlock(r);
			if (PyErr_CheckSignals() < 0)
				goto err;
			continue;
		}
		if (n < 0) {
			r->waiters--;
			ut_wait_unlock(r);
			ut_errno_set(-n);
			goto err;
		}
		broke = false;
		for (int i = 0; i < n; i++)
			ut_ring_process(r, &r->stage[i], &broke);
		r->waiters--;
		ut_wait_unlock(r);
	}
	r->serving--;
	Py_RETURN_NONE;
err:
	r->serving--;
	return NULL;
}

/*
 * close(): cancel everything, drain until the kernel has let go of every
 * buffer or the deadline passes (rule 5). What is still in flight then is
 * abandoned on purpose: its buffers stay pinned and its memory is never
 * freed, because the kernel may still write to it.
 */
int ut_ring_shutdown(ut_ring *r, double timeout)
{
	int64_t deadline;
	bool broke;
	int n;

	if (!r->initialized || r->closed)
		return 0;
	r->closing = true;
	if (r->waiters && ut_ring_submit_break(r) < 0)
		PyErr_Clear();
	ut_wait_lock(r, false);
	if (r->live) {
		struct io_uring_sqe *sqe = ut_ring_get_sqe(r);

		if (sqe) {
			io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
			io_uring_sqe_set_data64(sqe, UT_KEY_INTERNAL);
		}
		if (!sqe || ut_ring_flush(r, false) < 0)
			PyErr_Clear();
	}
	deadline = (int64_t)(ut_now_ns() + (uint64_t)(timeout * 1e9));
	while (r->live) {
		Py_BEGIN_ALLOW_THREADS
		n = ut_ring_reap(r, r->stage_cap, deadline, false);
		Py_END_ALLOW_THREADS
		if (n == -EINTR)
			continue;
		if (n <= 0)
			break;
		for (int i = 0; i < n; i++)
			ut_ring_process(r, &r->stage[i], &broke);
	}
	if (r->live) {
		/* PyErr_WarnFormat() knows no %g */
		char *secs = PyOS_double_to_string(timeout, 'g', 3, 0, NULL);

		/* the slots table goes; the ops themselves are kept forever */
		for (uint32_t i = 0; i < r->nslots; i++)
			r->slots[i] = NULL;
		if (!secs || PyErr_WarnFormat(PyExc_ResourceWarning, 1,
					      "uring.Ring.close(): %u operation(s) still "
					      "held by the kernel after %ss; their buffers "
					      "stay pinned", r->live, secs) < 0)
			PyErr_WriteUnraisable((PyObject *)r);
		PyMem_Free(secs);
		r->live = 0;
	}
	Py_BEGIN_ALLOW_THREADS
	io_uring_queue_exit(&r->ring);
	Py_END_ALLOW_THREADS
	r->initialized = false;
	r->closed = true;
	if (r->ready)
		PyList_SetSlice(r->ready, 0, PyList_GET_SIZE(r->ready), NULL);
	r->ready_head = 0;
	ut_wait_unlock(r);
	return 0;
}
