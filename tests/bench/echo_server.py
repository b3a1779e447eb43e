#!/usr/bin/env python3
"""Loopback echo server for channel.sh: every connection gets back what it
sends. Writes its port to the file named by the first argument and runs
until killed."""
import socket
import sys
import threading


def echo(conn):
    with conn:
        while True:
            data = conn.recv(262144)
            if not data:
                return
            conn.sendall(data)


def main():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    with open(sys.argv[1], "w") as f:
        f.write(str(listener.getsockname()[1]))
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=echo, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
