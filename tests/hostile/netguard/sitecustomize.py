"""Loaded by every Python process of a guarded scan (PYTHONPATH): records and refuses any attempt to
reach the network or to run another program than Python itself.

Each attempt is appended to the file named by CHECKOV_ACK_NETGUARD_LOG, then fails as it would
with no network, so that a scan that tries cannot hide it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

_LOG = os.environ.get("CHECKOV_ACK_NETGUARD_LOG", "")


def _record(what: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {what}\n")


def _refuse(name: str):  # type: ignore[no-untyped-def]
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        _record(f"{name} {args[1:2]!r}")
        raise OSError(101, f"network is unreachable (guarded: {name})")

    return refuse


def _getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    _record(f"getaddrinfo {host!r}")
    raise socket.gaierror(socket.EAI_NONAME, "name resolution refused (guarded)")


socket.socket.connect = _refuse("connect")  # type: ignore[method-assign]
socket.socket.connect_ex = _refuse("connect_ex")  # type: ignore[method-assign]
socket.socket.sendto = _refuse("sendto")  # type: ignore[method-assign]
socket.getaddrinfo = _getaddrinfo
socket.create_connection = _refuse("create_connection")  # type: ignore[assignment]

_popen_init = subprocess.Popen.__init__


# regopy picks its shared library with platform.processor(), which runs `uname -p` at import: the
# same in every scan, whatever the input, so it is allowed; every other program is recorded.
_ALLOWED = (["uname", "-p"],)


def _popen(self, args, *rest, **kwargs):  # type: ignore[no-untyped-def]
    program = args if isinstance(args, str) else args[0]
    if os.path.realpath(str(program)) != os.path.realpath(sys.executable) and list(args) not in _ALLOWED:
        _record(f"exec {args!r}")
    _popen_init(self, args, *rest, **kwargs)


subprocess.Popen.__init__ = _popen  # type: ignore[method-assign]
