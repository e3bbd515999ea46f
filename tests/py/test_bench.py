# SPDX-License-Identifier: MIT
"""uring.bench(): the engines of `uring-tool bench`, the keys of its JSON."""
import errno
import json
import os
import signal
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import support  # noqa: E402
import uring  # noqa: E402

SHORT = dict(time="200ms", warmup="50ms", size="16K")


def shape(o):
    if isinstance(o, dict):
        return {k: shape(v) for k, v in o.items()}
    if isinstance(o, list):
        return [shape(v) for v in o[:1]]
    return None


class BenchThread(threading.Thread):
    """uring.bench("send", **options) on a thread of its own."""

    def __init__(self, **options):
        super().__init__(daemon=True)
        self.options = options
        self.result = self.error = None

    def run(self):
        try:
            self.result = uring.bench("send", **self.options)
        except BaseException as e:  # KeyboardInterrupt too: the test reports it
            self.error = e


@unittest.skipUnless(hasattr(uring, "bench"), "built without the bench engines")
class TestBench(unittest.TestCase):
    def test_registry(self):
        names = uring.benchmarks()
        self.assertIn("send", names)
        self.assertIn("size", uring.bench_options())
        self.assertIn("fixed_buffers", uring.bench_options())

    def test_same_keys_as_cli_json(self):
        if not support.UT_BIN:
            self.skipTest("UT_BIN not set (run under ctest)")
        if not uring.is_available():
            self.skipTest("io_uring is not available here")
        py = uring.bench("send", **SHORT)
        out = subprocess.run([support.UT_BIN, "bench", "send", "--json",
                              "--time", SHORT["time"], "--warmup", SHORT["warmup"],
                              "--size", SHORT["size"]],
                             stdout=subprocess.PIPE, timeout=60)
        self.assertEqual(out.returncode, 0)
        cli = json.loads(out.stdout)
        self.assertEqual(shape(py), shape(cli))
        self.assertEqual(py["config"], cli["config"])
        self.assertGreater(py["results"][0]["bytes"], 0)

    def test_options_map_to_cli_names(self):
        if not uring.is_available():
            self.skipTest("io_uring is not available here")
        d = uring.bench("send", fixed_buffers=False, engine="syscall", **SHORT)
        self.assertIs(d["config"]["fixed_buffers"], False)
        self.assertEqual(d["config"]["engine"], "syscall")

    def check_own_result(self, call, size):
        if isinstance(call.error, OSError) and call.error.errno == errno.EOPNOTSUPP:
            self.skipTest("the kernel lacks an operation bench 'send' needs")
        self.assertIsNone(call.error)
        self.assertEqual(call.result["config"]["sizes_bytes"], [size])
        self.assertFalse(call.result["interrupted"])
        self.assertGreater(call.result["results"][0]["bytes"], 0)

    def test_two_threads_at_once(self):
        if not uring.is_available():
            self.skipTest("io_uring is not available here")
        calls = [BenchThread(**dict(SHORT, size=size)) for size in ("4K", "16K")]
        for call in calls:
            call.start()
        for call in calls:
            call.join(30)
        self.check_own_result(calls[0], 4096)
        self.check_own_result(calls[1], 16384)

    @unittest.skipUnless(hasattr(signal, "pthread_kill"), "needs pthread_kill")
    def test_ctrl_c_stops_only_the_main_thread_call(self):
        if not uring.is_available():
            self.skipTest("io_uring is not available here")
        other = BenchThread(**dict(SHORT, time="400ms"))
        other.start()
        ctrl_c = threading.Timer(0.15, signal.pthread_kill,
                                 (threading.main_thread().ident, signal.SIGINT))
        ctrl_c.start()
        try:
            with self.assertRaises(KeyboardInterrupt):
                uring.bench("send", **dict(SHORT, time="5s"))
        finally:
            ctrl_c.join()
            other.join(30)
        self.check_own_result(other, 16384)

    def bench_with_sigint(self, handler, **options):
        """uring.bench("send") on the main thread, SIGINT's disposition
        set to handler, a Ctrl-C sent 0.15s in."""
        old = signal.signal(signal.SIGINT, handler)
        ctrl_c = threading.Timer(0.15, signal.pthread_kill,
                                 (threading.main_thread().ident, signal.SIGINT))
        try:
            ctrl_c.start()
            try:
                return uring.bench("send", **dict(SHORT, **options))
            finally:
                ctrl_c.join()
        except OSError as e:
            if e.errno == errno.EOPNOTSUPP:
                self.skipTest("the kernel lacks an operation bench 'send' needs")
            raise
        finally:
            signal.signal(signal.SIGINT, old)

    @unittest.skipUnless(hasattr(signal, "pthread_kill"), "needs pthread_kill")
    def test_ctrl_c_ignored(self):
        # SIGINT ignored: bench() does not stop for it
        if not uring.is_available():
            self.skipTest("io_uring is not available here")
        d = self.bench_with_sigint(signal.SIG_IGN, time="400ms")
        self.assertFalse(d["interrupted"])
        self.assertGreater(d["results"][0]["bytes"], 0)

    @unittest.skipUnless(hasattr(signal, "pthread_kill"), "needs pthread_kill")
    def test_ctrl_c_runs_a_custom_handler(self):
        # the handler Python has for SIGINT runs; when it returns, bench()
        # returns what it measured until then
        if not uring.is_available():
            self.skipTest("io_uring is not available here")
        seen = []
        d = self.bench_with_sigint(lambda sig, frame: seen.append(sig),
                                   time="5s")
        self.assertEqual(seen, [signal.SIGINT])
        self.assertTrue(d["interrupted"])

    @unittest.skipUnless(hasattr(signal, "pthread_kill"), "needs pthread_kill")
    def test_ctrl_c_handler_that_raises(self):
        if not uring.is_available():
            self.skipTest("io_uring is not available here")

        class Stop(Exception):
            pass

        def handler(sig, frame):
            raise Stop

        with self.assertRaises(Stop):
            self.bench_with_sigint(handler, time="5s")

    def test_misuse(self):
        with self.assertRaises(TypeError):
            uring.bench("send", no_such_option=1)
        with self.assertRaises(ValueError):
            uring.bench("send", size="lots")
        with self.assertRaises(ValueError):
            uring.bench("no-such-bench")
        with self.assertRaises(TypeError):
            uring.bench()


if __name__ == "__main__":
    unittest.main()
