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

from moto.server import main  # noqa: E402

main(sys.argv[1:])
