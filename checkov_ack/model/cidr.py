"""CIDR facts computed once by the adapters so Rego never needs `net.*` (regopy lacks it)."""

from __future__ import annotations

import ipaddress
from typing import Any

# Ranges the catalog calls private: RFC 1918, Alibaba's 100.64.0.0/10, link-local, loopback,
# IPv6 ULA and link-local. Anything else is an internet peer.
_PRIVATE_NETS = [
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "169.254.0.0/16",
        "127.0.0.0/8",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
    )
]


class CidrError(ValueError):
    """The text is not an IPv4/IPv6 address or CIDR block."""


def _hex(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    width = 8 if address.version == 4 else 32
    return format(int(address), f"0{width}x")


def parse_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """Parse a CIDR or bare address leniently (host bits allowed, as the API accepts them)."""
    if not isinstance(text, str) or not text.strip():
        raise CidrError(f"not a CIDR block: {text!r}")
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError as exc:
        raise CidrError(f"not a CIDR block: {text!r}") from exc


def is_private(net: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    return any(net.version == p.version and net.subnet_of(p) for p in _PRIVATE_NETS)  # type: ignore[arg-type]


def cidr_facts(text: str) -> dict[str, Any]:
    """The facts policies compare: family, first/last address as fixed-width hex, private or not.

    Fixed-width lowercase hex compares lexicographically in the same order as the addresses, so
    containment is two string comparisons within one family.
    """
    net = parse_network(text)
    private = is_private(net)
    return {
        "cidr": str(net),
        "family": net.version,
        "first": _hex(net.network_address),
        "last": _hex(net.broadcast_address),
        "prefix_len": net.prefixlen,
        "private": private,
        "internet": not private,
    }


def contains(outer: dict[str, Any], inner: dict[str, Any]) -> bool:
    """Python twin of the Rego containment test, for adapters and tests."""
    return bool(
        outer["family"] == inner["family"]
        and outer["first"] <= inner["first"]
        and inner["last"] <= outer["last"]
    )
