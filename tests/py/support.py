# SPDX-License-Identifier: MIT
"""Shared helpers of the uring tests: bounded waits, feature skips."""
import functools
import os
import socket
import time
import unittest

import uring

SRC = os.environ.get("UT_SRC") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
UT_BIN = os.environ.get("UT_BIN")


@functools.lru_cache(maxsize=None)
def caps():
    return uring.probe()


def needs(cap):
    """Skip unless probe() says this kernel can do cap."""
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(self, *a, **k):
            if not caps():
                self.skipTest("io_uring is not available here")
            if not caps().get(cap):
                self.skipTest("kernel lacks %s (per uring.probe())" % cap)
            return fn(self, *a, **k)
        return wrapper
    return deco


def wait_for(ring, pred=None, timeout=5.0):
    """Completions until pred(c) holds (or the first one); fails at timeout."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("no matching completion within %.1fs" % timeout)
        c = ring.wait(left)
        if c is not None and (pred is None or pred(c)):
            return c


def wait_until(cond, ring=None, timeout=5.0):
    """Poll cond() (pumping ring's completions) until true or timeout."""
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met within %.1fs" % timeout)
        if ring is not None:
            ring.wait(0.02)
        else:
            time.sleep(0.01)


class RingTest(unittest.TestCase):
    """A fresh ring per test, closed afterwards; skips without io_uring."""
    entries = 16

    def setUp(self):
        if not uring.is_available():
            self.skipTest("io_uring is not available here")
        self.ring = uring.Ring(self.entries)
        self.addCleanup(self.ring.close)


class SocketPairTest(RingTest):
    """RingTest with a connected socket pair self.a, self.b."""

    def setUp(self):
        super().setUp()
        self.a, self.b = socket.socketpair()
        self.addCleanup(self.a.close)
        self.addCleanup(self.b.close)
