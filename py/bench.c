// SPDX-License-Identifier: MIT
/*
 * uring.bench(name, **options): the engines of `uring-tool bench`, the dict
 * equal to its --json document. Keyword names are the CLI's long options
 * with '_' for '-'; values are str()'d (True/False -> "1"/"0").
 */
#include "uring_py.h"

#ifdef UT_HAVE_BENCH
#include "bench.h"

#include <json-c/json.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

/*
 * The stop flag of the bench() call on the main thread, the only call
 * Ctrl-C stops (as it interrupts only the main thread's Python code);
 * calls on other threads run without one. At most one call runs on the
 * main thread at a time; the flag is static rather than on that call's
 * stack because a handler already running on another thread may still
 * set it after the call returned.
 */
static volatile sig_atomic_t main_stop;

static void on_sigint(int sig)
{
	main_stop = 1;
}

/* SIGINT runs a handler (Python's, as a rule): neither ignored nor
 * the default action. *old gets the disposition. */
static bool sigint_caught(struct sigaction *old)
{
	if (sigaction(SIGINT, NULL, old) < 0)
		return false;
	return (old->sa_flags & SA_SIGINFO) ||
		(old->sa_handler != SIG_IGN && old->sa_handler != SIG_DFL);
}

static int set_option(struct ut_bench_config *c, const char *bname,
		      PyObject *k, PyObject *v)
{
	const char *why = "invalid value";
	PyObject *s = NULL;
	char key[64];
	const char *ks, *vs;
	int ret;

	if (!PyUnicode_Check(k))
		return PyErr_SetString(PyExc_TypeError, "option names must be str"), -1;
	ks = PyUnicode_AsUTF8(k);
	if (!ks)
		return -1;
	if (strlen(ks) >= sizeof(key) || strchr(ks, '-')) {
		PyErr_Format(PyExc_TypeError, "bench() got an unexpected keyword "
			     "argument '%s'", ks);
		return -1;
	}
	for (size_t i = 0; i <= strlen(ks); i++)
		key[i] = ks[i] == '_' ? '-' : ks[i];
	if (v == Py_True || v == Py_False)
		vs = v == Py_True ? "1" : "0";
	else {
		s = PyObject_Str(v);
		if (!s || !(vs = PyUnicode_AsUTF8(s))) {
			Py_XDECREF(s);
			return -1;
		}
	}
	ret = ut_bench_config_set(c, key, vs, &why);
	if (ret == -ENOENT)
		PyErr_Format(PyExc_TypeError, "bench() got an unexpected keyword "
			     "argument '%s'", ks);
	else if (ret < 0)
		PyErr_Format(PyExc_ValueError, "bench '%s': %s '%s': %s", bname, ks,
			     vs, why ? why : "invalid value");
	Py_XDECREF(s);
	return ret < 0 ? -1 : 0;
}

static PyObject *py_bench(PyObject *m, PyObject *args, PyObject *kw)
{
	const char *name, *key = NULL, *why = NULL;
	const struct ut_bench *b;
	struct ut_bench_config c;
	struct ut_bench_result r;
	struct sigaction sa, old;
	struct json_object *doc;
	volatile sig_atomic_t *stop = NULL;
	PyObject *k, *v, *out;
	Py_ssize_t pos = 0;
	int ret;

	if (!PyArg_ParseTuple(args, "s:bench", &name))
		return NULL;
	b = ut_bench_find(name);
	if (!b) {
		PyErr_Format(PyExc_ValueError, "unknown benchmark '%s' (see "
			     "uring.benchmarks())", name);
		return NULL;
	}
	ut_bench_config_init(&c);
	while (kw && PyDict_Next(kw, &pos, &k, &v))
		if (set_option(&c, name, k, v) < 0)
			return NULL;
	if (ut_bench_config_check(b, &c, &key, &why) < 0) {
		PyErr_Format(PyExc_ValueError, "bench '%s': %s: %s", name,
			     key ? key : "options", why ? why : "invalid combination");
		return NULL;
	}
	memset(&r, 0, sizeof(r));
	/*
	 * Ctrl-C stops the engine as it stops `uring-tool bench`, then goes to
	 * Python's SIGINT handler. Not when SIGINT is ignored (nothing to
	 * stop for) or has its default action (it ends the process).
	 */
	if (_PyOS_IsMainThread() && sigint_caught(&old)) {
		stop = &main_stop;
		main_stop = 0;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigint;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, &old);
	}
	Py_BEGIN_ALLOW_THREADS
	ret = ut_bench_run(b, &c, &r, stop);
	Py_END_ALLOW_THREADS
	if (stop)
		sigaction(SIGINT, &old, NULL);
	/*
	 * A Ctrl-C goes on to Python's handler, never lost: the default one
	 * raises KeyboardInterrupt; after one that returns, bench() returns
	 * the result (marked interrupted if a row was cut short). It wins
	 * over a failure of the same run, as before.
	 */
	if (stop && *stop) {
		PyErr_SetInterruptEx(SIGINT);
		if (PyErr_CheckSignals() < 0) {
			ut_bench_result_free(&r);
			return NULL;
		}
	}
	if (ret < 0) {
		/* OSError(errno, "bench 'send': step: message"): errno set */
		PyObject *exc_args = Py_BuildValue("(iN)", -ret, PyUnicode_FromFormat(
			"bench '%s': %s: %s", name, r.failed_step ? r.failed_step :
			"run", strerror(-ret)));

		if (exc_args) {
			PyErr_SetObject(PyExc_OSError, exc_args);
			Py_DECREF(exc_args);
		}
		ut_bench_result_free(&r);
		return NULL;
	}
	doc = ut_bench_result_to_json(&c, &r);
	ut_bench_result_free(&r);
	if (!doc)
		return PyErr_NoMemory();
	out = ut_json_to_py(doc);
	json_object_put(doc);
	return out;
}

static PyObject *py_benchmarks(PyObject *m, PyObject *unused)
{
	PyObject *d = PyDict_New();

	for (unsigned int i = 0; d && i < ut_bench_count; i++) {
		PyObject *s = PyUnicode_FromString(ut_benches[i].summary);

		if (!s || PyDict_SetItemString(d, ut_benches[i].name, s) < 0)
			Py_CLEAR(d);
		Py_XDECREF(s);
	}
	return d;
}

static PyObject *py_bench_options(PyObject *m, PyObject *unused)
{
	PyObject *l = PyList_New(0);
	char buf[64];

	for (size_t i = 0; l && ut_bench_option_names[i]; i++) {
		PyObject *s;
		size_t j;

		for (j = 0; ut_bench_option_names[i][j] && j + 1 < sizeof(buf); j++)
			buf[j] = ut_bench_option_names[i][j] == '-' ? '_' :
				ut_bench_option_names[i][j];
		buf[j] = '\0';
		s = PyUnicode_FromString(buf);
		if (!s || PyList_Append(l, s) < 0)
			Py_CLEAR(l);
		Py_XDECREF(s);
	}
	return l;
}

PyMethodDef ut_bench_methods[] = {
	{ "bench", (PyCFunction)(void (*)(void))py_bench, METH_VARARGS | METH_KEYWORDS,
	  "bench(name, **options) -> dict\n\n"
	  "Run benchmark name with the engines of `uring-tool bench`; options\n"
	  "are its long options with '_' for '-' (size='64K', time='1s',\n"
	  "fixed_buffers=True). Returns the dict of `uring-tool bench --json`.\n"
	  "The GIL is released while it runs. Ctrl-C stops a bench() running on\n"
	  "the main thread, then Python's SIGINT handler runs (by default:\n"
	  "KeyboardInterrupt); one on another thread runs on." },
	{ "benchmarks", py_benchmarks, METH_NOARGS,
	  "benchmarks() -> {name: summary} of every benchmark" },
	{ "bench_options", py_bench_options, METH_NOARGS,
	  "bench_options() -> list of the keyword names bench() accepts" },
	{ NULL },
};
#else
PyMethodDef ut_bench_methods[] = {
	{ NULL },
};
#endif
