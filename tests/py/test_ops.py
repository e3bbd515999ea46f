# SPDX-License-Identifier: MIT
"""Socket set-up operations, multishot and cancel."""
import errno
import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import support  # noqa: E402
import uring  # noqa: E402


class TestSetup(support.RingTest):
    def test_socket_connect_accept(self):
        srv = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(srv.close)
        sc = self.ring.submit_socket(socket.AF_INET, socket.SOCK_STREAM)
        support.wait_for(self.ring)
        if sc.res == -errno.EINVAL or sc.res == -errno.EOPNOTSUPP:
            self.skipTest("kernel lacks IORING_OP_SOCKET")
        self.assertGreaterEqual(sc.result, 0)
        cli = socket.socket(fileno=sc.result)
        self.addCleanup(cli.close)
        ac = self.ring.submit_accept(srv, "acc", socket.SOCK_CLOEXEC)
        cc = self.ring.submit_connect(cli, srv.getsockname(), "conn")
        support.wait_until(lambda: ac.done and cc.done, self.ring)
        self.assertEqual(cc.res, 0)
        self.assertGreaterEqual(ac.result, 0)
        conn = socket.socket(fileno=ac.result)
        self.addCleanup(conn.close)
        cli.sendall(b"over tcp")
        self.assertEqual(conn.recv(8), b"over tcp")

    def test_connect_refused(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        cli = socket.socket()
        self.addCleanup(cli.close)
        c = self.ring.submit_connect(cli, ("127.0.0.1", port))
        support.wait_for(self.ring)
        self.assertEqual(c.res, -errno.ECONNREFUSED)

    def test_ipv6_and_unix_addresses(self):
        if socket.has_ipv6:
            try:
                srv6 = socket.create_server(("::1", 0), family=socket.AF_INET6)
            except OSError:
                srv6 = None
            if srv6:
                self.addCleanup(srv6.close)
                cli = socket.socket(socket.AF_INET6)
                self.addCleanup(cli.close)
                c = self.ring.submit_connect(cli, srv6.getsockname()[:2])
                support.wait_for(self.ring)
                self.assertEqual(c.res, 0)
        path = b"\0uring-test-%d" % os.getpid()
        srv = socket.socket(socket.AF_UNIX)
        srv.bind(path)
        srv.listen()
        self.addCleanup(srv.close)
        cli = socket.socket(socket.AF_UNIX)
        self.addCleanup(cli.close)
        c = self.ring.submit_connect(cli, path)
        support.wait_for(self.ring)
        self.assertEqual(c.res, 0)

    def test_close_raw_fd(self):
        r, w = os.pipe()
        os.close(r)
        c = self.ring.submit_close(w)
        support.wait_for(self.ring)
        self.assertEqual(c.res, 0)
        with self.assertRaises(OSError):
            os.fstat(w)


class TestMultishot(support.RingTest):
    @support.needs("IORING_ACCEPT_MULTISHOT")
    def test_accept_multishot(self):
        srv = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(srv.close)
        h = self.ring.submit_accept_multishot(srv, "srv", socket.SOCK_CLOEXEC)
        clients = [socket.create_connection(srv.getsockname()) for _ in range(3)]
        for c in clients:
            self.addCleanup(c.close)
        got = [support.wait_for(self.ring) for _ in range(3)]
        self.assertEqual([c.sequence for c in got], [0, 1, 2])
        for c in got:
            self.assertIs(c.user_data, "srv")
            self.assertTrue(c.more)
            self.assertEqual(c.kind, uring.COMPLETION_KIND_ACCEPT_MULTISHOT)
            os.close(c.result)
        self.assertFalse(h.done)
        cancel = self.ring.submit_cancel(h)
        support.wait_until(lambda: h.done and cancel.done, self.ring)
        self.assertEqual(cancel.res, 0)
        self.assertEqual(h.res, -errno.ECANCELED)
        self.assertEqual(self.ring.in_flight, 0)

    @support.needs("IORING_RECV_MULTISHOT")
    def test_recv_multishot(self):
        a, b = socket.socketpair()
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        h = self.ring.submit_recv_multishot(a, 16, 4, "ms")
        got = []
        for i in range(10):  # more messages than buffers: they are recycled
            b.send(b"msg%d" % i)
            got.append(support.wait_for(self.ring))
        self.assertEqual([c.result for c in got], [b"msg%d" % i for i in range(10)])
        self.assertEqual([c.sequence for c in got], list(range(10)))
        self.assertTrue(all(c.flags & uring.IORING_CQE_F_BUFFER for c in got))
        b.close()
        last = support.wait_for(self.ring)
        self.assertEqual(last.result, b"")
        self.assertFalse(last.more)
        self.assertTrue(h.done)
        self.assertEqual(self.ring.in_flight, 0)

    @support.needs("IORING_RECV_MULTISHOT")
    def test_recv_multishot_cancel(self):
        a, b = socket.socketpair()
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        h = self.ring.submit_recv_multishot(a, 16, 2)
        self.ring.submit_cancel(h)
        support.wait_until(lambda: h.done, self.ring)
        self.assertEqual(h.res, -errno.ECANCELED)
        support.wait_until(lambda: self.ring.in_flight == 0, self.ring)


class TestCancel(support.RingTest):
    def test_cancel_recv(self):
        a, b = socket.socketpair()
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        rc = self.ring.submit_recv(a, bytearray(4), "recv")
        cc = self.ring.submit_cancel(rc, "cancel")
        support.wait_until(lambda: rc.done and cc.done, self.ring)
        self.assertEqual(rc.res, -errno.ECANCELED)
        self.assertEqual(cc.res, 0)
        self.assertEqual(cc.kind, uring.COMPLETION_KIND_CANCEL)
        # cancelling what has finished: ENOENT, never another operation
        cc = self.ring.submit_cancel(rc)
        support.wait_for(self.ring, lambda c: c is cc)
        self.assertEqual(cc.res, -errno.ENOENT)

    def test_cancel_misuse(self):
        with self.assertRaises(TypeError):
            self.ring.submit_cancel("not a completion")
        with uring.Ring() as other:
            c = other.submit_nop()
            other.wait(1)
            with self.assertRaises(ValueError):
                self.ring.submit_cancel(c)


if __name__ == "__main__":
    unittest.main()
