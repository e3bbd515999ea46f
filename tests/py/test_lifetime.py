# SPDX-License-Identifier: MIT
"""Buffer lifetime (PYTHON.md rules 1-5) and misuse that must not crash."""
import errno
import gc
import os
import socket
import sys
import threading
import time
import unittest
import warnings
import weakref

sys.path.insert(0, os.path.dirname(__file__))
import support  # noqa: E402
import uring  # noqa: E402


class Buf(bytearray):
    """A bytearray that can be weakly referenced."""


class TestPinning(support.SocketPairTest):
    def test_resize_in_flight_is_buffer_error(self):
        buf = bytearray(8)
        self.ring.submit_recv(self.a, buf)
        with self.assertRaises(BufferError):
            buf.extend(b"more")
        with self.assertRaises(BufferError):
            del buf[:]
        self.b.send(b"12345678")
        support.wait_for(self.ring)
        buf.extend(b"more")  # released after the CQE
        self.assertEqual(bytes(buf), b"12345678more")

    def test_buffer_kept_alive_until_completion(self):
        buf = Buf(4)
        ref = weakref.ref(buf)
        c = self.ring.submit_recv(self.a, buf)
        del buf
        gc.collect()
        self.assertIsNotNone(ref(), "in-flight buffer was freed")
        self.b.send(b"abcd")
        support.wait_for(self.ring)
        self.assertEqual(c.res, 4)
        gc.collect()
        self.assertIsNone(ref(), "buffer still held after its CQE")

    def test_fd_object_kept_alive(self):
        a, b = socket.socketpair()
        ref = weakref.ref(a)
        self.ring.submit_recv(a, bytearray(4))
        del a
        gc.collect()
        self.assertIsNotNone(ref())
        b.send(b"ping")
        with warnings.catch_warnings():
            # the socket is dropped unclosed once the ring lets go of it
            warnings.simplefilter("ignore", ResourceWarning)
            c = support.wait_for(self.ring)
            self.assertEqual(c.res, 4)
            gc.collect()
        b.close()
        self.assertIsNone(ref())

    def test_readonly_buffer_for_recv(self):
        with self.assertRaises(TypeError):
            self.ring.submit_recv(self.a, b"immutable")
        with self.assertRaises(TypeError):
            self.ring.submit_recv(self.a, "text")
        with self.assertRaises(TypeError):
            self.ring.submit_send(self.b, "text")
        with self.assertRaises(TypeError):
            self.ring.submit_send(self.b, 12)
        self.assertEqual(self.ring.in_flight, 0)

    def test_bad_fds(self):
        with self.assertRaises(ValueError):
            self.ring.submit_recv(-1, bytearray(1))
        with self.assertRaises(TypeError):
            self.ring.submit_recv("3", bytearray(1))
        with self.assertRaises(TypeError):
            self.ring.submit_close(self.a)  # a socket still owns it
        with self.assertRaises(OverflowError):
            self.ring.submit_recv(1 << 40, bytearray(1))
        self.assertEqual(self.ring.in_flight, 0)

    def test_huge_sizes(self):
        with self.assertRaises(ValueError):
            self.ring.submit_recv_multishot(self.a, 1 << 30, 8)
        with self.assertRaises(ValueError):
            self.ring.submit_recv_multishot(self.a, 4096, 3)
        with self.assertRaises(ValueError):
            self.ring.submit_recv_multishot(self.a, 4096, 1 << 20)
        with self.assertRaises(ValueError):
            self.ring.submit_read(self.a, 1 << 40)
        with self.assertRaises(ValueError):
            self.ring.submit_read(self.a, -5)
        with self.assertRaises(ValueError):
            self.ring.submit_sendmsg(self.b, [b"x"] * 2000)
        self.assertEqual(self.ring.in_flight, 0)

    def test_bad_addresses(self):
        tcp = socket.socket()
        self.addCleanup(tcp.close)
        with self.assertRaises(TypeError):
            self.ring.submit_connect(tcp, "127.0.0.1:80")
        with self.assertRaises(OverflowError):
            self.ring.submit_connect(tcp, ("127.0.0.1", 70000))
        with self.assertRaises(TypeError):
            self.ring.submit_connect(tcp, ("127.0.0.1",))
        with self.assertRaises(OSError):
            self.ring.submit_connect(tcp, ("no-such-host.invalid", 80))
        with self.assertRaises(OSError):
            self.ring.submit_connect(self.a, "x" * 200)
        self.assertEqual(self.ring.in_flight, 0)


class TestSendZc(support.RingTest):
    def _tcp_pair(self):
        srv = socket.create_server(("127.0.0.1", 0))
        cli = socket.create_connection(srv.getsockname())
        conn, _ = srv.accept()
        srv.close()
        self.addCleanup(cli.close)
        self.addCleanup(conn.close)
        return cli, conn

    @support.needs("IORING_OP_SEND_ZC")
    def test_send_zc_held_until_notif(self):
        cli, conn = self._tcp_pair()
        data = bytearray(b"z" * 65536)
        c = self.ring.submit_send_zc(cli, data,
                                     zc_flags=uring.IORING_SEND_ZC_REPORT_USAGE)
        self.assertIs(support.wait_for(self.ring), c)
        self.assertEqual(c.res, 65536)
        self.assertEqual(c.kind, uring.COMPLETION_KIND_SEND_ZC)
        if c.flags & uring.IORING_CQE_F_MORE:
            # pinned until the notification, whatever happened to res
            got = 0
            while got < 65536:
                got += len(conn.recv(65536))
            support.wait_until(lambda: c.released, self.ring)
        self.assertTrue(c.released)
        self.assertIn(c.zc_copied, (True, False))
        data.extend(b"!")  # unpinned now
        self.assertEqual(self.ring.in_flight, 0)

    @support.needs("IORING_OP_SEND_ZC")
    def test_send_zc_error_still_notifies(self):
        # AF_UNIX has no zero copy: -EOPNOTSUPP, and F_MORE says whether a
        # notification follows; either way the buffer is released safely
        a, b = socket.socketpair()
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        data = bytearray(b"abc")
        c = self.ring.submit_send_zc(a, data)
        support.wait_for(self.ring)
        if c.res >= 0:
            self.skipTest("AF_UNIX send_zc succeeded on this kernel")
        support.wait_until(lambda: c.released, self.ring)
        data.extend(b"!")
        self.assertEqual(self.ring.in_flight, 0)

    @support.needs("IORING_OP_SENDMSG_ZC")
    def test_sendmsg_zc(self):
        cli, conn = self._tcp_pair()
        c = self.ring.submit_sendmsg_zc(cli, [b"ab", b"cd"])
        self.assertIs(support.wait_for(self.ring), c)
        self.assertEqual(c.res, 4)
        self.assertEqual(conn.recv(4), b"abcd")
        support.wait_until(lambda: c.released, self.ring)


class TestClose(unittest.TestCase):
    def setUp(self):
        if not uring.is_available():
            self.skipTest("io_uring is not available here")
        self.a, self.b = socket.socketpair()
        self.addCleanup(self.a.close)
        self.addCleanup(self.b.close)

    def test_close_cancels_in_flight(self):
        ring = uring.Ring()
        bufs = [bytearray(8) for _ in range(4)]
        comps = [ring.submit_recv(self.a, buf) for buf in bufs]
        t0 = time.monotonic()
        ring.close()
        self.assertLess(time.monotonic() - t0, 1.0)
        for c, buf in zip(comps, bufs):
            self.assertTrue(c.done)
            self.assertEqual(c.res, -errno.ECANCELED)
            self.assertTrue(c.released)
            buf.extend(b"x")  # unpinned

    def test_dealloc_with_ops_in_flight(self):
        ring = uring.Ring()
        buf = bytearray(8)
        ring.submit_recv(self.a, buf)
        ring.submit_recv_multishot(self.a, 64, 4)
        del ring
        gc.collect()
        buf.extend(b"x")

    def test_close_wakes_blocked_waiter(self):
        ring = uring.Ring()
        ring.submit_recv(self.a, bytearray(8))
        out = []
        t = threading.Thread(target=lambda: out.append(ring.wait(10)))
        t.start()
        time.sleep(0.1)
        ring.close()
        t.join(5)
        self.assertFalse(t.is_alive())
        self.assertEqual(out, [None])

    def test_close_abandons_what_the_kernel_holds(self):
        # a zero-copy send to a peer that never reads: the notification
        # cannot come, so close() keeps the buffer pinned rather than free it
        if not support.caps().get("IORING_OP_SEND_ZC"):
            self.skipTest("kernel lacks IORING_OP_SEND_ZC")
        srv = socket.create_server(("127.0.0.1", 0))
        cli = socket.create_connection(srv.getsockname())
        conn, _ = srv.accept()
        srv.close()
        self.addCleanup(cli.close)
        self.addCleanup(conn.close)
        ring = uring.Ring()
        data = bytearray(4096)
        c = ring.submit_send_zc(cli, data)
        support.wait_for(ring)
        if not (c.flags & uring.IORING_CQE_F_MORE) or c.released:
            ring.close()
            self.skipTest("the kernel released the buffer at once")
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            ring.close(timeout=0.1)
        msgs = [str(x.message) for x in w if issubclass(x.category, ResourceWarning)]
        self.assertEqual(len(msgs), 1)
        self.assertIn("after 0.1s;", msgs[0])  # the timeout, formatted
        self.assertFalse(c.released)
        with self.assertRaises(BufferError):
            data.extend(b"x")  # still pinned, on purpose

    def closing_call(self, fn, *args):
        """fn(*args) whose arguments close the ring: ValueError at once,
        and close() has nothing to wait for or warn about."""
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            t0 = time.monotonic()
            with self.assertRaisesRegex(ValueError, "closed ring"):
                fn(*args)
            elapsed = time.monotonic() - t0
        self.assertEqual([str(x.message) for x in w
                          if issubclass(x.category, ResourceWarning)], [])
        self.assertLess(elapsed, 0.5)  # close() did not sit out its timeout

    def test_close_while_arguments_convert(self):
        # converting an argument can run Python code; if that closes the
        # ring, the submission fails before anything is pinned or held
        ring = None

        class Path:
            def __fspath__(self):
                ring.close()
                return "/nonexistent/uring-tool-test.sock"

        class Port:
            def __index__(self):
                ring.close()
                return 9

        class FileNo:
            def __init__(self, sock):
                self.sock = sock

            def fileno(self):
                ring.close()
                return self.sock.fileno()

        unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(unix.close)
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(udp.close)
        data = bytearray(b"x")
        calls = [
            ("connect", lambda r: r.submit_connect(unix, Path())),
            ("sendto", lambda r: r.submit_sendto(udp, data, ("127.0.0.1", Port()))),
            ("sendmsg", lambda r: r.submit_sendmsg(udp, [data, data],
                                                   ("127.0.0.1", Port()))),
            ("sendmsg_zc", lambda r: r.submit_sendmsg_zc(udp, data,
                                                         ("127.0.0.1", Port()))),
            ("recv", lambda r: r.submit_recv(FileNo(udp), data)),
            ("read", lambda r: r.submit_read(FileNo(udp), data)),
        ]
        for name, call in calls:
            with self.subTest(call=name):
                ring = uring.Ring()
                self.closing_call(call, ring)
                self.assertTrue(ring.closed)
                self.assertEqual(ring.in_flight, 0)
                data.extend(b"y")  # not pinned: resizable
                del data[1:]

    def test_arguments_change_the_buffer_list(self):
        # converting the address can empty the list of buffers: the op
        # takes the list as it is afterwards (no stale length)
        ring = uring.Ring()
        self.addCleanup(ring.close)
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(udp.close)
        bufs = [bytearray(b"x") for _ in range(8)]

        class Port:
            def __index__(self):
                bufs.clear()
                return 9

        c = ring.submit_sendmsg(udp, bufs, ("127.0.0.1", Port()))
        self.assertIs(support.wait_for(ring, lambda x: x is c), c)
        self.assertEqual(ring.in_flight, 0)

    def test_close_timeout_validated(self):
        ring = uring.Ring()
        with self.assertRaises(ValueError):
            ring.close(timeout=-1)
        ring.close()


if __name__ == "__main__":
    unittest.main()
