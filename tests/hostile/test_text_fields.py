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
