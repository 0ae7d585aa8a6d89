# vpclab's aws: sends this command to the warm AWS CLI (server.py) with
# this process's stdin, stdout and stderr, and exits with its status.
# Anything not aimed at the local sandbox runs the real aws command
# instead, unchanged; or, in a shell that runs a lab's own commands
# (STRICT), is refused. The first line (the interpreter) and the
# constants are written by vpclab.
import os
import socket
import struct
import sys
from urllib.parse import urlparse

SOCKET = "@SOCKET@"
REAL_AWS = "@REAL_AWS@"
STRICT = @STRICT@
REFUSAL = @REFUSAL@


# @LOOPBACK@ (loopback.py)


def flag(arg, name, shortest):
    """Whether arg is --name or an abbreviation the CLI takes for it
    (argparse accepts --endpoint for --endpoint-url, --prof for --profile)."""
    key = arg.partition("=")[0]
    return len(key) >= len(shortest) and name.startswith(key)


def beyond_sandbox(env, args):
    """What in this command could reach past the sandbox, or ""."""
    if not env.get("AWS_ENDPOINT_URL"):
        return "AWS_ENDPOINT_URL is not set"
    for k, v in env.items():
        if (k == "AWS_ENDPOINT_URL" or k.startswith("AWS_ENDPOINT_URL_")) and not loopback(v):
            return "%s=%s" % (k, v)
    for i, a in enumerate(args):
        if flag(a, "--endpoint-url", "--en"):
            url = a.partition("=")[2] if "=" in a else (args[i + 1] if i + 1 < len(args) else "")
            if not loopback(url):
                return a
        if flag(a, "--profile", "--prof"):
            return a
    # Configured endpoints are ignored with this set, the sandbox's too.
    for k in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"):
        if env.get(k):
            return k
    return ""


if STRICT:
    why = beyond_sandbox(os.environ, sys.argv[1:])
    if why:
        sys.stderr.write("%s (%s)\n" % (REFUSAL, why))
        sys.exit(255)
elif not loopback(os.environ.get("AWS_ENDPOINT_URL", "")):
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
