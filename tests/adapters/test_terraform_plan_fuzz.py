"""Plan adapter under random damage: a part that validates, or an InputError; never a traceback."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkov_ack.adapters import terraform_plan
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.errors import InputError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings
from helpers import FIXTURES

PLANS = [
    json.loads((FIXTURES / "adapters" / "terraform_plan" / case / "plan.json").read_text())
    for case in ("changes", "module_refs", "unknowns")
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, sub in value.items():
            out.extend(_paths(sub, (*prefix, key)))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            out.extend(_paths(sub, (*prefix, i)))
    return out


PATHS = [_paths(plan)[1:] for plan in PLANS]

_scalars = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "sg-bp1x", "-1/-1", "x.y"])
json_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "a", "address"]), inner)
    ),
    max_leaves=6,
)


def _damage(plan: dict[str, Any], path: tuple[Any, ...], value: Any, drop: bool) -> dict[str, Any]:
    damaged = copy.deepcopy(plan)
    node = damaged
    for step in path[:-1]:
        node = node[step]
    if drop and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return damaged


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_plans_give_a_valid_part_or_an_input_error(data: st.DataObject) -> None:
    which = data.draw(st.integers(0, len(PLANS) - 1))
    damaged = PLANS[which]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(PATHS[which]))
        try:
            damaged = _damage(damaged, path, data.draw(json_values), data.draw(st.booleans()))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed that path
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.json"
        path.write_text(json.dumps(damaged, indent=1))
        parts, errors = terraform_plan.load([path], AdapterOptions())
    assert len(parts) + len(errors) == 1
    if errors:
        assert isinstance(errors[0], InputError) and errors[0].file == str(path)
        assert "malformed Terraform plan" not in errors[0].message, errors[0].message
    else:
        assert schema_errors(assemble(parts, Settings())) == []
