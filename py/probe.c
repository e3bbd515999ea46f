// SPDX-License-Identifier: MIT
/* probe(), is_available(), probe_report(): the core's probe as Python data. */
#include "uring_py.h"

#include "probe.h"

#include <json-c/json.h>

/*
 * json-c tree -> Python objects, generically: probe_report() and bench()
 * return exactly the keys the CLI's --json prints, by construction.
 */
PyObject *ut_json_to_py(struct json_object *j)
{
	PyObject *o, *v;

	switch (json_object_get_type(j)) {
	case json_type_null:
		Py_RETURN_NONE;
	case json_type_boolean:
		return PyBool_FromLong(json_object_get_boolean(j));
	case json_type_double:
		return PyFloat_FromDouble(json_object_get_double(j));
	case json_type_int:
		if (json_object_get_int64(j) == INT64_MAX)
			return PyLong_FromUnsignedLongLong(json_object_get_uint64(j));
		return PyLong_FromLongLong(json_object_get_int64(j));
	case json_type_string:
		return PyUnicode_FromStringAndSize(json_object_get_string(j),
						   json_object_get_string_len(j));
	case json_type_array:
		o = PyList_New((Py_ssize_t)json_object_array_length(j));
		if (!o)
			return NULL;
		for (size_t i = 0; i < json_object_array_length(j); i++) {
			v = ut_json_to_py(json_object_array_get_idx(j, i));
			if (!v) {
				Py_DECREF(o);
				return NULL;
			}
			PyList_SET_ITEM(o, (Py_ssize_t)i, v);
		}
		return o;
	case json_type_object:
		o = PyDict_New();
		if (!o)
			return NULL;
		json_object_object_foreach(j, key, val) {
			v = ut_json_to_py(val);
			if (!v || PyDict_SetItemString(o, key, v) < 0) {
				Py_XDECREF(v);
				Py_DECREF(o);
				return NULL;
			}
			Py_DECREF(v);
		}
		return o;
	}
	PyErr_SetString(PyExc_RuntimeError, "unexpected JSON type");
	return NULL;
}

static int set_bool(PyObject *d, const char *k, bool v)
{
	return PyDict_SetItemString(d, k, v ? Py_True : Py_False);
}

static PyObject *py_probe(PyObject *m, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "entries", "flags", NULL };
	struct ut_behaviour beh[3] = { 0 };
	static const int ids[3] = { UT_BEH_ACCEPT_MULTISHOT,
				    UT_BEH_RECV_MULTISHOT, UT_BEH_SEND_ZC };
	struct ut_int_arg entries = UT_ARG_U32("entries", 2);
	struct ut_int_arg flags = UT_ARG_U32("flags", 0);
	struct io_uring ring;
	struct io_uring_probe *pr;
	bool sendmsg_zc = false;
	PyObject *d;
	int ret;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|O&O&:probe", kwlist,
					 ut_int_conv, &entries, ut_int_conv, &flags))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	ret = io_uring_queue_init((unsigned int)entries.v, &ring,
				  (unsigned int)flags.v);
	if (!ret) {
		pr = io_uring_get_probe_ring(&ring);
		if (pr) {
			sendmsg_zc = io_uring_opcode_supported(pr, IORING_OP_SENDMSG_ZC);
			io_uring_free_probe(pr);
		}
		io_uring_queue_exit(&ring);
		for (int i = 0; i < 3; i++)
			ut_behaviour_run(ids[i], 500, false, &beh[i]);
	}
	Py_END_ALLOW_THREADS
	d = PyDict_New();
	if (!d || ret)
		return d;
	if (set_bool(d, "available", true) ||
	    set_bool(d, "IORING_ACCEPT_MULTISHOT", beh[0].status == UT_B_OK) ||
	    set_bool(d, "IORING_RECV_MULTISHOT", beh[1].status == UT_B_OK) ||
	    set_bool(d, "IORING_OP_SEND_ZC", beh[2].status == UT_B_OK) ||
	    set_bool(d, "IORING_OP_SENDMSG_ZC",
		     beh[2].status == UT_B_OK && sendmsg_zc)) {
		Py_DECREF(d);
		return NULL;
	}
	return d;
}

static PyObject *py_is_available(PyObject *m, PyObject *unused)
{
	struct io_uring ring;
	int ret;

	Py_BEGIN_ALLOW_THREADS
	ret = io_uring_queue_init(2, &ring, 0);
	if (!ret)
		io_uring_queue_exit(&ring);
	Py_END_ALLOW_THREADS
	return PyBool_FromLong(ret == 0);
}

static PyObject *py_probe_report(PyObject *m, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "entries", "flags", "behaviour", "isolate",
				  "timeout", NULL };
	struct ut_probe_opts opts = UT_PROBE_OPTS_DEFAULT;
	struct ut_probe_report *rep;
	struct json_object *doc;
	struct ut_int_arg entries = UT_ARG_U32("entries", opts.entries);
	struct ut_int_arg flags = UT_ARG_U32("flags", opts.flags);
	struct ut_secs_arg timeout = { .name = "timeout", .min = 0, .max = 60,
				       .min_open = true,
				       .v = opts.timeout_ms / 1000.0 };
	int behaviour = 1, isolate = 1, ret;
	PyObject *o;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|O&O&ppO&:probe_report", kwlist,
					 ut_int_conv, &entries, ut_int_conv, &flags,
					 &behaviour, &isolate, ut_secs_conv, &timeout))
		return NULL;
	opts.entries = (unsigned int)entries.v;
	opts.flags = (uint32_t)flags.v;
	opts.behaviour = behaviour;
	opts.isolate = isolate;
	opts.timeout_ms = (unsigned int)(timeout.v * 1000 + 0.5);
	if (!opts.timeout_ms)
		opts.timeout_ms = 1;
	rep = PyMem_RawCalloc(1, sizeof(*rep));
	if (!rep)
		return PyErr_NoMemory();
	Py_BEGIN_ALLOW_THREADS
	ret = ut_probe_run(&opts, rep);
	Py_END_ALLOW_THREADS
	if (ret < 0) {
		PyMem_RawFree(rep);
		ut_errno_set(-ret);
		return NULL;
	}
	doc = ut_probe_to_json(rep);
	PyMem_RawFree(rep);
	if (!doc)
		return PyErr_NoMemory();
	o = ut_json_to_py(doc);
	json_object_put(doc);
	return o;
}

PyMethodDef ut_probe_methods[] = {
	{ "probe", (PyCFunction)(void (*)(void))py_probe, METH_VARARGS | METH_KEYWORDS,
	  "probe(entries=2, flags=0) -> dict\n\n"
	  "{} when no ring with these setup flags can be created here, else\n"
	  "{'available': True, 'IORING_ACCEPT_MULTISHOT': bool,\n"
	  "'IORING_RECV_MULTISHOT': bool, 'IORING_OP_SEND_ZC': bool,\n"
	  "'IORING_OP_SENDMSG_ZC': bool}, each found by running the operation." },
	{ "is_available", py_is_available, METH_NOARGS,
	  "is_available() -> bool: whether this process can create a ring." },
	{ "probe_report", (PyCFunction)(void (*)(void))py_probe_report,
	  METH_VARARGS | METH_KEYWORDS,
	  "probe_report(entries=8, flags=0, behaviour=True, isolate=True, timeout=1.0) -> dict\n\n"
	  "The full report of `uring-tool probe --json`, same keys and values." },
	{ NULL },
};
