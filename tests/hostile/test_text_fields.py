"""Numbers and booleans where the model wants text (`name = true` in HCL) give a valid document,
not a schema breach that ends the scan as an internal error (found by test_adapter_props)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkov_ack.cli import main
from checkov_ack.scan import normalize_paths

MODULE = """
resource "alicloud_vpc" "v" {
  cidr_block = "10.0.0.0/8"
}
resource "alicloud_security_group" "s" {
  name   = VALUE
  vpc_id = VALUE
}
resource "alicloud_cs_managed_kubernetes" "k" {
  name              = VALUE
  security_group_id = alicloud_security_group.s.id
}
resource "alicloud_cs_kubernetes_node_pool" "p" {
  name               = VALUE
  cluster_id         = alicloud_cs_managed_kubernetes.k.id
  security_group_ids = [alicloud_security_group.s.id]
}
"""


@pytest.mark.parametrize(("value", "text"), [("true", "true"), ("false", "false"), ("5", "5"),
                                            ("1.5", "1.5")])
def test_scalar_names_become_text(tmp_path: Path, value: str, text: str) -> None:
    (tmp_path / "main.tf").write_text(MODULE.replace("VALUE", value), encoding="utf-8")
    document, load = normalize_paths([tmp_path])  # raised DocumentError before
    assert not load.errors
    (sg,) = document["security_groups"]
    (cluster,) = document["clusters"]
    assert sg["name"] == text and sg["vpc_id"] == text and cluster["name"] == text
    assert [p["name"] for p in cluster["node_pools"]] == [text]


def test_scan_with_a_boolean_name_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.tf").write_text(MODULE.replace("VALUE", "true"), encoding="utf-8")
    code = main(["normalize", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 0 and "internal error" not in err, err


RULE_MODULE = """
resource "alicloud_security_group" "s" {
  name                = "s"
  inner_access_policy = INNER
}
resource "alicloud_security_group_rule" "r" {
  type              = VALUE
  ip_protocol       = VALUE
  nic_type          = VALUE
  policy            = VALUE
  port_range        = "22/22"
  cidr_ip           = "10.0.0.0/8"
  security_group_id = alicloud_security_group.s.id
}
"""


@pytest.mark.parametrize(("value", "inner"), [("true", '"Accept"'), ("7", "true"), ('"TCP"', '"sideways"'),
                                              ("[1]", "[1]")])
def test_odd_rule_fields_give_a_valid_document(tmp_path: Path, value: str, inner: str) -> None:
    text = RULE_MODULE.replace("VALUE", value).replace("INNER", inner)
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    document, _ = normalize_paths([tmp_path])  # raised DocumentError before for true and 7
    for sg in document["security_groups"]:
        assert sg["inner_access_policy"] in (None, "accept", "drop")
        for rule in sg["rules"]:
            fields = ("direction", "protocol", "action", "nic_type")
            assert all(rule[f] is None or isinstance(rule[f], str) for f in fields)
