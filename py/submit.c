// SPDX-License-Identifier: MIT
/*
 * submit_*: data and file operations. Each pins its buffers with
 * PyObject_GetBuffer (writable for receives) and keeps the Py_buffer in
 * the operation until the last CQE (rule 1); fd objects are kept alive
 * (rule 4). The SQE is taken last, so a failed argument never leaves a
 * half-prepared entry in the queue.
 */
#include "uring_py.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>

#define KW (METH_VARARGS | METH_KEYWORDS)
#define FN(f) (PyCFunction)(void (*)(void))(f)

/* zc_flags travel in the SQE's 16-bit ioprio */
#define UT_ARG_ZC_FLAGS	UT_ARG("zc_flags", 0, UINT16_MAX, 0)

/*
 * An int; or an object with fileno(), whose result is checked the same
 * way (a negative or too large one names the argument too).
 */
int ut_fd_from(PyObject *o, int *fd)
{
	struct ut_int_arg a = UT_ARG_FD("fd");
	PyObject *meth, *res;
	int ok;

	if (PyLong_Check(o)) {
		if (!ut_int_conv(o, &a))
			return -1;
		*fd = (int)a.v;
		return 0;
	}
	meth = PyObject_GetAttrString(o, "fileno");
	if (!meth) {
		if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
			PyErr_Clear();
			PyErr_Format(PyExc_TypeError, "fd must be an int or have a "
				     "fileno() method, not '%.100s'",
				     Py_TYPE(o)->tp_name);
		}
		return -1;
	}
	res = PyObject_CallNoArgs(meth);
	Py_DECREF(meth);
	if (!res)
		return -1;
	if (!PyLong_Check(res)) {
		PyErr_Format(PyExc_TypeError, "fd: fileno() returned '%.100s', not "
			     "an int", Py_TYPE(res)->tp_name);
		Py_DECREF(res);
		return -1;
	}
	ok = ut_int_conv(res, &a);
	Py_DECREF(res);
	if (!ok)
		return -1;
	*fd = (int)a.v;
	return 0;
}

static int pin(struct ut_op *op, PyObject *obj, bool writable, const char *what)
{
	Py_buffer *v = &op->views[op->nviews];

	if (PyObject_GetBuffer(obj, v, writable ? PyBUF_WRITABLE : PyBUF_SIMPLE) < 0) {
		if (PyErr_ExceptionMatches(PyExc_BufferError) ||
		    PyErr_ExceptionMatches(PyExc_TypeError)) {
			PyErr_Clear();
			PyErr_Format(PyExc_TypeError, "%s must be a %scontiguous "
				     "bytes-like object, not '%.100s'", what,
				     writable ? "writable " : "", Py_TYPE(obj)->tp_name);
		}
		return -1;
	}
	if (v->len > INT_MAX) {
		PyBuffer_Release(v);
		PyErr_Format(PyExc_ValueError, "%s is too large (at most %d bytes "
			     "per operation)", what, INT_MAX);
		return -1;
	}
	op->iov[op->nviews].iov_base = v->buf;
	op->iov[op->nviews].iov_len = (size_t)v->len;
	op->nviews++;
	return 0;
}

struct ut_op *ut_op_new_fd(ut_ring *r, int kind, int nviews, PyObject *ud,
			   PyObject *fdo)
{
	struct ut_op *op = ut_op_new(r, kind, nviews, ud);

	if (op && !PyLong_Check(fdo))
		op->fdobj = Py_NewRef(fdo);
	return op;
}

struct ut_op *ut_fd_op(ut_ring *r, int kind, int nviews, PyObject *ud,
		       PyObject *fdo, int *fd)
{
	if (ut_fd_from(fdo, fd) < 0)
		return NULL;
	return ut_op_new_fd(r, kind, nviews, ud, fdo);
}

static PyObject *s_nop(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "user_data", NULL };
	PyObject *ud = Py_None;
	struct io_uring_sqe *sqe;
	struct ut_op *op;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|O:submit_nop", kwlist, &ud))
		return NULL;
	if (!(op = ut_op_new(r, UT_K_NOP, 0, ud)) ||
	    !(sqe = ut_ring_sqe_for(r, op)))
		return NULL;
	io_uring_prep_nop(sqe);
	return ut_ring_commit(r, sqe, op);
}

/* recv, send, send_zc: fd, one buffer, user_data, flags[, zc_flags] */
static PyObject *buf_op(ut_ring *r, PyObject *args, PyObject *kw, int kind,
			const char *fmt)
{
	static char *kw_zc[] = { "fd", "data", "user_data", "flags", "zc_flags", NULL };
	static char *kw_send[] = { "fd", "data", "user_data", "flags", NULL };
	static char *kw_recv[] = { "fd", "buf", "user_data", "flags", NULL };
	char **kwlist = kind == UT_K_RECV ? kw_recv : kind == UT_K_SEND ? kw_send : kw_zc;
	PyObject *fdo, *buf, *ud = Py_None;
	struct ut_int_arg flags = UT_ARG_U32("flags", 0);
	struct ut_int_arg zc_flags = UT_ARG_ZC_FLAGS;
	int fd;
	struct io_uring_sqe *sqe;
	struct ut_op *op;
	bool writable = kind == UT_K_RECV;

	if (!PyArg_ParseTupleAndKeywords(args, kw, fmt, kwlist, &fdo, &buf, &ud,
					 ut_int_conv, &flags, ut_int_conv, &zc_flags))
		return NULL;
	if (!(op = ut_fd_op(r, kind, 1, ud, fdo, &fd)))
		return NULL;
	if (pin(op, buf, writable, writable ? "buf" : "data") < 0) {
		ut_op_discard(r, op);
		return NULL;
	}
	if (!(sqe = ut_ring_sqe_for(r, op)))
		return NULL;
	switch (kind) {
	case UT_K_RECV:
		io_uring_prep_recv(sqe, fd, op->iov[0].iov_base, op->iov[0].iov_len,
				   (int)flags.v);
		break;
	case UT_K_SEND:
		io_uring_prep_send(sqe, fd, op->iov[0].iov_base, op->iov[0].iov_len,
				   (int)flags.v);
		break;
	default:
		op->zc_flags = (unsigned int)zc_flags.v;
		io_uring_prep_send_zc(sqe, fd, op->iov[0].iov_base, op->iov[0].iov_len,
				      (int)flags.v, op->zc_flags);
		break;
	}
	return ut_ring_commit(r, sqe, op);
}

static PyObject *s_recv(ut_ring *r, PyObject *a, PyObject *k)
{
	return buf_op(r, a, k, UT_K_RECV, "OO|OO&:submit_recv");
}

static PyObject *s_send(ut_ring *r, PyObject *a, PyObject *k)
{
	return buf_op(r, a, k, UT_K_SEND, "OO|OO&:submit_send");
}

static PyObject *s_send_zc(ut_ring *r, PyObject *a, PyObject *k)
{
	return buf_op(r, a, k, UT_K_SEND_ZC, "OO|OO&O&:submit_send_zc");
}

/* recvmsg, sendto, sendmsg, sendmsg_zc: a msghdr kept in the op */
static PyObject *msg_op(ut_ring *r, int kind, PyObject *fdo, PyObject *data,
			PyObject *addr, PyObject *ud, unsigned int flags,
			unsigned int zc_flags)
{
	bool list = kind != UT_K_RECVMSG && (PyList_Check(data) || PyTuple_Check(data));
	bool named = kind != UT_K_RECVMSG && addr && addr != Py_None;
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	struct io_uring_sqe *sqe;
	struct ut_op *op;
	Py_ssize_t n;
	int fd;

	/* every conversion that can run Python code (and so close the ring or
	 * change a list of buffers) before the op exists */
	if (ut_fd_from(fdo, &fd) < 0 ||
	    (named && ut_sockaddr_from(fd, addr, &ss, &sslen) < 0))
		return NULL;
	n = list ? PySequence_Fast_GET_SIZE(data) : 1;
	if (n > 1024) {
		PyErr_SetString(PyExc_ValueError, "at most 1024 buffers per message");
		return NULL;
	}
	if (!(op = ut_op_new_fd(r, kind, (int)n, ud, fdo)))
		return NULL;
	/* a finalizer run by the GC in ut_op_new() may still change a list */
	if (list && PySequence_Fast_GET_SIZE(data) != n) {
		PyErr_SetString(PyExc_RuntimeError, "data changed size during submit");
		goto fail;
	}
	for (Py_ssize_t i = 0; i < n; i++)
		if (pin(op, list ? PySequence_Fast_GET_ITEM(data, i) : data,
			kind == UT_K_RECVMSG, kind == UT_K_RECVMSG ? "buf" : "data") < 0)
			goto fail;
	op->msg.msg_iov = op->iov;
	op->msg.msg_iovlen = (size_t)op->nviews;
	if (kind == UT_K_RECVMSG) {
		op->msg.msg_name = &op->addr;
		op->msg.msg_namelen = sizeof(op->addr);
	} else if (named) {
		memcpy(&op->addr, &ss, sslen);
		op->addrlen = sslen;
		op->msg.msg_name = &op->addr;
		op->msg.msg_namelen = op->addrlen;
	}
	if (!(sqe = ut_ring_sqe_for(r, op)))
		return NULL;
	switch (kind) {
	case UT_K_RECVMSG:
		io_uring_prep_recvmsg(sqe, fd, &op->msg, flags);
		break;
	case UT_K_SENDTO:
		io_uring_prep_send(sqe, fd, op->iov[0].iov_base, op->iov[0].iov_len,
				   (int)flags);
		io_uring_prep_send_set_addr(sqe, (struct sockaddr *)&op->addr,
					    (unsigned short)op->addrlen);
		break;
	case UT_K_SENDMSG:
		io_uring_prep_sendmsg(sqe, fd, &op->msg, flags);
		break;
	default:
		op->zc_flags = zc_flags;
		io_uring_prep_sendmsg_zc(sqe, fd, &op->msg, flags);
		sqe->ioprio |= (unsigned short)zc_flags;
		break;
	}
	return ut_ring_commit(r, sqe, op);
fail:
	ut_op_discard(r, op);
	return NULL;
}

static PyObject *s_recvmsg(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "fd", "buf", "user_data", "flags", NULL };
	PyObject *fdo, *buf, *ud = Py_None;
	struct ut_int_arg flags = UT_ARG_U32("flags", 0);

	if (!PyArg_ParseTupleAndKeywords(args, kw, "OO|OO&:submit_recvmsg", kwlist,
					 &fdo, &buf, &ud, ut_int_conv, &flags))
		return NULL;
	return msg_op(r, UT_K_RECVMSG, fdo, buf, NULL, ud, (unsigned int)flags.v, 0);
}

static PyObject *s_sendto(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "fd", "data", "address", "user_data", "flags", NULL };
	PyObject *fdo, *data, *addr, *ud = Py_None;
	struct ut_int_arg flags = UT_ARG_U32("flags", 0);

	if (!PyArg_ParseTupleAndKeywords(args, kw, "OOO|OO&:submit_sendto", kwlist,
					 &fdo, &data, &addr, &ud, ut_int_conv, &flags))
		return NULL;
	if (addr == Py_None) {
		PyErr_SetString(PyExc_TypeError, "sendto needs an address");
		return NULL;
	}
	if (PyList_Check(data) || PyTuple_Check(data)) {
		PyErr_SetString(PyExc_TypeError, "data must be a bytes-like object");
		return NULL;
	}
	return msg_op(r, UT_K_SENDTO, fdo, data, addr, ud, (unsigned int)flags.v, 0);
}

static PyObject *sendmsg_common(ut_ring *r, PyObject *args, PyObject *kw, int kind)
{
	static char *kw_zc[] = { "fd", "data", "address", "user_data", "flags",
				 "zc_flags", NULL };
	static char *kw_plain[] = { "fd", "data", "address", "user_data", "flags",
				    NULL };
	char **kwlist = kind == UT_K_SENDMSG ? kw_plain : kw_zc;
	PyObject *fdo, *data, *addr = Py_None, *ud = Py_None;
	struct ut_int_arg flags = UT_ARG_U32("flags", 0);
	struct ut_int_arg zc_flags = UT_ARG_ZC_FLAGS;

	if (!PyArg_ParseTupleAndKeywords(args, kw, kind == UT_K_SENDMSG ?
					 "OO|OOO&:submit_sendmsg" :
					 "OO|OOO&O&:submit_sendmsg_zc", kwlist, &fdo,
					 &data, &addr, &ud, ut_int_conv, &flags,
					 ut_int_conv, &zc_flags))
		return NULL;
	return msg_op(r, kind, fdo, data, addr, ud, (unsigned int)flags.v,
		      (unsigned int)zc_flags.v);
}

static PyObject *s_sendmsg(ut_ring *r, PyObject *a, PyObject *k)
{
	return sendmsg_common(r, a, k, UT_K_SENDMSG);
}

static PyObject *s_sendmsg_zc(ut_ring *r, PyObject *a, PyObject *k)
{
	return sendmsg_common(r, a, k, UT_K_SENDMSG_ZC);
}

/* read(fd, buf or length, offset=-1), write(fd, data, offset=-1): offset
 * -1 is the file position, as os.read and os.write */
static PyObject *rw_op(ut_ring *r, PyObject *args, PyObject *kw, int kind)
{
	static char *kw_read[] = { "fd", "buf", "offset", "user_data", NULL };
	static char *kw_write[] = { "fd", "data", "offset", "user_data", NULL };
	bool rd = kind == UT_K_READ;
	PyObject *fdo, *buf, *ud = Py_None, *owned = NULL;
	/* -1: the file position */
	struct ut_int_arg offset = UT_ARG_RANGE("offset", -1, LLONG_MAX, -1);
	struct io_uring_sqe *sqe;
	struct ut_op *op;
	int fd;

	if (!PyArg_ParseTupleAndKeywords(args, kw, rd ? "OO|O&O:submit_read" :
					 "OO|O&O:submit_write", rd ? kw_read : kw_write,
					 &fdo, &buf, ut_int_conv, &offset, &ud))
		return NULL;
	if (rd && PyLong_Check(buf)) {
		struct ut_int_arg len = UT_ARG_RANGE("length", 0, INT_MAX, 0);

		if (!ut_int_conv(buf, &len))
			return NULL;
		owned = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)len.v);
		if (!owned)
			return NULL;
		buf = owned;
	}
	if (!(op = ut_fd_op(r, kind, 1, ud, fdo, &fd))) {
		Py_XDECREF(owned);
		return NULL;
	}
	op->keep = owned;
	op->read_alloc = owned != NULL;
	if (pin(op, buf, rd, rd ? "buf" : "data") < 0) {
		ut_op_discard(r, op);
		return NULL;
	}
	if (!(sqe = ut_ring_sqe_for(r, op)))
		return NULL;
	if (rd)
		io_uring_prep_read(sqe, fd, op->iov[0].iov_base,
				   (unsigned int)op->iov[0].iov_len, (uint64_t)offset.v);
	else
		io_uring_prep_write(sqe, fd, op->iov[0].iov_base,
				    (unsigned int)op->iov[0].iov_len, (uint64_t)offset.v);
	return ut_ring_commit(r, sqe, op);
}

static PyObject *s_read(ut_ring *r, PyObject *a, PyObject *k)
{
	return rw_op(r, a, k, UT_K_READ);
}

static PyObject *s_write(ut_ring *r, PyObject *a, PyObject *k)
{
	return rw_op(r, a, k, UT_K_WRITE);
}

static PyObject *s_openat(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "path", "flags", "mode", "dir_fd", "user_data", NULL };
	PyObject *path = NULL, *ud = Py_None;
	struct ut_int_arg flags = UT_ARG_U32("flags", O_RDONLY);
	struct ut_int_arg mode = UT_ARG_U32("mode", 0666);
	/* AT_FDCWD or a directory fd */
	struct ut_int_arg dir_fd = UT_ARG("dir_fd", INT_MIN, INT_MAX, AT_FDCWD);
	struct io_uring_sqe *sqe;
	struct ut_op *op;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|O&O&O&O:submit_openat", kwlist,
					 PyUnicode_FSConverter, &path, ut_int_conv, &flags,
					 ut_int_conv, &mode, ut_int_conv, &dir_fd, &ud))
		return NULL;
	if (!(op = ut_op_new(r, UT_K_OPENAT, 0, ud))) {
		Py_DECREF(path);
		return NULL;
	}
	op->keep = path;	/* the kernel reads the path when it runs */
	if (!(sqe = ut_ring_sqe_for(r, op)))
		return NULL;
	io_uring_prep_openat(sqe, (int)dir_fd.v, PyBytes_AS_STRING(path),
			     (int)flags.v | O_CLOEXEC, (mode_t)mode.v);
	return ut_ring_commit(r, sqe, op);
}

static PyObject *s_close(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "fd", "user_data", NULL };
	PyObject *ud = Py_None, *fdo;
	struct io_uring_sqe *sqe;
	struct ut_op *op;
	int fd;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|O:submit_close", kwlist, &fdo, &ud))
		return NULL;
	if (!PyLong_Check(fdo)) {
		PyErr_Format(PyExc_TypeError, "submit_close() takes a raw int fd whose "
			     "owner has let go of it (socket.detach()), not '%.100s'",
			     Py_TYPE(fdo)->tp_name);
		return NULL;
	}
	if (ut_fd_from(fdo, &fd) < 0)
		return NULL;
	if (!(op = ut_op_new(r, UT_K_CLOSE, 0, ud)) ||
	    !(sqe = ut_ring_sqe_for(r, op)))
		return NULL;
	io_uring_prep_close(sqe, fd);
	return ut_ring_commit(r, sqe, op);
}

PyMethodDef ut_submit_methods[] = {
	{ "submit_nop", FN(s_nop), KW, "submit_nop(user_data=None) -> Completion" },
	{ "submit_recv", FN(s_recv), KW,
	  "submit_recv(fd, buf, user_data=None, flags=0) -> Completion\n\n"
	  "Receive into the writable buffer buf; result is the byte count." },
	{ "submit_send", FN(s_send), KW,
	  "submit_send(fd, data, user_data=None, flags=0) -> Completion" },
	{ "submit_send_zc", FN(s_send_zc), KW,
	  "submit_send_zc(fd, data, user_data=None, flags=0, zc_flags=0) -> Completion\n\n"
	  "Zero-copy send; data stays pinned until the kernel's notification\n"
	  "(Completion.released)." },
	{ "submit_recvmsg", FN(s_recvmsg), KW,
	  "submit_recvmsg(fd, buf, user_data=None, flags=0) -> Completion\n\n"
	  "result is (nbytes, address)." },
	{ "submit_sendto", FN(s_sendto), KW,
	  "submit_sendto(fd, data, address, user_data=None, flags=0) -> Completion" },
	{ "submit_sendmsg", FN(s_sendmsg), KW,
	  "submit_sendmsg(fd, data, address=None, user_data=None, flags=0) -> Completion\n\n"
	  "data: one bytes-like object or a list of them (gather)." },
	{ "submit_sendmsg_zc", FN(s_sendmsg_zc), KW,
	  "submit_sendmsg_zc(fd, data, address=None, user_data=None, flags=0, "
	  "zc_flags=0) -> Completion" },
	{ "submit_read", FN(s_read), KW,
	  "submit_read(fd, buf, offset=-1, user_data=None) -> Completion\n\n"
	  "buf: a writable buffer (result: byte count) or a length (result:\n"
	  "the bytes read). offset -1 reads at the file position." },
	{ "submit_write", FN(s_write), KW,
	  "submit_write(fd, data, offset=-1, user_data=None) -> Completion" },
	{ "submit_openat", FN(s_openat), KW,
	  "submit_openat(path, flags=os.O_RDONLY, mode=0o666, dir_fd=AT_FDCWD, "
	  "user_data=None) -> Completion\n\nresult is the new fd (O_CLOEXEC)." },
	{ "submit_close", FN(s_close), KW,
	  "submit_close(fd, user_data=None) -> Completion\n\n"
	  "fd must be a raw int nothing else owns." },
	{ NULL },
};
