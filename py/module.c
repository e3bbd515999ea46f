// SPDX-License-Identifier: MIT
/*
 * The `uring` module: multi-phase init (PEP 489) with module state and no
 * C globals holding Python objects. The same source is built into
 * uring-tool (registered with PyImport_AppendInittab) and as uring*.so.
 */
#include "uring_py.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

int ut_errno_set(int err)
{
	errno = err;
	PyErr_SetFromErrno(PyExc_OSError);
	return -1;
}

/* below: the value is under a->min (else over a->max) */
static int out_of_range(const struct ut_int_arg *a, bool below)
{
	if (below && a->neg_value_error && a->min == 0) {
		PyErr_Format(PyExc_ValueError, "%s must not be negative", a->name);
		return 0;
	}
	PyErr_Format(a->value_error ? PyExc_ValueError : PyExc_OverflowError,
		     below && a->max == LLONG_MAX ? "%s must be at least %lld" :
		     "%s must be between %lld and %lld", a->name, a->min, a->max);
	return 0;
}

int ut_int_conv(PyObject *o, void *arg)
{
	struct ut_int_arg *a = arg;
	long long v;
	int overflow;

	if (a->none_ok && o == Py_None)
		return 1;
	if (!PyIndex_Check(o)) {
		PyErr_Format(PyExc_TypeError, "%s must be an integer, not '%.100s'",
			     a->name, Py_TYPE(o)->tp_name);
		return 0;
	}
	v = PyLong_AsLongLongAndOverflow(o, &overflow);
	if (v == -1 && PyErr_Occurred())
		return 0;
	if (overflow || v < a->min || v > a->max)
		return out_of_range(a, overflow ? overflow < 0 : v < a->min);
	a->v = v;
	return 1;
}

int ut_secs_conv(PyObject *o, void *arg)
{
	struct ut_secs_arg *a = arg;
	char msg[160];
	double t;

	if (a->none_ok && o == Py_None) {
		a->v = -1;
		return 1;
	}
	t = PyFloat_AsDouble(o);
	if (t == -1 && PyErr_Occurred()) {
		if (PyErr_ExceptionMatches(PyExc_TypeError)) {
			PyErr_Clear();
			PyErr_Format(PyExc_TypeError, "%s must be %sa number of seconds, "
				     "not '%.100s'", a->name, a->none_ok ? "None or " : "",
				     Py_TYPE(o)->tp_name);
			return 0;
		}
		if (!PyErr_ExceptionMatches(PyExc_OverflowError))
			return 0;
		PyErr_Clear();	/* an int too large for a float: out of range */
	} else if (t >= a->min && t <= a->max && !(a->min_open && t == a->min)) {
		a->v = t;
		return 1;
	}
	snprintf(msg, sizeof(msg), "%s must be %sa number of seconds in %c%g, %g]",
		 a->name, a->none_ok ? "None or " : "", a->min_open ? '(' : '[',
		 a->min, a->max);
	PyErr_SetString(PyExc_ValueError, msg);
	return 0;
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
