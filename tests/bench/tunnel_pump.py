#!/usr/bin/env python3
"""Pushes MB megabytes through HOST:PORT (a tunnel to an echo server) and
reads them back; prints the seconds it took as JSON."""
import json
import selectors
import socket
import sys
import time


def main():
    host, port, megabytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    total = megabytes * 1024 * 1024
    chunk = bytes(range(256)) * 256  # 64 KiB
    sock = socket.create_connection((host, port))
    sock.setblocking(False)
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
    sent = received = 0
    started = time.monotonic()
    while received < total:
        for _, events in selector.select(timeout=30):
            if events & selectors.EVENT_WRITE and sent < total:
                try:
                    sent += sock.send(chunk[: min(len(chunk), total - sent)])
                except BlockingIOError:
                    pass
                if sent == total:
                    selector.modify(sock, selectors.EVENT_READ)
            if events & selectors.EVENT_READ:
                try:
                    data = sock.recv(262144)
                except BlockingIOError:
                    continue
                if not data:
                    raise SystemExit("tunnel closed after %d bytes" % received)
                received += len(data)
    print(json.dumps({"seconds": time.monotonic() - started, "bytes_each_way": total}))


if __name__ == "__main__":
    main()
