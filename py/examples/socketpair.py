#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""uring-api's socketpair round trip, ported to `uring` (only the import
changes): a receive is submitted before the data exists; the completion
carries the user_data object back.

    uring-tool run py/examples/socketpair.py
"""
import socket
import sys

import uring


def main():
    reader, writer = socket.socketpair()
    try:
        reader.setblocking(False)
        writer.setblocking(False)

        with uring.Ring() as ring:
            token = {"operation": "greeting"}
            buf = bytearray(5)
            ring.submit_recv(reader.fileno(), buf, token)
            writer.send(b"hello")

            completion = ring.wait(1.0)

            assert completion is not None
            assert completion.user_data is token
            assert bytes(buf) == b"hello"
            print(completion.res, completion.result, bytes(buf))
    finally:
        reader.close()
        writer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
