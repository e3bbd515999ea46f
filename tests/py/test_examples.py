# SPDX-License-Identifier: MIT
"""Every example in py/examples runs (in this interpreter) and succeeds."""
import contextlib
import io
import os
import runpy
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import support  # noqa: E402
import uring  # noqa: E402

EXAMPLES = os.path.join(support.SRC, "py", "examples")


class TestExamples(unittest.TestCase):
    def run_example(self, name, *args):
        if not uring.is_available():
            self.skipTest("io_uring is not available here")
        path = os.path.join(EXAMPLES, name)
        out = io.StringIO()
        argv = sys.argv
        sys.argv = [path] + list(args)
        try:
            with contextlib.redirect_stdout(out):
                with self.assertRaises(SystemExit) as cm:
                    runpy.run_path(path, run_name="__main__")
        finally:
            sys.argv = argv
        self.assertEqual(cm.exception.code, 0, out.getvalue())
        return out.getvalue()

    def test_every_example_is_tested(self):
        names = sorted(f for f in os.listdir(EXAMPLES) if f.endswith(".py"))
        tested = sorted(n[len("test_"):] + ".py" for n in dir(self)
                        if n.startswith("test_") and n != "test_every_example_is_tested")
        self.assertEqual(names, tested)

    def test_file_io(self):
        out = self.run_example("file_io.py")
        self.assertIn("read: b'hello world'", out)
        self.assertIn("closed.", out)

    def test_socketpair(self):
        self.assertIn("5 5 b'hello'", self.run_example("socketpair.py"))

    def test_serve_echo(self):
        self.assertIn("echoed 10 messages", self.run_example("serve_echo.py", "10"))


if __name__ == "__main__":
    unittest.main()
