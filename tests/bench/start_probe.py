#!/usr/bin/env python3
"""Time one start of a server until its TCP port accepts a connection.

usage: start_probe.py PORT LOGFILE -- COMMAND [ARGS...]

The clock starts just before fork/exec of COMMAND and stops at the first
successful connect() to 127.0.0.1:PORT; connection attempts are repeated
about every 0.5 ms. The process is then sent SIGTERM and reaped. Prints one
line "START_MS STOP_MS" (stop = SIGTERM until the process has exited).
Exit status 1 when the server dies first or does not listen within 15 s.
"""

import signal
import socket
import subprocess
import sys
import time

POLL_INTERVAL_S = 0.0005
START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(("127.0.0.1", port))
            return True
        except (ConnectionRefusedError, socket.timeout):
            return False


def main() -> int:
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    port = int(sys.argv[1])
    command = sys.argv[4:]

    if port_open(port):
        print(f"port {port} is already in use", file=sys.stderr)
        return 1

    with open(sys.argv[2], "ab") as log:
        t0 = time.perf_counter_ns()
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not port_open(port):
            if proc.poll() is not None:
                print(f"server exited with {proc.returncode} before listening",
                      file=sys.stderr)
                return 1
            if time.monotonic() > deadline:
                print(f"port {port} not open after {START_TIMEOUT_S}s",
                      file=sys.stderr)
                return 1
            time.sleep(POLL_INTERVAL_S)
        t1 = time.perf_counter_ns()

        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            print("server ignored SIGTERM; killing it", file=sys.stderr)
            proc.kill()
            proc.wait()
            return 1
        t2 = time.perf_counter_ns()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    print(f"{(t1 - t0) / 1e6:.2f} {(t2 - t1) / 1e6:.2f}")
    return 0


if __name__ == "__main__":
    # A TERM from the calling script must still reap the child (finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
