// SPDX-License-Identifier: MIT
/*
 * The `uring` module: multi-phase init (PEP 489) with module state and no
 * C globals holding Python objects. The same source is built into
 * uring-tool (registered with PyImport_AppendInittab) and as uring*.so.
 */
#include "uring_py.h"

#include <errno.h>
#include <string.h>

int ut_errno_set(int err)
{
	errno = err;
	PyErr_SetFromErrno(PyExc_OSError);
	return -1;
}

/* None -> -1 (forever); a number >= 0 -> seconds; else ValueError/TypeError */
double ut_timeout_arg(PyObject *o, bool *err)
{
	double t;

	*err = false;
	if (!o || o == Py_None)
		return -1;
	t = PyFloat_AsDouble(o);
	if (t == -1 && PyErr_Occurred()) {
		*err = true;
		return 0;
	}
	if (!(t >= 0) || t > 1e9) {
		PyErr_SetString(PyExc_ValueError,
				"timeout must be None or a number of seconds >= 0");
		*err = true;
		return 0;
	}
	return t;
}

static int uring_exec(PyObject *m)
{
	struct ut_py_state *st = PyModule_GetState(m);
	PyObject *bases;

	st->completion_type = (PyTypeObject *)PyType_FromModuleAndSpec(m,
						&ut_completion_spec, NULL);
	if (!st->completion_type ||
	    PyModule_AddType(m, st->completion_type) < 0)
		return -1;
	st->ring_type = (PyTypeObject *)PyType_FromModuleAndSpec(m, &ut_ring_spec,
								 NULL);
	if (!st->ring_type || PyModule_AddType(m, st->ring_type) < 0)
		return -1;
	bases = PyTuple_Pack(1, PyExc_RuntimeError);
	if (!bases)
		return -1;
	st->sq_full = PyErr_NewExceptionWithDoc("uring.SubmissionQueueFull",
		"No submission entry is free even after flushing, or as many\n"
		"operations are in flight as the completion queue holds.\n"
		"Backpressure, not a failure: wait for completions and retry.",
		bases, NULL);
	Py_DECREF(bases);
	if (!st->sq_full || PyModule_AddObjectRef(m, "SubmissionQueueFull",
						  st->sq_full) < 0)
		return -1;
	if (ut_constants_add(m) < 0)
		return -1;
	if (PyModule_AddStringConstant(m, "__version__", UT_VERSION) < 0)
		return -1;
	if (PyModule_AddStringConstant(m, "LIBURING_VERSION",
				       UT_LIBURING_BUILD_VERSION) < 0)
		return -1;
	return 0;
}

static int uring_traverse(PyObject *m, visitproc visit, void *arg)
{
	struct ut_py_state *st = PyModule_GetState(m);

	if (st) {
		Py_VISIT(st->ring_type);
		Py_VISIT(st->completion_type);
		Py_VISIT(st->sq_full);
	}
	return 0;
}

static int uring_clear(PyObject *m)
{
	struct ut_py_state *st = PyModule_GetState(m);

	if (st) {
		Py_CLEAR(st->ring_type);
		Py_CLEAR(st->completion_type);
		Py_CLEAR(st->sq_full);
	}
	return 0;
}

static void uring_free(void *m)
{
	uring_clear((PyObject *)m);
}

static PyModuleDef_Slot uring_slots[] = {
	{ Py_mod_exec, uring_exec },
#ifdef Py_mod_multiple_interpreters
	{ Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED },
#endif
#ifdef Py_mod_gil
	{ Py_mod_gil, Py_MOD_GIL_USED },
#endif
	{ 0, NULL },
};

PyMODINIT_FUNC PyInit_uring(void);

static PyMethodDef uring_methods[64];

PyModuleDef ut_py_moduledef = {
	PyModuleDef_HEAD_INIT,
	.m_name = "uring",
	.m_doc = "io_uring from Python, over the same core as uring-tool.\n\n"
		 "    with uring.Ring() as ring:\n"
		 "        c = ring.submit_nop(user_data='hi')\n"
		 "        assert ring.wait(1.0) is c\n\n"
		 "See uring(3) for every class, method and constant.",
	.m_size = sizeof(struct ut_py_state),
	.m_methods = uring_methods,
	.m_slots = uring_slots,
	.m_traverse = uring_traverse,
	.m_clear = uring_clear,
	.m_free = uring_free,
};

static void add_methods(PyMethodDef *defs, size_t *n)
{
	for (; defs->ml_name; defs++)
		if (*n + 1 < sizeof(uring_methods) / sizeof(uring_methods[0]))
			uring_methods[(*n)++] = *defs;
}

PyMODINIT_FUNC PyInit_uring(void)
{
	size_t n = 0;

	if (!uring_methods[0].ml_name) {
		add_methods(ut_probe_methods, &n);
		add_methods(ut_bench_methods, &n);
	}
	ut_ring_methods_init();
	return PyModuleDef_Init(&ut_py_moduledef);
}
