"""Property test: whatever a template holds, the ROS adapter returns a valid part or an InputError."""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkov_ack.adapters.ros import load_template
from checkov_ack.errors import InputError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings

NAMES = ["Sg", "Sg2", "Vpc", "Vsw", "Cluster", "Pool", "P", "Q", "C", "D", "M"]
NAMES += ["ALIYUN::Index", "ALIYUN::NoValue", "ALIYUN::Region", "Missing"]
FUNCTIONS = [
    "Fn::GetAtt", "Fn::Join", "Fn::Sub", "Fn::Select", "Fn::Split", "Fn::If", "Fn::Equals", "Fn::And",
    "Fn::Or", "Fn::Not", "Fn::FindInMap", "Fn::Replace", "Fn::Str", "Fn::Length", "Fn::ListMerge",
    "Fn::GetAZs", "Fn::Unheard",
]  # fmt: skip
TYPES = [
    "ALIYUN::ECS::SecurityGroup", "ALIYUN::ECS::SecurityGroupClone", "ALIYUN::ECS::SecurityGroupIngress",
    "ALIYUN::ECS::SecurityGroupEgress", "ALIYUN::ECS::SecurityGroupIngresses",
    "ALIYUN::ECS::SecurityGroupEgresses", "ALIYUN::CS::ManagedKubernetesCluster",
    "ALIYUN::CS::KubernetesCluster", "ALIYUN::CS::ClusterNodePool", "ALIYUN::ECS::VPC",
    "ALIYUN::ECS::VSwitch", "DATASOURCE::ECS::SecurityGroups",
]  # fmt: skip
PROPS = [
    "SecurityGroupId", "SecurityGroupName", "SecurityGroupType", "VpcId", "SecurityGroupIngress",
    "SecurityGroupEgress", "Permissions", "IpProtocol", "PortRange", "SourceCidrIp", "DestCidrIp",
    "SourceGroupId", "DestGroupId", "Priority", "Policy", "ClusterId", "ScalingGroup",
    "SecurityGroupIds", "VSwitchIds", "PodVswitchIds", "ContainerCidr", "ServiceCidr", "Addons", "Name",
    "NodePools", "CidrBlock", "SecondaryCidrBlocks", "IsEnterpriseSecurityGroup", "NodePoolInfo",
]  # fmt: skip

leaves = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(["tcp", "all", "22/22", "-1/-1", "0.0.0.0/0", "10.0.0.0/8", "sg-bp1x", "a,b", "${P}"]),
    st.integers(min_value=-2, max_value=5),
    st.booleans(),
    st.none(),
)


def _wrap(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(PROPS), children, max_size=4),
        st.builds(lambda name: {"Ref": name}, st.sampled_from(NAMES)),
        st.builds(lambda fn, arg: {fn: arg}, st.sampled_from(FUNCTIONS), children),
        st.builds(lambda name: {"Condition": name}, st.sampled_from(NAMES)),
    )


values = st.recursive(leaves, _wrap, max_leaves=12)
# Rule items close to real ones, so that rules get built and not only rejected.
rule_items = st.fixed_dictionaries(
    {
        "IpProtocol": st.sampled_from(["tcp", "udp", "all", "icmp", "TCP"]),
        "PortRange": st.sampled_from(["22/22", "-1/-1", "1/65535", "200/1", "22"]),
    },
    optional={
        "SourceCidrIp": st.one_of(st.sampled_from(["0.0.0.0/0", "10.0.0.0/8", "bad"]), values),
        "DestCidrIp": st.sampled_from(["0.0.0.0/0", "100.64.0.0/10"]),
        "SourceGroupId": st.one_of(st.just({"Ref": "Sg"}), values),
        "Priority": st.one_of(st.integers(min_value=0, max_value=101), st.just("5"), values),
        "Policy": st.sampled_from(["accept", "drop", "Drop"]),
    },
)
values = st.one_of(values, rule_items, st.lists(rule_items, max_size=3))

resources = st.dictionaries(
    st.sampled_from(NAMES[:6]),
    st.fixed_dictionaries(
        {
            "Type": st.sampled_from(TYPES),
            "Properties": st.dictionaries(st.sampled_from(PROPS), values, max_size=5),
        },
        optional={
            "Condition": st.sampled_from(["C", "D", "Missing"]),
            "Count": st.one_of(st.integers(min_value=0, max_value=3), st.just({"Ref": "P"}), values),
        },
    ),
    max_size=5,
)

templates = st.fixed_dictionaries(
    {"ROSTemplateFormatVersion": st.just("2015-09-01"), "Resources": resources},
    optional={
        "Parameters": st.dictionaries(
            st.sampled_from(["P", "Q"]),
            st.fixed_dictionaries(
                {"Type": st.sampled_from(["String", "Number", "CommaDelimitedList", "Json", "Boolean"])},
                optional={"Default": leaves},
            ),
        ),
        "Conditions": st.dictionaries(st.sampled_from(["C", "D"]), values, max_size=2),
        "Mappings": st.just({"M": {"a": {"b": "10.1.0.0/16"}}}),
        "Locals": st.dictionaries(st.sampled_from(["Q", "D"]), st.fixed_dictionaries({"Value": values})),
    },
)


def _check(text: str) -> None:
    try:
        part = load_template("fuzz.template", text, {})
    except InputError as exc:
        assert exc.file == "fuzz.template" and exc.message
        return
    doc = assemble([part], Settings())
    assert schema_errors(doc) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates)
def test_any_json_template_gives_a_valid_part_or_an_input_error(template: dict[str, Any]) -> None:
    _check(json.dumps(template, indent=1))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates)
def test_any_yaml_template_gives_a_valid_part_or_an_input_error(template: dict[str, Any]) -> None:
    _check(yaml.safe_dump(template, sort_keys=False))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ROSTemplateFormatVersion:{}[]-!&*\"'# \nRefFn::GetAttSub,.|>0123", max_size=200))
def test_arbitrary_text_never_escapes_as_another_exception(text: str) -> None:
    _check("ROSTemplateFormatVersion: x\n" + text)
