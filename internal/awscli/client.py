# vpclab's aws: sends this command to the warm AWS CLI (server.py) with
# this process's stdin, stdout and stderr, and exits with its status.
# Anything not aimed at the local sandbox runs the real aws command
# instead, unchanged. The first line (the interpreter) and the two
# constants are written by vpclab.
import os
import socket
import struct
import sys
from urllib.parse import urlparse

SOCKET = "@SOCKET@"
REAL_AWS = "@REAL_AWS@"

if (urlparse(os.environ.get("AWS_ENDPOINT_URL", "")).hostname or "") not in ("127.0.0.1", "localhost", "::1"):
    os.execv(REAL_AWS, [REAL_AWS] + sys.argv[1:])
try:
    c = socket.socket(socket.AF_UNIX)
    c.connect(SOCKET)
except OSError:
    os.execv(REAL_AWS, [REAL_AWS] + sys.argv[1:])  # the server is gone: the slow way
env = ["%s=%s" % kv for kv in os.environ.items()]
body = "\0".join([os.getcwd(), str(len(env))] + env + sys.argv[1:]).encode("utf-8", "surrogateescape")
socket.send_fds(c, [struct.pack("!I", len(body)) + body], [0, 1, 2])
rc = b""
while len(rc) < 4:
    more = c.recv(4 - len(rc))
    if not more:
        sys.exit(255)
    rc += more
sys.exit(struct.unpack("!i", rc)[0] & 0xFF)
