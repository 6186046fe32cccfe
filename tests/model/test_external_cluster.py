"""external_cluster: the one placeholder for the cluster of node pools whose cluster is not in the
sources. Every fact the scan cannot know must read as unknown; a null left "given" (or with no
provenance, which the policies read as given) lets a rule pass on what nobody knows."""

from __future__ import annotations

import json
from typing import Any

import pytest

from checkov_ack.adapters import api_export
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.model.assemble import assemble
from checkov_ack.model.document import NodePoolInput, empty_part, external_cluster, make_cluster
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings
from checkov_ack.resources import schemas_dir
from helpers import CORPUS, FIXTURES

# Cluster fields that say which cluster or hold other entities, not facts about it.
_NOT_FACTS = {
    "key",
    "address",
    "cluster_id",
    "kind",
    "node_pools",
    "sg_set",
    "change",
    "loc",
    "provenance",
    "raw",
    "skips",
}


def _fact_paths() -> list[str]:
    """Every fact of a cluster, as its provenance names it, read from the schema so that a fact
    added there is checked here too."""
    schema = json.loads((schemas_dir() / "normalized-document.schema.json").read_text(encoding="utf-8"))
    cluster = schema["$defs"]["cluster"]
    paths = []
    for name in cluster["required"]:
        if name == "vpc":
            paths += [f"vpc.{sub}" for sub in cluster["properties"]["vpc"]["required"]]
        elif name not in _NOT_FACTS:
            paths.append(name)
    return paths


def _value(cluster: dict[str, Any], path: str) -> Any:
    value: Any = cluster
    for part in path.split("."):
        value = value[part]
    return value


def _known_facts(cluster: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The facts that are not marked unknown or not empty: (value, provenance) per path."""
    out = {}
    for path in _fact_paths():
        value, prov = _value(cluster, path), cluster["provenance"].get(path)
        if prov != "unknown" or value not in (None, [], "unknown"):
            out[path] = (value, prov)
    return out


def _pool(sgs: Any = None) -> NodePoolInput:
    return NodePoolInput(key="p", address="pool.p", file="main.tf", line=5, security_groups=sgs)


def test_the_fact_list_covers_the_cluster() -> None:
    # Not vacuous: the facts the adapters used to leave empty are among those checked.
    assert {"api_server_address", "node_vswitches", "pod_cidr", "name", "vpc.secondary_cidrs"} <= set(
        _fact_paths()
    )


def test_every_fact_of_an_external_cluster_is_unknown() -> None:
    cluster = make_cluster(external_cluster("k", "cluster k", "main.tf", 3))
    assert _known_facts(cluster) == {}
    assert cluster["kind"] == "unknown"
    assert (cluster["cluster_id"], cluster["provenance"]["cluster_id"]) == (None, "unknown")


def test_the_id_a_pool_names_is_given() -> None:
    cluster = make_cluster(external_cluster("k", "c-1", "main.tf", 3, cluster_id="c-1"))
    assert (cluster["cluster_id"], cluster["provenance"]["cluster_id"]) == ("c-1", "given")
    assert _known_facts(cluster) == {}


def test_a_left_out_fact_is_caught() -> None:
    # The check above fails on the old plan placeholder's shape: facts simply not passed.
    cluster = make_cluster(external_cluster("k", "cluster k", "main.tf", 3))
    del cluster["provenance"]["api_server_address"]
    cluster["provenance"]["node_vswitches"] = "given"
    assert set(_known_facts(cluster)) == {"api_server_address", "node_vswitches"}


def test_a_pool_without_sgs_does_not_inherit_an_unknown_cluster_sg() -> None:
    stub = external_cluster("k", "cluster k", "main.tf", 3)
    stub.node_pools.append(_pool())
    part = empty_part("main.tf", "terraform_hcl")
    part["clusters"].append(make_cluster(stub))
    doc = assemble([part], Settings())
    assert schema_errors(doc) == []
    (cluster,) = doc["clusters"]
    assert cluster["security_group"] is None  # no "ACK creates one" placeholder SG
    (pool,) = cluster["node_pools"]
    assert (pool["security_groups"], pool["provenance"]["security_groups"]) == (None, "unknown")


def _golden_cluster(kind_dir: str, address: str) -> dict[str, Any]:
    doc = json.loads((FIXTURES / "adapters" / kind_dir / "expected.json").read_text(encoding="utf-8"))
    (cluster,) = [c for c in doc["clusters"] if c["address"] == address]
    return cluster


def _api_export_cluster() -> dict[str, Any]:
    # A node pool export without its cluster.
    path = CORPUS / "api" / "csk" / "DescribeClusterNodePoolDetail__en-US.json"
    parts, errors = api_export.load([path], AdapterOptions())
    assert errors == []
    (cluster,) = parts[0]["clusters"]
    return cluster


# The adapter goldens are what the adapters produce (tests/adapters compare them), so these are
# the placeholders every input kind builds.
ADAPTER_PLACEHOLDERS = {
    "api_export": _api_export_cluster,
    "ros": lambda: _golden_cluster("ros/clusters", "OrphanPool (cluster outside the template)"),
    "terraform_hcl": lambda: _golden_cluster("terraform_hcl/clusters", "c0123456789abcdef0123456789abcdef"),
    "terraform_plan": lambda: _golden_cluster("terraform_plan/unknowns", "c0elsewhere0000000000000000000001"),
}


@pytest.mark.parametrize("kind", sorted(ADAPTER_PLACEHOLDERS))
def test_every_adapter_placeholder_knows_nothing_but_the_id(kind: str) -> None:
    cluster = ADAPTER_PLACEHOLDERS[kind]()
    assert cluster["kind"] == "unknown"
    assert _known_facts(cluster) == {}
