#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Python-side speed of the uring module, side by side in one session.

1. Round trips per second over a socketpair (send, recv, send back, recv),
   driven from Python: through `uring`, with plain blocking sockets, and
   with asyncio's default event loop.
2. 64 KiB send throughput over TCP loopback from Python: plain sendall(),
   `uring` with one send per wait, `uring` with DEPTH sends per wait, and
   the C engine of `uring-tool bench send` for the same work.

Each figure is the median of --runs runs of --time seconds.

    uring-tool run bench/py_speed.py [--runs 5] [--time 1] [--json]
    PYTHONPATH=build/py python3 bench/py_speed.py
"""
import argparse
import asyncio
import json
import socket
import statistics
import sys
import threading
import time

import uring

MSG = b"x" * 64
CHUNK = 64 * 1024


def rt_sockets(secs):
    a, b = socket.socketpair()
    n, t_end = 0, time.perf_counter() + secs
    t0 = time.perf_counter()
    while time.perf_counter() < t_end:
        for _ in range(100):
            a.send(MSG)
            b.recv(4096)
            b.send(MSG)
            a.recv(4096)
        n += 100
    dt = time.perf_counter() - t0
    a.close()
    b.close()
    return n / dt


def rt_uring(secs):
    a, b = socket.socketpair()
    fa, fb = a.fileno(), b.fileno()
    ba, bb = bytearray(4096), bytearray(4096)
    n = 0
    with uring.Ring(16) as ring:
        wait_many = ring.wait_many
        t0 = time.perf_counter()
        t_end = t0 + secs
        while time.perf_counter() < t_end:
            for _ in range(100):
                ring.submit_recv(fb, bb)
                ring.submit_send(fa, MSG)
                got = 0
                while got < 2:
                    got += len(wait_many())
                ring.submit_recv(fa, ba)
                ring.submit_send(fb, MSG)
                got = 0
                while got < 2:
                    got += len(wait_many())
            n += 100
        dt = time.perf_counter() - t0
    a.close()
    b.close()
    return n / dt


def rt_asyncio(secs):
    async def main():
        loop = asyncio.get_running_loop()
        a, b = socket.socketpair()
        a.setblocking(False)
        b.setblocking(False)
        n, t0 = 0, time.perf_counter()
        t_end = t0 + secs
        while time.perf_counter() < t_end:
            for _ in range(100):
                await loop.sock_sendall(a, MSG)
                await loop.sock_recv(b, 4096)
                await loop.sock_sendall(b, MSG)
                await loop.sock_recv(a, 4096)
            n += 100
        dt = time.perf_counter() - t0
        a.close()
        b.close()
        return n / dt
    return asyncio.run(main())


def tcp_pair():
    srv = socket.create_server(("127.0.0.1", 0))
    cli = socket.create_connection(srv.getsockname())
    conn, _ = srv.accept()
    srv.close()
    return cli, conn


def drain(sock, stop, counter):
    buf = bytearray(1 << 20)
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            n = sock.recv_into(buf)
        except socket.timeout:
            continue
        except OSError:
            break
        if not n:
            break
        counter[0] += n


def with_receiver(send_loop, secs):
    cli, conn = tcp_pair()
    stop, counter = threading.Event(), [0]
    t = threading.Thread(target=drain, args=(conn, stop, counter))
    t.start()
    try:
        t0 = time.perf_counter()
        sent = send_loop(cli, secs)
        dt = time.perf_counter() - t0
    finally:
        stop.set()
        cli.close()
        t.join(5)
        conn.close()
    return sent / dt * 8 / 1e9  # Gbit/s of what was sent


def tp_sockets(secs):
    data = bytes(CHUNK)

    def loop(cli, secs):
        sent, t_end = 0, time.perf_counter() + secs
        while time.perf_counter() < t_end:
            for _ in range(16):
                cli.sendall(data)
            sent += 16 * CHUNK
        return sent
    return with_receiver(loop, secs)


def tp_uring(secs, depth):
    data = bytes(CHUNK)

    def loop(cli, secs):
        fd, sent = cli.fileno(), 0
        with uring.Ring(max(8, depth)) as ring:
            inflight = 0
            t_end = time.perf_counter() + secs
            while time.perf_counter() < t_end:
                while inflight < depth:
                    ring.submit_send(fd, data, None, socket.MSG_WAITALL)
                    inflight += 1
                for c in ring.wait_many():
                    inflight -= 1
                    if c.res < 0:
                        raise OSError(-c.res, "send")
                    sent += c.res
            while inflight:
                inflight -= len(ring.wait_many(5))
        return sent
    return with_receiver(loop, secs)


def tp_c_engine(secs, depth):
    d = uring.bench("send", size="64K", time="%dms" % (secs * 1000),
                    warmup="100ms", depth=depth)
    return d["results"][0]["gbit_per_s"]


def median_of(fn, runs):
    vals = [fn() for _ in range(runs)]
    return statistics.median(vals), vals


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--time", type=float, default=1.0, help="seconds per run")
    ap.add_argument("--depth", type=int, default=8, help="sends in flight per wait")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv[1:])
    if not uring.is_available():
        print("io_uring is not available here", file=sys.stderr)
        return 3
    s, r = a.time, a.runs
    res = {}
    res["rt_sockets"] = median_of(lambda: rt_sockets(s), r)
    res["rt_uring"] = median_of(lambda: rt_uring(s), r)
    res["rt_asyncio"] = median_of(lambda: rt_asyncio(s), r)
    res["tp_sockets"] = median_of(lambda: tp_sockets(s), r)
    res["tp_uring_1"] = median_of(lambda: tp_uring(s, 1), r)
    res["tp_uring_depth"] = median_of(lambda: tp_uring(s, a.depth), r)
    if hasattr(uring, "bench"):
        res["tp_c_engine"] = median_of(lambda: tp_c_engine(s, a.depth), r)
    med = {k: v[0] for k, v in res.items()}
    if a.json:
        json.dump({"runs": r, "time_s": s, "depth": a.depth,
                   "median": med, "all": {k: v[1] for k, v in res.items()}},
                  sys.stdout, indent=2)
        print()
        return 0
    print("round trips/s over a socketpair (64-byte messages), median of %d x %gs"
          % (r, s))
    for k, name in (("rt_uring", "uring (4 ops, 2 waits per trip)"),
                    ("rt_sockets", "plain blocking sockets"),
                    ("rt_asyncio", "asyncio default loop")):
        print("  %-34s %10.0f  %5.2fx" % (name, med[k], med[k] / med["rt_uring"]))
    print("\n64 KiB sends over TCP loopback from Python, Gbit/s, median of %d x %gs"
          % (r, s))
    rows = [("tp_sockets", "plain sendall()"),
            ("tp_uring_1", "uring, 1 send per wait"),
            ("tp_uring_depth", "uring, %d sends per wait" % a.depth),
            ("tp_c_engine", "C engine (bench send, depth %d)" % a.depth)]
    for k, name in rows:
        if k in med:
            print("  %-34s %10.2f  %5.2fx" % (name, med[k], med[k] / med["tp_uring_depth"]))
    if "tp_c_engine" in med:
        print("\nPython at depth %d reaches %.0f%% of the C engine's rate"
              % (a.depth, 100 * med["tp_uring_depth"] / med["tp_c_engine"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
