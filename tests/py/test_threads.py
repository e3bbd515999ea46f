# SPDX-License-Identifier: MIT
"""The threading model: one waiter, submitters elsewhere, break_wait(),
serve_completions() workers, signals interrupting a wait."""
import os
import signal
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import support  # noqa: E402
import uring  # noqa: E402


class TestBreakWait(support.RingTest):
    def test_break_wakes_waiter(self):
        out = []
        t = threading.Thread(target=lambda: out.append(self.ring.wait(10)))
        t.start()
        time.sleep(0.05)
        self.ring.break_wait()
        t.join(5)
        self.assertFalse(t.is_alive())
        self.assertEqual(out, [None])

    def test_submit_from_other_thread(self):
        def submitter():
            for i in range(20):
                self.ring.submit_nop(i)
                time.sleep(0.001)
        t = threading.Thread(target=submitter)
        t.start()
        got = []
        deadline = time.monotonic() + 5
        while len(got) < 20 and time.monotonic() < deadline:
            c = self.ring.wait(0.5)
            if c is not None:
                got.append(c.user_data)
        t.join(5)
        self.assertEqual(sorted(got), list(range(20)))

    def test_concurrent_waits_are_serialised(self):
        results = []
        lock = threading.Lock()

        def waiter():
            c = self.ring.wait(5)
            with lock:
                results.append(c)
        threads = [threading.Thread(target=waiter) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(0.05)
        for i in range(3):
            self.ring.submit_nop(i)
        for t in threads:
            t.join(10)
        self.assertEqual(sorted(c.user_data for c in results), [0, 1, 2])


class TestServe(support.RingTest):
    entries = 64

    def _start(self, n=2):
        threads = [threading.Thread(target=self.ring.serve_completions)
                   for _ in range(n)]
        for t in threads:
            t.start()
        support.wait_until(lambda: self.ring.running)
        return threads

    def _stop(self, threads):
        self.ring.stop_serving()
        for t in threads:
            t.join(5)
            self.assertFalse(t.is_alive(), "worker did not stop")

    def test_workers_dispatch(self):
        seen = []
        lock = threading.Lock()

        def cb(c):
            with lock:
                seen.append((c.user_data, threading.get_ident()))
        self.ring.callback = cb
        threads = self._start(2)
        try:
            for i in range(50):
                self.ring.submit_nop(i)
            support.wait_until(lambda: len(seen) == 50)
            with self.assertRaises(RuntimeError):
                self.ring.wait(0)
            with self.assertRaises(RuntimeError):
                self.ring.close()
            with self.assertRaises(RuntimeError):
                self.ring.reset_serving()
        finally:
            self._stop(threads)
        self.assertFalse(self.ring.running)
        self.assertEqual(sorted(u for u, _ in seen), list(range(50)))
        # a stopped service returns at once until reset
        self.ring.serve_completions()
        self.ring.reset_serving()
        threads = self._start(1)
        self.ring.submit_nop("again")
        support.wait_until(lambda: len(seen) == 51)
        self._stop(threads)

    def test_multishot_sequence_under_workers(self):
        if not support.caps().get("IORING_RECV_MULTISHOT"):
            self.skipTest("kernel lacks multishot recv")
        a, b = socket.socketpair()
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        seen = []
        lock = threading.Lock()

        def cb(c):
            with lock:
                seen.append(c)
        self.ring.callback = cb
        threads = self._start(2)
        try:
            self.ring.submit_recv_multishot(a, 64, 16, "ms")
            for i in range(5):
                b.send(b"%d" % i)
                support.wait_until(lambda: len(seen) == i + 1)
        finally:
            self._stop(threads)
        seen.sort(key=lambda c: c.sequence)
        self.assertEqual([c.sequence for c in seen], [0, 1, 2, 3, 4])
        self.assertEqual([c.result for c in seen], [b"0", b"1", b"2", b"3", b"4"])

    def test_callback_raises(self):
        hooked = []
        old = sys.unraisablehook
        sys.unraisablehook = lambda u: hooked.append(u.exc_type)
        self.addCleanup(setattr, sys, "unraisablehook", old)

        def cb(c):
            raise ValueError("boom")
        self.ring.callback = cb
        threads = [threading.Thread(target=self.ring.serve_completions)
                   for _ in range(2)]
        for t in threads:
            t.start()
        self.ring.submit_nop()
        for t in threads:
            t.join(5)
            self.assertFalse(t.is_alive(), "workers did not exit")
        self.assertEqual(hooked, [ValueError])
        self.ring.reset_serving()

    def test_callback_validation(self):
        with self.assertRaises(TypeError):
            self.ring.callback = 42
        with self.assertRaises(RuntimeError):
            self.ring.serve_completions()  # no callback
        self.ring.callback = print
        self.ring.callback = None
        self.assertIsNone(self.ring.callback)


@unittest.skipUnless(hasattr(signal, "setitimer"), "needs setitimer")
class TestSignals(support.RingTest):
    def test_signal_interrupts_wait(self):
        class Tick(Exception):
            pass

        def handler(signum, frame):
            raise Tick()
        old = signal.signal(signal.SIGALRM, handler)
        self.addCleanup(signal.signal, signal.SIGALRM, old)
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        t0 = time.monotonic()
        with self.assertRaises(Tick):
            self.ring.wait(10)
        self.assertLess(time.monotonic() - t0, 5)
        # the ring is still usable
        c = self.ring.submit_nop()
        self.assertIs(self.ring.wait(1), c)

    def test_signal_without_exception_keeps_waiting(self):
        hits = []
        old = signal.signal(signal.SIGALRM, lambda s, f: hits.append(s))
        self.addCleanup(signal.signal, signal.SIGALRM, old)
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        t0 = time.monotonic()
        self.assertIsNone(self.ring.wait(0.3))  # PEP 475: retried
        self.assertGreaterEqual(time.monotonic() - t0, 0.25)
        self.assertEqual(hits, [signal.SIGALRM])


if __name__ == "__main__":
    unittest.main()
