#!/bin/sh
# SPDX-License-Identifier: MIT
# Run bench/py_speed.py inside `uring-tool run` (default) or, with
# PY=python3, the pinned interpreter against the extension in build/py.
#   bench/py_speed.sh [BUILD_DIR] [py_speed.py options]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
[ $# -gt 0 ] && shift
if [ "${PY:-}" ]; then
	PYTHONPATH=$build/py exec "$PY" "$here/py_speed.py" "$@"
fi
exec "$build/cli/uring-tool" run "$here/py_speed.py" "$@"
