#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A threaded echo over a socketpair with serve_completions(): two worker
threads wait for completions and call ring.callback; the callback echoes
every received chunk back and re-arms the receive. The main thread only
submits and checks the replies.

    uring-tool run py/examples/serve_echo.py [MESSAGES]
"""
import socket
import sys
import threading

import uring


def main(argv):
    count = int(argv[1]) if len(argv) > 1 else 20
    server, client = socket.socketpair()
    client.settimeout(5.0)
    replies = 0
    errors = []
    with uring.Ring(64) as ring:
        def on_completion(c):
            if c.res < 0:
                errors.append(c)
            elif c.user_data[0] == "recv" and c.res > 0:
                buf = c.user_data[1]
                ring.submit_send(server, bytes(buf[:c.res]), ("send", None))
                ring.submit_recv(server, buf, c.user_data)

        ring.callback = on_completion
        workers = [threading.Thread(target=ring.serve_completions)
                   for _ in range(2)]
        for w in workers:
            w.start()
        try:
            buf = bytearray(4096)
            ring.submit_recv(server, buf, ("recv", buf))
            for i in range(count):
                msg = b"ping %d" % i
                client.sendall(msg)
                got = b""
                while len(got) < len(msg):
                    got += client.recv(4096)
                assert got == msg, (got, msg)
                replies += 1
        finally:
            ring.stop_serving()
            for w in workers:
                w.join(5.0)
    server.close()
    client.close()
    if errors:
        print("errors:", errors)
        return 1
    print("echoed %d messages with %d workers" % (replies, len(workers)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
