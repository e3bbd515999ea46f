/* SPDX-License-Identifier: MIT */
/* The embedded interpreter behind `uring-tool run`. */
#ifndef UT_PY_EMBED_H
#define UT_PY_EMBED_H

/* "3.11.2": the version of the linked libpython. */
const char *ut_py_version(void);

/*
 * Run python3's command line (argv[0] is the program name, the rest what
 * python3 would take) with `uring` built in. Returns the exit status
 * python3 would have; may not return at all (sys.exit() inside Py_RunMain
 * ends the process on 3.11), so callers keep no cleanup after it.
 */
int ut_py_run(int argc, char **argv);

#endif
