# SPDX-License-Identifier: MIT
"""A scripted peer for bench's two-host control connection (tests only).

usage: fake_peer.py server PORTFILE REPLY   listen on 127.0.0.1, write the
           port to PORTFILE, read the client's first line, answer REPLY (a
           line sent as is), then wait (bounded) for the client to hang up
       fake_peer.py client PORT LINE         connect to a real server, send
           LINE, print the first line it answers

Either way the whole exchange is bounded by 10 seconds.
"""
import socket
import sys


def first_line(sock):
    buf = b""
    while b"\n" not in buf:
        chunk = sock.recv(4096)
        if not chunk:
            break
        buf += chunk
    return buf.split(b"\n", 1)[0].decode()


def server(portfile, reply):
    lsock = socket.create_server(("127.0.0.1", 0))
    lsock.settimeout(10)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % lsock.getsockname()[1])
    # rename: the test never reads a half-written port
    import os
    os.rename(portfile + ".tmp", portfile)
    conn, _ = lsock.accept()
    conn.settimeout(10)
    hello = first_line(conn)
    print(hello, flush=True)
    conn.sendall(reply.encode() + b"\n")
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass


def client(port, line):
    sock = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
    sock.sendall(line.encode() + b"\n")
    print(first_line(sock), flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("server", "client"):
        sys.exit(__doc__)
    (server if sys.argv[1] == "server" else client)(sys.argv[2], sys.argv[3])
