// SPDX-License-Identifier: MIT
/*
 * `uring-tool run`: python3's own command line (Py_RunMain) with `uring`
 * registered as a built-in module. The regular (not isolated) config keeps
 * signal handlers and PYTHONPATH; executable points at the real interpreter
 * so sys.executable works for subprocess and multiprocessing, and the path
 * configuration finds Debian's dist-packages as /usr/bin/python3 does.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "embed.h"

#include <string.h>
#include <unistd.h>

PyMODINIT_FUNC PyInit_uring(void);

const char *ut_py_version(void)
{
	static char buf[32];
	const char *v = Py_GetVersion();
	size_t n = strcspn(v, " ");

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return buf;
}

static int status_exit(PyConfig *config, PyStatus st)
{
	PyConfig_Clear(config);
	if (PyStatus_IsExit(st))
		return st.exitcode;
	Py_ExitStatusException(st);	/* prints and exits 1 */
	return 1;
}

int ut_py_run(int argc, char **argv)
{
	PyPreConfig pre;
	PyConfig config;
	PyStatus st;

	/* before the interpreter exists: 3.12 makes a late call fatal */
	if (PyImport_AppendInittab("uring", PyInit_uring) < 0) {
		fprintf(stderr, "uring-tool: error: run: cannot register the uring module\n");
		return 1;
	}
	/* -X utf8, -E and -I decide the pre-configuration: parse argv for it */
	PyPreConfig_InitPythonConfig(&pre);
	st = Py_PreInitializeFromBytesArgs(&pre, argc, argv);
	if (PyStatus_Exception(st)) {
		if (PyStatus_IsExit(st))
			return st.exitcode;
		Py_ExitStatusException(st);
	}
	PyConfig_InitPythonConfig(&config);
	st = PyConfig_SetBytesString(&config, &config.program_name, argv[0]);
	if (PyStatus_Exception(st))
		return status_exit(&config, st);
	if (access(UT_PYTHON_EXECUTABLE, X_OK) == 0) {
		st = PyConfig_SetBytesString(&config, &config.executable,
					     UT_PYTHON_EXECUTABLE);
		if (PyStatus_Exception(st))
			return status_exit(&config, st);
	}
	st = PyConfig_SetBytesArgv(&config, argc, argv);
	if (PyStatus_Exception(st))
		return status_exit(&config, st);
	st = Py_InitializeFromConfig(&config);
	if (PyStatus_Exception(st))
		return status_exit(&config, st);
	PyConfig_Clear(&config);
	/* On 3.11 sys.exit() inside calls exit() itself: no C cleanup after. */
	return Py_RunMain();
}
