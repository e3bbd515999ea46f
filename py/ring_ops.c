// SPDX-License-Identifier: MIT
/*
 * submit_*: socket set-up operations, multishot, cancel, and the
 * conversions between Python addresses and struct sockaddr.
 */
#include "uring_py.h"

#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/un.h>
#include <unistd.h>

#define KW (METH_VARARGS | METH_KEYWORDS)
#define FN(f) (PyCFunction)(void (*)(void))(f)

static int resolve(int family, const char *host, void *out)
{
	struct addrinfo hints, *res = NULL;
	int ret;

	if (!*host) {
		/* "" is the wildcard address, as in the socket module */
		memset(out, 0, family == AF_INET ? 4 : 16);
		return 0;
	}
	if (inet_pton(family, host, out) == 1)
		return 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	Py_BEGIN_ALLOW_THREADS
	ret = getaddrinfo(host, NULL, &hints, &res);
	Py_END_ALLOW_THREADS
	if (ret || !res) {
		PyErr_Format(PyExc_OSError, "cannot resolve '%s': %s", host,
			     gai_strerror(ret));
		return -1;
	}
	if (family == AF_INET)
		memcpy(out, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
	else
		memcpy(out, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
	freeaddrinfo(res);
	return 0;
}

/* The address forms of the socket module, for fd's address family. */
int ut_sockaddr_from(int fd, PyObject *addr, struct sockaddr_storage *ss,
		     socklen_t *len)
{
	socklen_t sl = sizeof(int);
	struct ut_int_arg port = UT_ARG("port", 0, 65535, 0);
	int family;
	const char *host;

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &sl) < 0)
		return ut_errno_set(errno);
	memset(ss, 0, sizeof(*ss));
	switch (family) {
	case AF_UNIX: {
		struct sockaddr_un *sun = (struct sockaddr_un *)ss;
		PyObject *b = NULL;
		Py_ssize_t n;
		bool abstract;

		/* bytes as they are (abstract names start with NUL), str encoded */
		if (PyBytes_Check(addr) || PyByteArray_Check(addr))
			b = PyBytes_FromObject(addr);
		else if (!PyUnicode_FSConverter(addr, &b))
			return -1;
		if (!b)
			return -1;
		n = PyBytes_GET_SIZE(b);
		abstract = n > 0 && PyBytes_AS_STRING(b)[0] == '\0';
		if (n + !abstract > (Py_ssize_t)sizeof(sun->sun_path)) {
			Py_DECREF(b);
			PyErr_SetString(PyExc_OSError, "AF_UNIX path too long");
			return -1;
		}
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, PyBytes_AS_STRING(b), (size_t)n);
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + !abstract);
		Py_DECREF(b);
		return 0;
	}
	case AF_INET: {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		if (!PyTuple_Check(addr)) {
			PyErr_Format(PyExc_TypeError, "AF_INET address must be a tuple "
				     "(host, port), not %.100s", Py_TYPE(addr)->tp_name);
			return -1;
		}
		if (!PyArg_ParseTuple(addr, "sO&;AF_INET address must be (host, port)",
				      &host, ut_int_conv, &port))
			return -1;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port.v);
		if (resolve(AF_INET, host, &sin->sin_addr) < 0)
			return -1;
		*len = sizeof(*sin);
		return 0;
	}
	case AF_INET6: {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		struct ut_int_arg flowinfo = UT_ARG_U32("flowinfo", 0);
		struct ut_int_arg scope = UT_ARG_U32("scope_id", 0);

		if (!PyTuple_Check(addr)) {
			PyErr_Format(PyExc_TypeError, "AF_INET6 address must be a tuple "
				     "(host, port[, flowinfo[, scope_id]]), not %.100s",
				     Py_TYPE(addr)->tp_name);
			return -1;
		}
		if (!PyArg_ParseTuple(addr, "sO&|O&O&;AF_INET6 address must be "
				      "(host, port[, flowinfo[, scope_id]])",
				      &host, ut_int_conv, &port, ut_int_conv, &flowinfo,
				      ut_int_conv, &scope))
			return -1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port.v);
		sin6->sin6_flowinfo = htonl((uint32_t)flowinfo.v);
		sin6->sin6_scope_id = (uint32_t)scope.v;
		if (resolve(AF_INET6, host, &sin6->sin6_addr) < 0)
			return -1;
		*len = sizeof(*sin6);
		return 0;
	}
	}
	return ut_errno_set(EAFNOSUPPORT);
}

PyObject *ut_sockaddr_to(const struct sockaddr *sa, socklen_t len)
{
	char buf[INET6_ADDRSTRLEN];

	if (len < sizeof(sa_family_t))
		Py_RETURN_NONE;
	switch (sa->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *sin = (const void *)sa;

		inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
		return Py_BuildValue("(si)", buf, ntohs(sin->sin_port));
	}
	case AF_INET6: {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
		return Py_BuildValue("(siII)", buf, ntohs(sin6->sin6_port),
				     ntohl(sin6->sin6_flowinfo), sin6->sin6_scope_id);
	}
	case AF_UNIX: {
		const struct sockaddr_un *sun = (const void *)sa;
		size_t n = len - offsetof(struct sockaddr_un, sun_path);

		if (len <= offsetof(struct sockaddr_un, sun_path))
			Py_RETURN_NONE;
		if (sun->sun_path[0] == '\0')
			return PyBytes_FromStringAndSize(sun->sun_path, (Py_ssize_t)n);
		return PyUnicode_DecodeFSDefaultAndSize(sun->sun_path,
						       (Py_ssize_t)strnlen(sun->sun_path, n));
	}
	}
	Py_RETURN_NONE;
}

static PyObject *s_recv_multishot(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "fd", "buffer_size", "buffer_count", "user_data",
				  "flags", NULL };
	PyObject *fdo, *ud = Py_None;
	struct ut_int_arg size = UT_ARG_RANGE("buffer_size", 1, 16 << 20, 0);
	struct ut_int_arg count = UT_ARG_RANGE("buffer_count", 1, 32768, 0);
	struct ut_int_arg flags = UT_ARG_U32("flags", 0);
	int fd, ret;
	struct io_uring_buf_reg reg;
	struct io_uring_sqe *sqe;
	struct ut_op *op;
	long page = sysconf(_SC_PAGESIZE);
	void *br;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "OO&O&|OO&:submit_recv_multishot",
					 kwlist, &fdo, ut_int_conv, &size, ut_int_conv,
					 &count, &ud, ut_int_conv, &flags))
		return NULL;
	if (count.v & (count.v - 1)) {
		PyErr_SetString(PyExc_ValueError,
				"buffer_count must be a power of two from 1 to 32768");
		return NULL;
	}
	if ((uint64_t)size.v * (uint64_t)count.v > (1ull << 30)) {
		PyErr_SetString(PyExc_ValueError,
				"buffer_size * buffer_count must be at most 1 GiB");
		return NULL;
	}
	if (!(op = ut_fd_op(r, UT_K_RECV_MULTISHOT, 0, ud, fdo, &fd)))
		return NULL;
	op->bsize = (unsigned int)size.v;
	op->bcount = (unsigned int)count.v;
	op->bufs_bytes = (size_t)op->bsize * op->bcount;
	op->bufs = ut_map_kernel(op->bufs_bytes);
	if (!op->bufs) {
		errno = ENOMEM;
		goto fail_errno;
	}
	op->br_bytes = ((size_t)op->bcount * sizeof(struct io_uring_buf) + (size_t)page - 1) &
		~((size_t)page - 1);
	br = ut_map_kernel(op->br_bytes);
	if (!br) {
		errno = ENOMEM;
		goto fail_errno;
	}
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (uint64_t)(uintptr_t)br;
	reg.ring_entries = op->bcount;
	reg.bgid = (uint16_t)op->slot;
	ret = io_uring_register_buf_ring(&r->ring, &reg, 0);
	if (ret < 0) {
		munmap(br, op->br_bytes);
		ut_op_discard(r, op);
		ut_errno_set(-ret);
		return NULL;
	}
	op->br = br;
	io_uring_buf_ring_init(op->br);
	for (unsigned int i = 0; i < op->bcount; i++)
		io_uring_buf_ring_add(op->br, op->bufs + (size_t)i * op->bsize, op->bsize,
				      (unsigned short)i,
				      io_uring_buf_ring_mask(op->bcount), (int)i);
	io_uring_buf_ring_advance(op->br, (int)op->bcount);
	if (!(sqe = ut_ring_sqe_for(r, op)))
		return NULL;
	io_uring_prep_recv_multishot(sqe, fd, NULL, 0, (int)flags.v);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = (uint16_t)op->slot;
	return ut_ring_commit(r, sqe, op);
fail_errno:
	ret = errno;
	ut_op_discard(r, op);
	ut_errno_set(ret);
	return NULL;
}

static PyObject *accept_common(ut_ring *r, PyObject *args, PyObject *kw, int kind)
{
	static char *kwlist[] = { "fd", "user_data", "flags", NULL };
	PyObject *fdo, *ud = Py_None;
	struct io_uring_sqe *sqe;
	struct ut_op *op;
	struct ut_int_arg flags = UT_ARG_U32("flags", 0);
	int fd;

	if (!PyArg_ParseTupleAndKeywords(args, kw, kind == UT_K_ACCEPT ?
					 "O|OO&:submit_accept" :
					 "O|OO&:submit_accept_multishot", kwlist,
					 &fdo, &ud, ut_int_conv, &flags))
		return NULL;
	if (!(op = ut_fd_op(r, kind, 0, ud, fdo, &fd)) ||
	    !(sqe = ut_ring_sqe_for(r, op)))
		return NULL;
	if (kind == UT_K_ACCEPT)
		io_uring_prep_accept(sqe, fd, NULL, NULL, (int)flags.v);
	else
		io_uring_prep_multishot_accept(sqe, fd, NULL, NULL, (int)flags.v);
	return ut_ring_commit(r, sqe, op);
}

static PyObject *s_accept(ut_ring *r, PyObject *a, PyObject *k)
{
	return accept_common(r, a, k, UT_K_ACCEPT);
}

static PyObject *s_accept_multishot(ut_ring *r, PyObject *a, PyObject *k)
{
	return accept_common(r, a, k, UT_K_ACCEPT_MULTISHOT);
}

static PyObject *s_connect(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "fd", "address", "user_data", NULL };
	PyObject *fdo, *addr, *ud = Py_None;
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct io_uring_sqe *sqe;
	struct ut_op *op;
	int fd;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "OO|O:submit_connect", kwlist,
					 &fdo, &addr, &ud))
		return NULL;
	/* the address first: converting it can run Python code */
	if (ut_fd_from(fdo, &fd) < 0 || ut_sockaddr_from(fd, addr, &ss, &sslen) < 0 ||
	    !(op = ut_op_new_fd(r, UT_K_CONNECT, 0, ud, fdo)))
		return NULL;
	memcpy(&op->addr, &ss, sslen);
	op->addrlen = sslen;
	if (!(sqe = ut_ring_sqe_for(r, op)))
		return NULL;
	io_uring_prep_connect(sqe, fd, (struct sockaddr *)&op->addr, op->addrlen);
	return ut_ring_commit(r, sqe, op);
}

static PyObject *s_shutdown(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "fd", "how", "user_data", NULL };
	PyObject *fdo, *ud = Py_None;
	struct io_uring_sqe *sqe;
	struct ut_op *op;
	/* SHUT_RD, SHUT_WR or SHUT_RDWR */
	struct ut_int_arg how = UT_ARG_RANGE("how", SHUT_RD, SHUT_RDWR, 0);
	int fd;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "OO&|O:submit_shutdown", kwlist,
					 &fdo, ut_int_conv, &how, &ud))
		return NULL;
	if (!(op = ut_fd_op(r, UT_K_SHUTDOWN, 0, ud, fdo, &fd)) ||
	    !(sqe = ut_ring_sqe_for(r, op)))
		return NULL;
	io_uring_prep_shutdown(sqe, fd, (int)how.v);
	return ut_ring_commit(r, sqe, op);
}

static PyObject *s_socket(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "domain", "type", "protocol", "flags", "user_data",
				  NULL };
	PyObject *ud = Py_None;
	struct io_uring_sqe *sqe;
	struct ut_op *op;
	struct ut_int_arg domain = UT_ARG("domain", 0, INT_MAX, 0);
	struct ut_int_arg type = UT_ARG("type", 0, INT_MAX, 0);
	struct ut_int_arg protocol = UT_ARG("protocol", 0, INT_MAX, 0);
	struct ut_int_arg flags = UT_ARG_U32("flags", 0);

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O&O&|O&O&O:submit_socket", kwlist,
					 ut_int_conv, &domain, ut_int_conv, &type,
					 ut_int_conv, &protocol, ut_int_conv, &flags, &ud))
		return NULL;
	if (!(op = ut_op_new(r, UT_K_SOCKET, 0, ud)) ||
	    !(sqe = ut_ring_sqe_for(r, op)))
		return NULL;
	/* close-on-exec, as the socket module makes its sockets */
	io_uring_prep_socket(sqe, (int)domain.v, (int)type.v | SOCK_CLOEXEC,
			     (int)protocol.v, (unsigned int)flags.v);
	return ut_ring_commit(r, sqe, op);
}

static PyObject *s_cancel(ut_ring *r, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "completion", "user_data", NULL };
	PyObject *target, *ud = Py_None;
	struct io_uring_sqe *sqe;
	ut_completion *t;
	struct ut_op *op;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|O:submit_cancel", kwlist,
					 &target, &ud))
		return NULL;
	if (ut_ring_check_open(r) < 0)
		return NULL;
	if (!PyObject_TypeCheck(target, r->ctype)) {
		PyErr_Format(PyExc_TypeError, "submit_cancel() takes a Completion, not "
			     "'%.100s'", Py_TYPE(target)->tp_name);
		return NULL;
	}
	t = (ut_completion *)target;
	if (t->ring_id != r->ring_id) {
		PyErr_SetString(PyExc_ValueError, "the completion belongs to another ring");
		return NULL;
	}
	/* keys are never reused: a finished target just gives -ENOENT */
	if (!(op = ut_op_new(r, UT_K_CANCEL, 0, ud)) ||
	    !(sqe = ut_ring_sqe_for(r, op)))
		return NULL;
	io_uring_prep_cancel64(sqe, t->key, 0);
	return ut_ring_commit(r, sqe, op);
}

PyMethodDef ut_submit_more_methods[] = {
	{ "submit_recv_multishot", FN(s_recv_multishot), KW,
	  "submit_recv_multishot(fd, buffer_size, buffer_count, user_data=None, "
	  "flags=0) -> Completion\n\n"
	  "One request, a Completion per CQE (result: a new bytes; b'' at EOF;\n"
	  "sequence from 0). buffer_count: a power of two." },
	{ "submit_accept", FN(s_accept), KW,
	  "submit_accept(fd, user_data=None, flags=0) -> Completion (result: fd)" },
	{ "submit_accept_multishot", FN(s_accept_multishot), KW,
	  "submit_accept_multishot(fd, user_data=None, flags=0) -> Completion\n\n"
	  "A Completion per accepted connection (result: fd)." },
	{ "submit_connect", FN(s_connect), KW,
	  "submit_connect(fd, address, user_data=None) -> Completion" },
	{ "submit_cancel", FN(s_cancel), KW,
	  "submit_cancel(completion, user_data=None) -> Completion\n\n"
	  "Cancel the operation completion stands for; res 0, -ENOENT or -EALREADY." },
	{ "submit_shutdown", FN(s_shutdown), KW,
	  "submit_shutdown(fd, how, user_data=None) -> Completion" },
	{ "submit_socket", FN(s_socket), KW,
	  "submit_socket(domain, type, protocol=0, flags=0, user_data=None) -> "
	  "Completion (result: fd)" },
	{ NULL },
};
