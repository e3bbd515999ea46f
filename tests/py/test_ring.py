# SPDX-License-Identifier: MIT
"""Ring basics: lifecycle, nop, socket and file operations, waits."""
import errno
import os
import socket
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import support  # noqa: E402
import uring  # noqa: E402


class TestLifecycle(unittest.TestCase):
    def setUp(self):
        if not uring.is_available():
            self.skipTest("io_uring is not available here")

    def test_properties(self):
        with uring.Ring(entries=8) as ring:
            self.assertGreaterEqual(ring.fd, 0)
            self.assertEqual(ring.fileno(), ring.fd)
            self.assertEqual(ring.sq_entries, 8)
            self.assertGreaterEqual(ring.cq_entries, 8)
            self.assertTrue(ring.features & uring.IORING_FEAT_NODROP)
            self.assertFalse(ring.closed)
            self.assertFalse(ring.running)
            self.assertIsNone(ring.callback)
            self.assertEqual(ring.in_flight, 0)
        self.assertTrue(ring.closed)
        self.assertEqual(ring.fd, -1)

    def test_close_idempotent_and_closed_errors(self):
        ring = uring.Ring()
        ring.close()
        ring.close()
        with self.assertRaises(ValueError):
            ring.submit_nop()
        with self.assertRaises(ValueError):
            ring.wait(0)
        with self.assertRaises(ValueError):
            with ring:
                pass

    def test_bad_arguments(self):
        for bad in (0, -1, 1 << 20):
            with self.assertRaises(ValueError):
                uring.Ring(entries=bad)
        with self.assertRaises(TypeError):
            uring.Ring(entries="8")
        with self.assertRaises(OSError) as cm:
            uring.Ring(flags=1 << 30)
        self.assertEqual(cm.exception.errno, errno.EINVAL)

    def test_setup_flags(self):
        flags = uring.IORING_SETUP_SINGLE_ISSUER
        if not uring.probe(flags=flags):
            self.skipTest("SINGLE_ISSUER rejected here")
        with uring.Ring(flags=flags) as ring:
            self.assertTrue(ring.flags & flags)
            c = ring.submit_nop()
            self.assertIs(ring.wait(1), c)

    def test_uninitialized(self):
        ring = uring.Ring.__new__(uring.Ring)
        with self.assertRaises(RuntimeError):
            ring.submit_nop()


class TestNopAndWait(support.RingTest):
    def test_nop_round_trip(self):
        token = object()
        c = self.ring.submit_nop(token)
        self.assertFalse(c.done)
        self.assertIsNone(c.res)
        self.assertIs(self.ring.wait(1.0), c)
        self.assertTrue(c.done)
        self.assertEqual(c.res, 0)
        self.assertIs(c.user_data, token)
        self.assertEqual(c.kind, uring.COMPLETION_KIND_NOP)
        self.assertEqual(c.kind_name, "NOP")
        self.assertEqual(c.sequence, 0)
        self.assertTrue(c.released)
        self.assertIn("NOP", repr(c))

    def test_wait_timeout(self):
        t0 = time.monotonic()
        self.assertIsNone(self.ring.wait(0.05))
        self.assertLess(time.monotonic() - t0, 2.0)
        self.assertIsNone(self.ring.wait(0))
        with self.assertRaises(ValueError):
            self.ring.wait(-1)
        with self.assertRaises(TypeError):
            self.ring.wait("soon")

    def test_wait_many(self):
        subs = [self.ring.submit_nop(i) for i in range(10)]
        got = []
        deadline = time.monotonic() + 5
        while len(got) < 10 and time.monotonic() < deadline:
            got += self.ring.wait_many(1.0)
        self.assertEqual(sorted(c.user_data for c in got), list(range(10)))
        self.assertEqual({id(c) for c in got}, {id(c) for c in subs})
        self.assertEqual(self.ring.wait_many(0), [])
        for i in range(4):
            self.ring.submit_nop(i)
        first = self.ring.wait_many(1.0, max=2)
        self.assertLessEqual(len(first), 2)
        with self.assertRaises(ValueError):
            self.ring.wait_many(max=0)

    def test_autosubmit_off(self):
        self.ring.autosubmit = False
        c = self.ring.submit_nop()
        self.assertEqual(self.ring.submit(), 1)
        self.assertIs(self.ring.wait(1), c)
        c = self.ring.submit_nop()
        self.assertIs(self.ring.wait(1), c)  # wait() flushes too
        self.ring.autosubmit = True

    def test_backpressure(self):
        a, b = socket.socketpair()
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        n = self.ring.cq_entries
        bufs = [bytearray(1) for _ in range(n)]
        for i in range(n):
            self.ring.submit_recv(a, bufs[i], i)
        with self.assertRaises(uring.SubmissionQueueFull):
            self.ring.submit_recv(a, bytearray(1))
        b.send(b"x")
        support.wait_for(self.ring)
        self.ring.submit_nop()  # room again


class TestSockets(support.SocketPairTest):
    def test_recv_send(self):
        buf = bytearray(16)
        rc = self.ring.submit_recv(self.a.fileno(), buf, "r")
        sc = self.ring.submit_send(self.b, b"hello", "s")
        got = {support.wait_for(self.ring).user_data,
               support.wait_for(self.ring).user_data}
        self.assertEqual(got, {"r", "s"})
        self.assertEqual(rc.res, 5)
        self.assertEqual(rc.result, 5)
        self.assertEqual(sc.result, 5)
        self.assertEqual(bytes(buf[:5]), b"hello")
        self.assertEqual(rc.kind, uring.COMPLETION_KIND_RECV)

    def test_memoryview_slice(self):
        buf = bytearray(b"........")
        self.ring.submit_recv(self.a, memoryview(buf)[2:5])
        self.b.send(b"abc")
        c = support.wait_for(self.ring)
        self.assertEqual(c.res, 3)
        self.assertEqual(buf, bytearray(b"..abc..."))

    def test_error_res(self):
        r, w = os.pipe()
        os.close(r)
        os.close(w)
        c = self.ring.submit_send(w, b"x")
        support.wait_for(self.ring)
        self.assertEqual(c.res, -errno.EBADF)
        self.assertIsNone(c.result)

    def test_sendmsg_gather_and_recvmsg(self):
        buf = bytearray(32)
        rc = self.ring.submit_recvmsg(self.a, buf)
        sc = self.ring.submit_sendmsg(self.b, [b"ab", bytearray(b"cd"), memoryview(b"ef")])
        support.wait_until(lambda: rc.done and sc.done, self.ring)
        self.assertEqual(sc.res, 6)
        self.assertEqual(rc.result[0], 6)
        self.assertEqual(bytes(buf[:6]), b"abcdef")

    def test_udp_sendto_recvmsg(self):
        rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(rx.close)
        self.addCleanup(tx.close)
        rx.bind(("127.0.0.1", 0))
        tx.bind(("127.0.0.1", 0))
        buf = bytearray(64)
        rc = self.ring.submit_recvmsg(rx, buf)
        sc = self.ring.submit_sendto(tx, b"datagram", rx.getsockname())
        support.wait_until(lambda: rc.done and sc.done, self.ring)
        self.assertEqual(sc.res, 8)
        n, addr = rc.result
        self.assertEqual(bytes(buf[:n]), b"datagram")
        self.assertEqual(addr, tx.getsockname())
        # sendmsg with an address, too
        rc = self.ring.submit_recv(rx, buf)
        self.ring.submit_sendmsg(tx, b"two", rx.getsockname())
        support.wait_until(lambda: rc.done, self.ring)
        self.assertEqual(bytes(buf[:3]), b"two")

    def test_shutdown(self):
        c = self.ring.submit_shutdown(self.b, socket.SHUT_WR)
        support.wait_for(self.ring)
        self.assertEqual(c.res, 0)
        self.assertEqual(self.a.recv(10), b"")
        with self.assertRaises(ValueError):
            self.ring.submit_shutdown(self.b, 7)


class TestKeywords(support.RingTest):
    """Every documented argument works by keyword and by position."""
    entries = 64

    def test_all_arguments_by_keyword(self):
        a, b = socket.socketpair()
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        srv = socket.create_server(("127.0.0.1", 0))
        for s in (a, b, u, srv):
            self.addCleanup(s.close)
        r = self.ring
        r.submit_nop(user_data=1)
        r.submit_send(fd=a, data=b"ab", user_data=1, flags=0)
        r.submit_recv(fd=b, buf=bytearray(1), user_data=1, flags=0)
        r.submit_send_zc(fd=a, data=b"x", user_data=1, flags=0, zc_flags=0)
        r.submit_sendmsg(fd=a, data=b"x", address=None, user_data=1, flags=0)
        r.submit_sendmsg_zc(fd=a, data=b"x", address=None, user_data=1, flags=0,
                            zc_flags=0)
        r.submit_sendto(fd=u, data=b"x", address=u.getsockname(), user_data=1,
                        flags=0)
        r.submit_recvmsg(fd=u, buf=bytearray(4), user_data=1, flags=0)
        r.submit_read(fd=b, buf=1, offset=-1, user_data=1)
        r.submit_write(fd=a, data=b"x", offset=-1, user_data=1)
        r.submit_openat(path="/", flags=os.O_RDONLY, mode=0, dir_fd=uring.AT_FDCWD,
                        user_data=1)
        r.submit_shutdown(fd=a, how=socket.SHUT_RD, user_data=1)
        r.submit_socket(domain=socket.AF_INET, type=socket.SOCK_STREAM, protocol=0,
                        flags=0, user_data=1)
        h = r.submit_accept(fd=srv, user_data=1, flags=0)
        r.submit_cancel(completion=h, user_data=1)
        h = r.submit_accept_multishot(fd=srv, user_data=1, flags=0)
        r.submit_cancel(h, 1)
        c = socket.socket()
        self.addCleanup(c.close)
        r.submit_connect(fd=c, address=("127.0.0.1", 9), user_data=1)
        h = r.submit_recv_multishot(fd=b, buffer_size=64, buffer_count=2,
                                    user_data=1, flags=0)
        r.submit_cancel(h, 1)
        r.wait(timeout=0)
        r.wait_many(timeout=0.5, max=100)
        support.wait_until(lambda: r.in_flight == 0, r)

    def test_positional(self):
        a, b = socket.socketpair()
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        self.ring.submit_send(a, b"x", "u", 0)
        self.ring.submit_send_zc(a, b"x", "u", 0, 0)
        self.ring.submit_recv(b, bytearray(1), "u", 0)
        support.wait_until(lambda: self.ring.in_flight == 0, self.ring)


class TestIntegerArguments(support.SocketPairTest):
    """No integer argument is truncated to its C type (found by fuzzing)."""
    HUGE = (2 ** 32, 2 ** 64, -(2 ** 64))

    def tearDown(self):
        # nothing half-prepared stays behind a refused call
        self.assertEqual(self.ring.in_flight, 0)
        self.assertEqual(self.ring.submit(), 0)

    def raises(self, exc, name, fn, *args, **kw):
        with self.assertRaisesRegex(exc, r"\b%s\b" % name):
            fn(*args, **kw)

    def test_flags_are_u32(self):
        r, a, b = self.ring, self.a, self.b
        calls = {
            "submit_recv": (a, bytearray(1)),
            "submit_send": (b, b"x"),
            "submit_send_zc": (b, b"x"),
            "submit_recvmsg": (a, bytearray(1)),
            "submit_sendto": (b, b"x", ""),
            "submit_sendmsg": (b, b"x"),
            "submit_sendmsg_zc": (b, b"x"),
            "submit_recv_multishot": (a, 64, 4),
            "submit_accept": (a,),
            "submit_accept_multishot": (a,),
            "submit_socket": (socket.AF_UNIX, socket.SOCK_STREAM),
            "submit_openat": (os.devnull,),
        }
        for bad in (-1,) + self.HUGE:
            for meth, args in calls.items():
                with self.subTest(meth=meth, flags=bad):
                    self.raises(OverflowError, "flags", getattr(r, meth),
                                *args, flags=bad)
            self.raises(OverflowError, "flags", uring.Ring, flags=bad)
        self.raises(TypeError, "flags", r.submit_send, b, b"x", flags=1.5)
        self.raises(TypeError, "flags", r.submit_send, b, b"x", flags="0")
        # the top of the u32 range still reaches the kernel
        with self.assertRaises(OSError):
            uring.Ring(flags=2 ** 32 - 1)
        c = r.submit_send(b, b"x", flags=2 ** 31)
        support.wait_for(r, lambda x: x is c)

    def test_zc_flags_fit_ioprio(self):
        r, b = self.ring, self.b
        for bad in (-1, 2 ** 16) + self.HUGE:
            self.raises(OverflowError, "zc_flags", r.submit_send_zc, b, b"x",
                        None, 0, bad)
            self.raises(OverflowError, "zc_flags", r.submit_sendmsg_zc, b,
                        b"x", zc_flags=bad)

    def test_entries_sizes_counts(self):
        r, a = self.ring, self.a
        for bad in self.HUGE:
            self.raises(ValueError, "entries", uring.Ring, entries=bad)
            self.raises(ValueError, "buffer_size", r.submit_recv_multishot,
                        a, bad, 4)
            self.raises(ValueError, "buffer_count", r.submit_recv_multishot,
                        a, 64, bad)
            self.raises(ValueError, "length", r.submit_read, a, bad)
        for bad in (0, -1, 2 ** 64, -(2 ** 64)):
            self.raises(ValueError, "max", r.wait_many, 0, bad)
        for bad in (-2, 2 ** 63, 2 ** 64, -(2 ** 64)):
            self.raises(ValueError, "offset", r.submit_read, a, 1, bad)
            self.raises(ValueError, "offset", r.submit_write, a, b"x", bad)
        self.raises(TypeError, "entries", uring.Ring, 8.0)
        self.assertEqual(r.wait_many(0, None), [])
        self.assertEqual(r.wait_many(0, 2 ** 63 - 1), [])

    def test_fds(self):
        r = self.ring
        for bad in (-1, -(2 ** 32), -(2 ** 64)):
            self.raises(ValueError, "fd", r.submit_recv, bad, bytearray(1))
            self.raises(ValueError, "fd", r.submit_close, bad)
        for bad in (2 ** 31, 2 ** 32, 2 ** 64):
            self.raises(OverflowError, "fd", r.submit_send, bad, b"x")
            self.raises(OverflowError, "fd", r.submit_close, bad)
            self.raises(OverflowError, "dir_fd", r.submit_openat, "x",
                        dir_fd=bad)
            self.raises(OverflowError, "dir_fd", r.submit_openat, "x",
                        dir_fd=-bad - 1)

    def test_fileno_results(self):
        # what fileno() returns is checked as an int fd is
        class FileNo:
            def __init__(self, fd):
                self.fd = fd

            def fileno(self):
                return self.fd

        r = self.ring
        for bad in (2 ** 31, 2 ** 40, 2 ** 64):
            self.raises(OverflowError, "fd", r.submit_recv, FileNo(bad),
                        bytearray(1))
            self.raises(OverflowError, "fd", r.submit_connect, FileNo(bad),
                        ("127.0.0.1", 9))
            self.raises(OverflowError, "fd", r.submit_sendto, FileNo(bad),
                        b"x", ("127.0.0.1", 9))
        for bad in (-1, -(2 ** 40)):
            self.raises(ValueError, "fd", r.submit_send, FileNo(bad), b"x")
        self.raises(TypeError, "fd", r.submit_send, FileNo(1.5), b"x")
        self.raises(TypeError, "fd", r.submit_send, object(), b"x")
        c = r.submit_send(FileNo(self.b.fileno()), b"x")
        self.assertIs(support.wait_for(r, lambda x: x is c), c)
        self.assertEqual(c.res, 1)

    def test_how_domain_type_protocol_mode(self):
        r = self.ring
        for bad in (-1, 3) + self.HUGE:
            self.raises(ValueError, "how", r.submit_shutdown, self.b, bad)
        for bad in (-1, 2 ** 31) + self.HUGE:
            for name in ("domain", "type", "protocol"):
                kw = {"domain": socket.AF_UNIX, "type": socket.SOCK_STREAM}
                kw[name] = bad
                self.raises(OverflowError, name, r.submit_socket, **kw)
        for bad in (-1,) + self.HUGE:
            self.raises(OverflowError, "mode", r.submit_openat, "x", mode=bad)

    def test_user_data_is_any_int(self):
        c = self.ring.submit_nop(2 ** 100)
        self.assertIs(support.wait_for(self.ring), c)
        self.assertEqual(c.user_data, 2 ** 100)

    def test_timeouts(self):
        r = self.ring
        for bad in (-1, 2 ** 2000, -(2 ** 2000), float("nan")):
            self.raises(ValueError, "timeout", r.wait, bad)
            self.raises(ValueError, "timeout", r.wait_many, bad)
            self.raises(ValueError, "timeout", r.close, bad)
        self.raises(TypeError, "timeout", r.wait, "1")
        self.assertFalse(r.closed)

    def test_address_integers(self):
        r = self.ring
        tcp = socket.socket()
        self.addCleanup(tcp.close)
        for bad in (-1, 2 ** 16) + self.HUGE:
            self.raises(OverflowError, "port", r.submit_connect, tcp,
                        ("127.0.0.1", bad))
        try:
            s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        except OSError:
            self.skipTest("no IPv6 sockets here")
        self.addCleanup(s6.close)
        for bad in (-1,) + self.HUGE:
            self.raises(OverflowError, "port", r.submit_sendto, s6, b"x",
                        ("::1", bad))
            self.raises(OverflowError, "flowinfo", r.submit_sendto, s6, b"x",
                        ("::1", 9, bad))
            self.raises(OverflowError, "scope_id", r.submit_sendto, s6, b"x",
                        ("::1", 9, 0, bad))


class TestFiles(support.RingTest):
    def test_openat_write_read_close(self):
        d = tempfile.mkdtemp()
        path = os.path.join(d, "f.txt")
        self.addCleanup(os.rmdir, d)
        self.addCleanup(lambda: os.path.exists(path) and os.unlink(path))
        c = self.ring.submit_openat(path, os.O_CREAT | os.O_RDWR, 0o600)
        support.wait_for(self.ring)
        fd = c.result
        self.assertGreaterEqual(fd, 0)
        self.assertTrue(os.get_inheritable(fd) is False)
        c = self.ring.submit_write(fd, b"hello world", 0)
        support.wait_for(self.ring)
        self.assertEqual(c.result, 11)
        c = self.ring.submit_read(fd, 11, 0)
        support.wait_for(self.ring)
        self.assertEqual(c.result, b"hello world")
        buf = bytearray(5)
        c = self.ring.submit_read(fd, buf, 6)
        support.wait_for(self.ring)
        self.assertEqual((c.result, bytes(buf)), (5, b"world"))
        c = self.ring.submit_close(fd)
        support.wait_for(self.ring)
        self.assertEqual(c.res, 0)
        with self.assertRaises(OSError):
            os.fstat(fd)

    def test_openat_missing(self):
        c = self.ring.submit_openat("/nonexistent/dir/file")
        support.wait_for(self.ring)
        self.assertEqual(c.res, -errno.ENOENT)
        self.assertIsNone(c.result)

    def test_file_position(self):
        with tempfile.TemporaryFile() as f:
            c = self.ring.submit_write(f, b"abc")
            support.wait_for(self.ring)
            c = self.ring.submit_write(f, b"def")
            support.wait_for(self.ring)
            f.seek(0)
            self.assertEqual(f.read(), b"abcdef")


if __name__ == "__main__":
    unittest.main()
