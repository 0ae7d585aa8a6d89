# vpclab sandbox launcher: runs moto's server with a compatibility patch.
# Usage: python -c "<this file>" -H 127.0.0.1 -p PORT
import sys

# Exit code 97 tells vpclab that moto's server mode is not installed.
try:
    import moto, flask, flask_cors  # noqa: F401,E401
except ImportError as err:
    print(f"vpclab sandbox: {err}; install with: pip install 'moto[server]'", file=sys.stderr)
    sys.exit(97)

import moto.ecs.models as ecs_models

# moto 5.2.1 serializes a task's Container.cpu/memory as JSON numbers, but the
# ECS API model declares them strings, so aws-sdk-go-v2 fails to decode
# RunTask/DescribeTasks. Stringify them once, when the container is created.
_container_init = ecs_models.Container.__init__


def _container_init_strings(self, *args, **kwargs):
    _container_init(self, *args, **kwargs)
    for field in ("cpu", "memory"):
        value = getattr(self, field, None)
        if value is not None and not isinstance(value, str):
            setattr(self, field, str(value))


ecs_models.Container.__init__ = _container_init_strings

import moto.iam.models as iam_models  # noqa: E402

# moto 5.2.1 finds the account of a request's access key by asking every
# account's IAM backend in all six partitions, and asking creates the
# backends it asks for, each with the AWS managed policies loaded
# (MOTO_IAM_LOAD_MANAGED_POLICIES): about 26 MB and 0.6 s of CPU per
# account, so a class of 250 accounts exhausted the machine's memory, and
# every request grew slower with the number of accounts. A key lives only
# in a backend that exists: look in those alone, as the same lookup.


def _account_id_from(access_key):
    for account_id, account in list(iam_models.iam_backends.items()):
        for backend in list(dict.values(account)):
            if access_key in backend.access_keys:
                return account_id
    return iam_models.DEFAULT_ACCOUNT_ID


iam_models.get_account_id_from = _account_id_from

from moto.server import main  # noqa: E402

main(sys.argv[1:])
