# vpclab's warm AWS CLI: the AWS CLI (v1, the awscli Python package) loaded
# once, then forked for each command a lab shell runs against the sandbox.
# Each child gets the caller's stdin, stdout and stderr (passed over the
# Unix socket), its working directory, environment and arguments, runs the
# CLI's own clidriver exactly as the aws script does, and sends back the
# exit status. Only the parsed service models are shared, read-only.
#
# Usage: python3 server.py SOCKET   (prints "ready" once listening; stops
# when its standard input closes, that is when vpclab exits)
import gc
import os
import socket
import struct
import sys
import threading

import awscli
from awscli.clidriver import create_clidriver
import botocore

DATA = os.environ.get("AWS_DATA_PATH", "")  # awscli's own data path, set at import
MAX_CHILDREN = 16
MAX_REQUEST = 4 << 20
# Usage: server.py SOCKET [strict REFUSAL]: strict refuses any request that
# would leave this machine (see only_loopback).
STRICT = len(sys.argv) > 3 and sys.argv[2] == "strict"
REFUSAL = sys.argv[3] if STRICT else ""


# Commands run once at start, against a closed loopback port, so that what
# the CLI loads or compiles on first use (modules, endpoint rules, output
# formatters, JMESPath) is in the parent: a child that had to do it again
# cost about 2.5 times as much CPU.
WARM_COMMANDS = (
    ["ec2", "describe-vpcs", "--query", "Vpcs[0].VpcId", "--output", "text"],
    ["ec2", "create-tags", "--resources", "vpc-0", "--tags", "Key=k,Value=v"],
    ["ecs", "list-clusters", "--output", "json"],
    ["elbv2", "describe-load-balancers", "--output", "table"],
    ["sts", "get-caller-identity"],
    ["logs", "describe-log-groups"],
    ["iam", "list-roles"],
    ["cloudformation", "list-stacks"],
)


def warm():
    d = create_clidriver()
    loader = d.session.get_component("data_loader")
    d.session.get_data("cli")
    for svc in ("ec2", "ecs", "elbv2", "sts", "cloudformation", "iam", "logs"):
        try:
            d.session.create_client(svc, region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                                    aws_access_key_id="warm", aws_secret_access_key="warm")
            for kind in ("paginators-1", "waiters-2"):
                try:
                    loader.load_service_model(svc, kind)
                except Exception:
                    pass
        except Exception:
            pass
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update({k: v for k, v in saved.items() if not k.startswith("AWS_")})
    os.environ.update(AWS_ENDPOINT_URL="http://127.0.0.1:9", AWS_ACCESS_KEY_ID="warm",
                      AWS_SECRET_ACCESS_KEY="warm", AWS_DEFAULT_REGION="us-east-1",
                      AWS_MAX_ATTEMPTS="1", AWS_EC2_METADATA_DISABLED="true",
                      AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    out, err = sys.stdout, sys.stderr
    try:
        with open(os.devnull, "w") as null:
            sys.stdout = sys.stderr = null
            for args in WARM_COMMANDS:
                try:
                    w = create_clidriver()
                    w.session.register_component("data_loader", loader)
                    w.main(args + ["--cli-connect-timeout", "1", "--cli-read-timeout", "1"])
                except BaseException:
                    pass
    finally:
        sys.stdout, sys.stderr = out, err
        os.environ.clear()
        os.environ.update(saved)
    # Children never free the parent's objects: keep the collector from
    # walking (and so copying) them in every child.
    gc.freeze()
    return loader


# @LOOPBACK@ (loopback.py)


class Refused(Exception):
    pass


def only_loopback(request, **kwargs):
    """botocore's before-send: in a lab's shell nothing leaves this machine,
    whatever the command's flags, profile or config file said."""
    if not loopback(request.url):
        from urllib.parse import urlparse
        raise Refused("%s (%s)" % (REFUSAL, urlparse(request.url).hostname))


def recv_request(conn):
    msg, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
    if len(msg) < 4 or len(fds) != 3:
        raise ValueError("bad request")
    n = struct.unpack("!I", msg[:4])[0]
    if n > MAX_REQUEST:
        raise ValueError("request too large")
    while len(msg) < 4 + n:
        more = conn.recv(1 << 16)
        if not more:
            raise ValueError("short request")
        msg += more
    parts = msg[4:4 + n].decode("utf-8", "surrogateescape").split("\0")
    cwd, nenv = parts[0], int(parts[1])
    return fds, cwd, parts[2:2 + nenv], parts[2 + nenv:]


def child(conn, loader):
    try:
        fds, cwd, env, args = recv_request(conn)
    except Exception:
        os._exit(255)
    for i, fd in enumerate(fds):
        os.dup2(fd, i)
        os.close(fd)
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    os.environ.clear()
    for kv in env:
        k, _, v = kv.partition("=")
        os.environ[k] = v
    # As awscli/__init__.py does at import: its data first, then the caller's.
    own = os.environ.get("AWS_DATA_PATH", "")
    os.environ["AWS_DATA_PATH"] = os.pathsep.join([p for p in (DATA, own) if p])
    if not loopback(os.environ.get("AWS_ENDPOINT_URL", "")):
        sys.stderr.write("vpclab's warm AWS CLI serves the local sandbox only\n")
        sys.stderr.flush()
        conn.sendall(struct.pack("!i", 255))
        os._exit(0)

    def watch():  # the caller is gone (killed, timed out): so is this command
        try:
            conn.recv(1)
        finally:
            os._exit(130)

    threading.Thread(target=watch, daemon=True).start()
    rc = 255
    try:
        os.chdir(cwd)
        sys.argv = ["aws"] + args  # usage errors name "aws", as the aws script's do
        d = create_clidriver()
        if not own:
            d.session.register_component("data_loader", loader)
        if STRICT:
            d.session.register("before-send", only_loopback)
        rc = d.main(args)
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except KeyboardInterrupt:
        rc = 130
    except Exception as e:  # what the aws script would print as a traceback
        sys.stderr.write("%s: %s\n" % (type(e).__name__, e))
        rc = 255
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    try:
        conn.sendall(struct.pack("!i", rc or 0))
    except Exception:
        pass
    os._exit(0)


def main():
    loader = warm()
    path = sys.argv[1]
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(path)
    os.chmod(path, 0o600)
    srv.listen(64)

    def stdin_closed():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=stdin_closed, daemon=True).start()
    print("ready", awscli.__version__, botocore.__version__, sys.executable, flush=True)
    children = set()
    while True:
        conn, _ = srv.accept()
        while children:  # reap; wait when too many commands run at once
            flags = 0 if len(children) >= MAX_CHILDREN else os.WNOHANG
            try:
                pid, _ = os.waitpid(-1, flags)
            except ChildProcessError:
                children.clear()
                break
            if pid == 0:
                break
            children.discard(pid)
        pid = os.fork()
        if pid == 0:
            srv.close()
            child(conn, loader)
        children.add(pid)
        conn.close()


main()
