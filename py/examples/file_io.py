#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""liburing's open_write_read_close.py example, ported to `uring`.

Each step submits one operation and waits for its completion; a negative
res becomes an OSError, as liburing's trap_error() does.

    uring-tool run py/examples/file_io.py [PATH]
"""
import os
import sys
import tempfile

import uring


def _submit_and_wait(ring, completion):
    done = ring.wait(5.0)
    if done is not completion:
        raise RuntimeError("unexpected completion %r" % (done,))
    if done.res < 0:
        raise OSError(-done.res, os.strerror(-done.res))
    return done.result


def open_(ring, path, flags, mode=0o660, dir_fd=uring.AT_FDCWD):
    return _submit_and_wait(ring, ring.submit_openat(path, flags, mode, dir_fd))


def write(ring, fd, data, offset=0):
    return _submit_and_wait(ring, ring.submit_write(fd, data, offset))


def read(ring, fd, length, offset=0):
    return _submit_and_wait(ring, ring.submit_read(fd, length, offset))


def close(ring, fd):
    _submit_and_wait(ring, ring.submit_close(fd))


def main(argv):
    path = argv[1] if len(argv) > 1 else os.path.join(
        tempfile.gettempdir(), "uring-example-%d.txt" % os.getpid())
    with uring.Ring(8) as ring:
        fd = open_(ring, path, os.O_CREAT | os.O_RDWR | os.O_TRUNC)
        print("fd:", fd)
        length = write(ring, fd, b"hello world")
        print("wrote:", length)
        content = read(ring, fd, length)
        print("read:", content)
        close(ring, fd)
        print("closed.")
    if len(argv) <= 1:
        os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
