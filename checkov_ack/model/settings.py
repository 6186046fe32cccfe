"""Scan settings: profile, declared application exposures, overrides for what sources cannot tell.

They come from `.checkov-ack.yaml` and the command line, and travel inside the normalized document
so that `opa eval` on a printed document gives the scanner's verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checkov_ack.errors import UsageError
from checkov_ack.model.cidr import CidrError, cidr_facts
from checkov_ack.model.ports import parse_port_range

PROFILES = ("recommended", "least-privilege")
PLUGINS = ("flannel", "terway")
SG_TYPES = {"basic": "basic", "normal": "basic", "advanced": "advanced", "enterprise": "advanced"}
PROTOCOLS = ("tcp", "udp", "icmp", "gre", "icmpv6", "all")


@dataclass
class Exposure:
    direction: str
    protocol: str
    port_from: int
    port_to: int
    peers: list[str]

    def to_document(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "protocol": self.protocol,
            "port_from": self.port_from,
            "port_to": self.port_to,
            "peers": [cidr_facts(p) for p in self.peers],
        }


@dataclass
class Overrides:
    network_plugin: str | None = None
    sg_type: str | None = None
    api_server_address: str | None = None
    vpc_cidrs: list[str] = field(default_factory=list)
    vswitch_cidrs: list[str] = field(default_factory=list)
    pod_cidr: str | None = None

    def to_document(self) -> dict[str, Any]:
        return {
            "network_plugin": self.network_plugin,
            "sg_type": self.sg_type,
            "api_server_address": self.api_server_address,
            "vpc_cidrs": list(self.vpc_cidrs),
            "vswitch_cidrs": list(self.vswitch_cidrs),
            "pod_cidr": self.pod_cidr,
        }


@dataclass
class Settings:
    profile: str = "recommended"
    exposures: list[Exposure] = field(default_factory=list)
    overrides: Overrides = field(default_factory=Overrides)

    def to_document(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "exposures": [e.to_document() for e in self.exposures],
            "overrides": self.overrides.to_document(),
        }


def _check_cidr(text: str, what: str) -> str:
    try:
        cidr_facts(text)
    except CidrError as exc:
        raise UsageError(f"{what}: {exc}") from None
    return text


def parse_exposure(text: str) -> list[Exposure]:
    """`ingress:tcp:80,443:0.0.0.0/0` (peers comma-separated; ports `N`, `A-B` or `A/B`)."""
    parts = text.split(":", 3)
    if len(parts) != 4:
        raise UsageError(f"exposure {text!r}: expected DIRECTION:PROTOCOL:PORTS:PEERS")
    direction, protocol, ports, peers = (p.strip().lower() for p in parts)
    if direction not in ("ingress", "egress"):
        raise UsageError(f"exposure {text!r}: direction must be ingress or egress")
    if protocol not in PROTOCOLS:
        raise UsageError(f"exposure {text!r}: protocol must be one of {', '.join(PROTOCOLS)}")
    peer_list = [_check_cidr(p.strip(), f"exposure {text!r}") for p in peers.split(",") if p.strip()]
    if not peer_list:
        raise UsageError(f"exposure {text!r}: no peer CIDR")
    out = []
    for chunk in ports.split(","):
        chunk = chunk.strip()
        if chunk in ("*", "all", "-1", "-1/-1"):
            out.append(Exposure(direction, protocol, -1, -1, peer_list))
            continue
        rng = parse_port_range(chunk.replace("-", "/") if "/" not in chunk else chunk)
        if rng is None and chunk.isdigit():
            rng = (int(chunk), int(chunk))
        if rng is None or not (1 <= rng[0] <= rng[1] <= 65535):
            raise UsageError(f"exposure {text!r}: bad port {chunk!r}")
        out.append(Exposure(direction, protocol, rng[0], rng[1], peer_list))
    return out


def _exposure_from_mapping(item: Any) -> list[Exposure]:
    if isinstance(item, str):
        return parse_exposure(item)
    if not isinstance(item, dict):
        raise UsageError(f"exposure {item!r}: expected a string or a mapping")
    ports = item.get("ports", "*")
    ports_text = ",".join(str(p) for p in ports) if isinstance(ports, list) else str(ports)
    peers = item.get("peers") or item.get("cidrs") or []
    peers_text = ",".join(peers) if isinstance(peers, list) else str(peers)
    spec = f"{item.get('direction', 'ingress')}:{item.get('protocol', 'tcp')}:{ports_text}:{peers_text}"
    return parse_exposure(spec)


def settings_from_mapping(data: Any, base: Settings | None = None) -> Settings:
    """Settings from a config-file mapping, over `base`."""
    settings = base or Settings()
    if data is None:
        return settings
    if not isinstance(data, dict):
        raise UsageError("settings: expected a mapping")
    known = {"profile", "exposures", "overrides", "fail_on", "waivers", "soft_fail", "format"}
    unknown = set(data) - known
    if unknown:
        raise UsageError(f"settings: unknown key(s) {', '.join(sorted(unknown))}")
    if "profile" in data:
        settings.profile = check_profile(data["profile"])
    for item in data.get("exposures") or []:
        settings.exposures.extend(_exposure_from_mapping(item))
    ov = data.get("overrides") or {}
    if not isinstance(ov, dict):
        raise UsageError("settings: overrides must be a mapping")
    apply_overrides(settings.overrides, **{k: ov[k] for k in ov})
    return settings


def check_profile(value: Any) -> str:
    if value not in PROFILES:
        raise UsageError(f"profile must be one of {', '.join(PROFILES)}, not {value!r}")
    return str(value)


def _cidr_list(value: Any, what: str) -> list[str]:
    items = value if isinstance(value, list) else str(value).split(",")
    return [_check_cidr(str(c).strip(), what) for c in items if str(c).strip()]


def apply_overrides(ov: Overrides, **values: Any) -> Overrides:
    for name, value in values.items():
        if value is None or value == []:
            continue
        if name == "network_plugin":
            if str(value).lower() not in PLUGINS:
                raise UsageError(f"network plugin must be flannel or terway, not {value!r}")
            ov.network_plugin = str(value).lower()
        elif name == "sg_type":
            if str(value).lower() not in SG_TYPES:
                raise UsageError(f"SG type must be basic or advanced, not {value!r}")
            ov.sg_type = SG_TYPES[str(value).lower()]
        elif name in ("api_server_address", "pod_cidr"):
            setattr(ov, name, _check_cidr(str(value), name))
        elif name in ("vpc_cidrs", "vswitch_cidrs"):
            setattr(ov, name, _cidr_list(value, name))
        else:
            raise UsageError(f"unknown override {name!r}")
    return ov
