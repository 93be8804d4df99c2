#!/usr/bin/env python3
# free-ports.py N - print N distinct free TCP ports on 127.0.0.1 (one line,
# space-separated).  The sockets are held open until all are chosen, so the
# N ports differ; another process may still take one before the server
# binds it, which the start scripts detect (the server fails to start).
import socket
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1
socks = []
for _ in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
