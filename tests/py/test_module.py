# SPDX-License-Identifier: MIT
"""The module surface: constants, tables, probe(), probe_report()."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import support  # noqa: E402
import uring  # noqa: E402


class TestConstants(unittest.TestCase):
    def test_seed_constants(self):
        self.assertEqual(uring.IORING_SETUP_SQPOLL, 1 << 1)
        self.assertEqual(uring.IORING_SETUP_SINGLE_ISSUER, 1 << 12)
        self.assertEqual(uring.IORING_CQE_F_MORE, 1 << 1)
        self.assertEqual(uring.IORING_CQE_F_NOTIF, 1 << 3)
        self.assertEqual(uring.IORING_SEND_ZC_REPORT_USAGE, 1 << 3)
        self.assertEqual(uring.IORING_NOTIF_USAGE_ZC_COPIED, 1 << 31)
        self.assertEqual(uring.IORING_OP_SEND_ZC, 47)
        self.assertEqual(uring.AT_FDCWD, -100)

    def test_completion_kinds_distinct(self):
        kinds = {k: getattr(uring, k) for k in dir(uring)
                 if k.startswith("COMPLETION_KIND_")}
        self.assertIn("COMPLETION_KIND_RECV", kinds)
        self.assertIn("COMPLETION_KIND_SEND_ZC", kinds)
        self.assertIn("COMPLETION_KIND_ACCEPT_MULTISHOT", kinds)
        self.assertEqual(len(set(kinds.values())), len(kinds))

    def test_tables(self):
        self.assertEqual(uring.OPS[0], "NOP")
        self.assertEqual(uring.OPS[47], "SEND_ZC")
        self.assertEqual(uring.SETUP_FLAGS[1 << 13], "DEFER_TASKRUN")
        self.assertEqual(uring.FEATURES[1 << 8], "EXT_ARG")
        self.assertEqual(uring.CQE_FLAGS[uring.IORING_CQE_F_NOTIF], "NOTIF")
        for d in (uring.OPS, uring.SETUP_FLAGS, uring.FEATURES,
                  uring.REGISTER_OPS, uring.ENTER_FLAGS, uring.SQE_FLAGS):
            self.assertTrue(d)

    def test_exception(self):
        self.assertTrue(issubclass(uring.SubmissionQueueFull, RuntimeError))

    def test_completion_not_constructible(self):
        with self.assertRaises(TypeError):
            uring.Completion()

    def test_version(self):
        self.assertRegex(uring.__version__, r"^\d+\.\d+")
        self.assertRegex(uring.LIBURING_VERSION, r"^\d+\.\d+")


class TestProbe(unittest.TestCase):
    def test_probe_shape(self):
        p = uring.probe()
        if not p:
            self.assertFalse(uring.is_available())
            return
        self.assertIs(p["available"], True)
        for k in ("IORING_ACCEPT_MULTISHOT", "IORING_RECV_MULTISHOT",
                  "IORING_OP_SEND_ZC", "IORING_OP_SENDMSG_ZC"):
            self.assertIsInstance(p[k], bool)
        self.assertTrue(uring.is_available())

    def test_probe_rejected_flags(self):
        # a setup flag no kernel has: no ring, so {}
        self.assertEqual(uring.probe(flags=1 << 30), {})

    def test_probe_report_keys_equal_cli_json(self):
        if not support.UT_BIN:
            self.skipTest("UT_BIN not set (run under ctest)")
        out = subprocess.run([support.UT_BIN, "probe", "--json", "--no-behaviour"],
                             stdout=subprocess.PIPE, timeout=60)
        self.assertIn(out.returncode, (0, 3))
        cli = json.loads(out.stdout)
        py = uring.probe_report(behaviour=False)

        def shape(o):
            if isinstance(o, dict):
                return {k: shape(v) for k, v in o.items()}
            if isinstance(o, list):
                return [shape(v) for v in o]
            return type(o).__name__ if o is not None else None

        # --require results belong to the command line, not to the report
        cli.pop("requirements", None)
        # volatile figures aside, the documents are the same
        self.assertEqual(set(py), set(cli))
        self.assertEqual(shape(py), shape(cli))
        for k in ("kernel_release", "machine", "liburing_build"):
            self.assertEqual(py["environment"][k], cli["environment"][k])
        self.assertEqual(py["available"], cli["available"])

    def test_probe_report_validates(self):
        with self.assertRaises(ValueError):
            uring.probe_report(timeout=0)
        with self.assertRaises(TypeError):
            uring.probe_report(entries="8")

    def test_probe_integers_not_truncated(self):
        # u32 words: 2**32 used to become 0, -1 used to become 2**32-1
        for bad in (-1, 2 ** 32, 2 ** 64, -(2 ** 64)):
            for name in ("entries", "flags"):
                with self.assertRaisesRegex(OverflowError, name):
                    uring.probe(**{name: bad})
                with self.assertRaisesRegex(OverflowError, name):
                    uring.probe_report(behaviour=False, **{name: bad})
        with self.assertRaisesRegex(OverflowError, "flags"):
            uring.probe_report(8, 2 ** 32, behaviour=False)
        with self.assertRaisesRegex(OverflowError, "flags"):
            uring.probe(2, 2 ** 32)
        with self.assertRaisesRegex(TypeError, "flags"):
            uring.probe(flags=1.0)
        # the whole u32 range is still accepted (the kernel refuses it)
        self.assertEqual(uring.probe(2, 2 ** 32 - 1), {})
        ring = uring.probe_report(8, 2 ** 32 - 1, behaviour=False)["ring"]
        self.assertEqual(ring["flags"], 2 ** 32 - 1)
        self.assertFalse(ring["created"])

    def test_probe_report_timeout_range(self):
        for bad in (-1, 61, 2 ** 2000, float("nan"), float("inf")):
            with self.assertRaisesRegex(ValueError, "timeout"):
                uring.probe_report(behaviour=False, timeout=bad)
        with self.assertRaisesRegex(TypeError, "timeout"):
            uring.probe_report(behaviour=False, timeout="1")


class TestDocumentation(unittest.TestCase):
    """man/uring.3 keeps up with the module; the suite lists every file."""

    def page(self):
        with open(os.path.join(support.SRC, "man", "uring.3")) as f:
            return f.read().replace("\\-", "-").replace("\\fB", "").replace("\\fP", "")

    def test_every_name_documented(self):
        text = self.page()
        table_prefixes = ("IORING_OP_", "IORING_SETUP_", "IORING_FEAT_",
                          "IORING_ENTER_", "IOSQE_", "IORING_CQE_F_",
                          "IORING_REGISTER_")
        missing = []
        for name in dir(uring):
            if name.startswith("_") and name != "__version__":
                continue
            if name.startswith(table_prefixes) and name not in (
                    "IORING_CQE_F_MORE", "IORING_CQE_F_NOTIF"):
                continue  # documented as IORING_OP_*NAME* and so on
            if name not in text:
                missing.append(name)
        for cls in (uring.Ring, uring.Completion):
            for name in dir(cls):
                if not name.startswith("_") and name not in text:
                    missing.append("%s.%s" % (cls.__name__, name))
        self.assertEqual(missing, [])

    def test_ctest_runs_every_test_file(self):
        with open(os.path.join(support.SRC, "tests", "CMakeLists.txt")) as f:
            cm = f.read()
        here = os.path.dirname(os.path.abspath(__file__))
        for fn in sorted(os.listdir(here)):
            if fn.startswith("test_") and fn.endswith(".py"):
                self.assertRegex(cm, r"set\(UT_PY_TESTS [^)]*\b%s\b" % fn[5:-3])


if __name__ == "__main__":
    unittest.main()
