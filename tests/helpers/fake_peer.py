# SPDX-License-Identifier: MIT
"""A scripted peer for bench's two-host control connection (tests only).

usage: fake_peer.py server PORTFILE REPLY   listen on 127.0.0.1, write the
           port to PORTFILE, read the client's first line, answer REPLY (a
           line sent as is), then wait (bounded) for the client to hang up
       fake_peer.py session PORTFILE ROW [HELLO_OK]
                                             the same listener, but a whole
           conversation: hello_ok, then for each run a data port (whatever
           arrives there is read and dropped), ready, and after start a row
           of plausible figures with ROW (a JSON object) merged into it, key
           by key (nested objects too; intervals replace the list); HELLO_OK
           likewise into the hello_ok
       fake_peer.py client PORT LINE...      connect to a real server, send
           each LINE (newlines in it are kept), print every line it answers
           until it hangs up

Either way the whole exchange is bounded by 10 seconds. Python's json
module keeps integers of any size and writes NaN and Infinity, so a ROW can
carry what no honest peer sends.
"""
import json
import os
import socket
import sys
import threading


def first_line(sock):
    buf = b""
    while b"\n" not in buf:
        chunk = sock.recv(4096)
        if not chunk:
            break
        buf += chunk
    return buf.split(b"\n", 1)[0].decode()


class Lines:
    """Lines from a socket, one at a time; None once it hangs up."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def next(self):
        while b"\n" not in self.buf:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode(errors="backslashreplace")


def listen(portfile):
    lsock = socket.create_server(("127.0.0.1", 0))
    lsock.settimeout(10)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % lsock.getsockname()[1])
    # rename: the test never reads a half-written port
    os.rename(portfile + ".tmp", portfile)
    conn, _ = lsock.accept()
    conn.settimeout(10)
    return conn


def drain_until_hangup(conn):
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass


def server(portfile, reply):
    conn = listen(portfile)
    hello = first_line(conn)
    print(hello, flush=True)
    conn.sendall(reply.encode() + b"\n")
    drain_until_hangup(conn)


def merge(base, over):
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            merge(base[k], v)
        else:
            base[k] = v
    return base


def send(conn, obj):
    conn.sendall(json.dumps(obj).encode() + b"\n")


def data_port():
    """A data listener whose connections are read and dropped."""
    lsock = socket.create_server(("127.0.0.1", 0))
    lsock.settimeout(10)

    def accept():
        while True:
            try:
                c, _ = lsock.accept()
            except OSError:
                return
            c.settimeout(10)
            threading.Thread(target=drain_until_hangup, args=(c,),
                             daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return lsock.getsockname()[1]


def plausible_row(size, sender):
    ns, nbytes = 200000000, size * 1000
    side = {"op": "recv" if sender else "send", "bytes": nbytes,
            "msgs": 1000, "bytes_total": nbytes * 2, "msgs_total": 2000,
            "syscalls": 1000, "cpu_user_pct": 1.5, "cpu_sys_pct": 20.0,
            "cpu_includes_sq_thread": False, "ring_flags": 0,
            "fixed_buffers": False, "fixed_files": False}
    return {"type": "row", "side": side, "duration_ns": ns,
            "interrupted": False,
            "intervals": [{"start_ns": 0, "end_ns": ns, "bytes": nbytes,
                           "msgs": 1000}]}


def session(portfile, row, hello_ok="{}"):
    conn = listen(portfile)
    lines = Lines(conn)
    hello = json.loads(lines.next())
    print(json.dumps(hello), flush=True)
    sender = hello.get("client_side") == "sender"
    send(conn, merge({"type": "hello_ok", "version": 1,
                      "server_side": "receiver" if sender else "sender"},
                     json.loads(hello_ok)))
    while True:
        line = lines.next()
        if line is None:
            break
        print(line, flush=True)
        msg = json.loads(line)
        if msg.get("type") != "run":
            continue
        send(conn, {"type": "port", "port": data_port()})
        send(conn, {"type": "ready", "ok": True})
        line = lines.next()
        if line is None:
            break
        print(line, flush=True)
        send(conn, merge(plausible_row(msg["size_bytes"], sender),
                         json.loads(row)))


def client(port, *lines):
    sock = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
    sock.sendall(b"".join(line.encode() + b"\n" for line in lines))
    answers = Lines(sock)
    while True:
        line = answers.next()
        if line is None:
            break
        print(line, flush=True)


if __name__ == "__main__":
    modes = {"server": (server, 2, 2), "session": (session, 2, 3),
             "client": (client, 2, None)}
    mode = modes.get(sys.argv[1] if len(sys.argv) > 1 else "")
    nargs = len(sys.argv) - 2
    if not mode or nargs < mode[1] or (mode[2] and nargs > mode[2]):
        sys.exit(__doc__)
    mode[0](*sys.argv[2:])
