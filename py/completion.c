// SPDX-License-Identifier: MIT
/* uring.Completion: one operation's handle, and what a wait delivers. */
#include "uring_py.h"

#include <structmember.h>

const char *const ut_kind_names[UT_K_COUNT] = {
	[UT_K_NOP] = "NOP",
	[UT_K_RECV] = "RECV",
	[UT_K_RECV_MULTISHOT] = "RECV_MULTISHOT",
	[UT_K_SEND] = "SEND",
	[UT_K_SEND_ZC] = "SEND_ZC",
	[UT_K_RECVMSG] = "RECVMSG",
	[UT_K_SENDTO] = "SENDTO",
	[UT_K_SENDMSG] = "SENDMSG",
	[UT_K_SENDMSG_ZC] = "SENDMSG_ZC",
	[UT_K_ACCEPT] = "ACCEPT",
	[UT_K_ACCEPT_MULTISHOT] = "ACCEPT_MULTISHOT",
	[UT_K_CONNECT] = "CONNECT",
	[UT_K_CANCEL] = "CANCEL",
	[UT_K_SHUTDOWN] = "SHUTDOWN",
	[UT_K_CLOSE] = "CLOSE",
	[UT_K_SOCKET] = "SOCKET",
	[UT_K_OPENAT] = "OPENAT",
	[UT_K_READ] = "READ",
	[UT_K_WRITE] = "WRITE",
};

ut_completion *ut_completion_new(PyTypeObject *tp, int kind,
				 PyObject *user_data)
{
	ut_completion *c = PyObject_GC_New(ut_completion, tp);

	if (!c)
		return NULL;
	c->user_data = Py_NewRef(user_data ? user_data : Py_None);
	c->result = Py_NewRef(Py_None);
	c->kind = kind;
	c->res = 0;
	c->flags = 0;
	c->sequence = 0;
	c->done = false;
	c->released = false;
	c->zc_copied = -1;
	c->ring_id = 0;
	c->key = 0;
	PyObject_GC_Track(c);
	return c;
}

static int comp_traverse(ut_completion *c, visitproc visit, void *arg)
{
	Py_VISIT(Py_TYPE(c));
	Py_VISIT(c->user_data);
	Py_VISIT(c->result);
	return 0;
}

static int comp_clear(ut_completion *c)
{
	Py_CLEAR(c->user_data);
	Py_CLEAR(c->result);
	return 0;
}

static void comp_dealloc(ut_completion *c)
{
	PyTypeObject *tp = Py_TYPE(c);

	PyObject_GC_UnTrack(c);
	comp_clear(c);
	tp->tp_free(c);
	Py_DECREF(tp);
}

static PyObject *comp_get_res(ut_completion *c, void *closure)
{
	if (!c->done)
		Py_RETURN_NONE;
	return PyLong_FromLong(c->res);
}

static PyObject *comp_get_kind_name(ut_completion *c, void *closure)
{
	return PyUnicode_FromString(ut_kind_names[c->kind]);
}

static PyObject *comp_get_zc_copied(ut_completion *c, void *closure)
{
	if (c->zc_copied < 0)
		Py_RETURN_NONE;
	return PyBool_FromLong(c->zc_copied);
}

static PyObject *comp_get_more(ut_completion *c, void *closure)
{
	return PyBool_FromLong(c->flags & IORING_CQE_F_MORE);
}

static PyGetSetDef comp_getset[] = {
	{ "res", (getter)comp_get_res, NULL,
	  "the CQE's res (negative errno on failure); None while pending" },
	{ "kind_name", (getter)comp_get_kind_name, NULL, "the kind as a name: 'RECV'" },
	{ "zc_copied", (getter)comp_get_zc_copied, NULL,
	  "send_zc with IORING_SEND_ZC_REPORT_USAGE: whether the kernel copied; else None" },
	{ "more", (getter)comp_get_more, NULL, "IORING_CQE_F_MORE: more CQEs follow" },
	{ NULL },
};

/* the plain fields, read as they are stored */
_Static_assert(sizeof(bool) == sizeof(char) &&
	       sizeof(uint32_t) == sizeof(unsigned int) &&
	       sizeof(uint64_t) == sizeof(unsigned long long),
	       "T_BOOL, T_UINT and T_ULONGLONG must match the fields' types");
#define RO(name, type, doc) \
	{ #name, type, offsetof(ut_completion, name), READONLY, doc }
static PyMemberDef comp_members[] = {
	RO(user_data, T_OBJECT, "the object passed at submit"),
	RO(result, T_OBJECT,
	   "payload: byte count, fd, received bytes ...; None when res < 0"),
	RO(flags, T_UINT, "the CQE's flags (IORING_CQE_F_*)"),
	RO(kind, T_INT, "COMPLETION_KIND_* of the operation"),
	RO(sequence, T_ULONGLONG, "multishot: position of this CQE, from 0; else 0"),
	RO(done, T_BOOL, "the CQE has arrived"),
	RO(released, T_BOOL, "the kernel no longer uses the operation's buffers"),
	{ NULL },
};
#undef RO

static PyObject *comp_repr(ut_completion *c)
{
	if (!c->done)
		return PyUnicode_FromFormat("<uring.Completion %s pending user_data=%R>",
					    ut_kind_names[c->kind], c->user_data);
	return PyUnicode_FromFormat("<uring.Completion %s res=%d flags=0x%x seq=%llu "
				    "user_data=%R>", ut_kind_names[c->kind], c->res,
				    (unsigned int)c->flags,
				    (unsigned long long)c->sequence, c->user_data);
}

static PyObject *comp_new(PyTypeObject *tp, PyObject *a, PyObject *k)
{
	PyErr_SetString(PyExc_TypeError,
			"Completion objects come from Ring.submit_*() and Ring.wait()");
	return NULL;
}

static PyType_Slot comp_slots[] = {
	{ Py_tp_doc, "The completion of one io_uring operation.\n\n"
		"Returned by every Ring.submit_*() (pending: done is False, res None)\n"
		"and filled in when its CQE arrives; Ring.wait() returns it then.\n"
		"Multishot operations deliver a new Completion per CQE." },
	{ Py_tp_new, comp_new },
	{ Py_tp_dealloc, comp_dealloc },
	{ Py_tp_traverse, comp_traverse },
	{ Py_tp_clear, comp_clear },
	{ Py_tp_getset, comp_getset },
	{ Py_tp_members, comp_members },
	{ Py_tp_repr, comp_repr },
	{ 0, NULL },
};

PyType_Spec ut_completion_spec = {
	.name = "uring.Completion",
	.basicsize = sizeof(ut_completion),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_IMMUTABLETYPE,
	.slots = comp_slots,
};
