"""assemble: placeholders, SG sets, peers and overrides."""

from __future__ import annotations

from checkov_ack.model.assemble import assemble, unit_documents
from checkov_ack.model.document import (
    ClusterInput,
    NodePoolInput,
    RuleInput,
    SecurityGroupInput,
    empty_part,
    make_cluster,
    make_rule,
    make_security_group,
)
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Overrides, Settings


def _part() -> dict:
    part = empty_part("main.tf", "terraform_hcl")
    rule = make_rule(
        RuleInput(
            key="r",
            address="rule.r",
            file="main.tf",
            line=3,
            direction="ingress",
            protocol="all",
            port_range="-1/-1",
            peer_sg_id="tf:.:sg.b",
        )
    )
    part["security_groups"] += [
        make_security_group(
            SecurityGroupInput(key="tf:.:sg.a", address="sg.a", file="main.tf", line=1), [rule]
        ),
        make_security_group(SecurityGroupInput(key="tf:.:sg.b", address="sg.b", file="main.tf", line=9)),
    ]
    part["clusters"].append(
        make_cluster(
            ClusterInput(
                key="c",
                address="cluster.c",
                file="main.tf",
                line=20,
                security_group="tf:.:sg.a",
                node_pools=[
                    NodePoolInput(
                        key="p",
                        address="pool.p",
                        file="main.tf",
                        line=30,
                        security_groups=["tf:.:sg.a", "sg-bp1notinsources"],
                    )
                ],
            )
        )
    )
    return part


def test_sg_set_placeholders_and_units() -> None:
    doc = assemble([_part()], Settings())
    assert schema_errors(doc) == []
    cluster = doc["clusters"][0]
    assert cluster["sg_set"] == ["tf:.:sg.a", "sg-bp1notinsources"]
    outside = next(sg for sg in doc["security_groups"] if sg["key"] == "sg-bp1notinsources")
    assert outside["origin"] == "referenced" and outside["rules_known"] is False
    units = unit_documents(doc)
    assert [len(u["clusters"]) for u in units] == [1, 0]
    assert [sg["key"] for sg in units[1]["security_groups"]] == ["tf:.:sg.b"]


def test_peer_sg_type_follows_the_sg_type_override() -> None:
    plain = assemble([_part()], Settings())
    overridden = assemble([_part()], Settings(overrides=Overrides(sg_type="advanced")))
    peer = plain["security_groups"][0]["rules"][0]["peer"]
    assert peer["sg_type"] == "basic"
    peer = overridden["security_groups"][0]["rules"][0]["peer"]
    assert peer["sg_type"] == "advanced"


def test_cluster_without_sg_gets_an_ack_created_one() -> None:
    part = empty_part("main.tf", "terraform_hcl")
    part["clusters"].append(make_cluster(ClusterInput(key="c", address="cluster.c", file="main.tf", line=1)))
    doc = assemble([part], Settings())
    sg = doc["security_groups"][0]
    assert sg["origin"] == "ack_created" and doc["clusters"][0]["sg_set"] == [sg["key"]]
