// SPDX-License-Identifier: MIT
/* uring-tool run: python3's command line with the uring module built in. */
#include "cli.h"

#include <string.h>

#ifdef UT_WITH_PYTHON
#include "embed.h"
#endif

void cmd_run_usage(FILE *f)
{
	fprintf(f,
"usage: uring-tool run [PYTHON-OPTIONS] [script.py | -m module | -c code | -] [ARGS]\n"
"\n"
"Run Python as python3 would, with the uring module importable (no PYTHONPATH\n"
"needed). Without a script, start the interactive interpreter. Python's own\n"
"options (-u, -X, -W, -I, ...) work as in python3; see uring-tool-run(1) and\n"
"uring(3) for the module.\n"
"\n"
"exit status: as python3: the script's sys.exit() status, 1 for an uncaught\n"
"exception, 2 when the script cannot be opened, 130 on Ctrl-C; 3 when this\n"
"uring-tool was built without Python.\n");
}

int cmd_run(int argc, char **argv)
{
	/* only right after `run`: later -h belong to python3 or the script */
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		cmd_run_usage(stdout);
		return UT_EXIT_OK;
	}
#ifdef UT_WITH_PYTHON
	fflush(stdout);
	argv[0] = (char *)ut_progname;	/* python3's messages name the program */
	return ut_py_run(argc, argv);
#else
	ut_error("run: Python support is not built in (rebuild with -DUT_WITH_PYTHON=ON)");
	return UT_EXIT_UNAVAILABLE;
#endif
}
