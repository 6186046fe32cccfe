"""The HCL expression evaluator alone: operators, templates, `for`, splat, functions, unknowns."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkov_ack.adapters.hcl.evaluate import Scope, evaluate
from checkov_ack.adapters.hcl.syntax import HclSyntaxError, parse_expression
from checkov_ack.adapters.hcl.values import EvalError, Ref
from checkov_ack.model.document import UNKNOWN

SG = Ref("sg", "tf:x:alicloud_security_group.sg")
VARS: dict[str, Any] = {
    "n": 3,
    "s": "Hello",
    "l": ["a", "b", "c"],
    "m": {"k1": "v1", "k2": "v2"},
    "objs": [{"id": "x", "p": 1}, {"id": "y", "p": 2}],
    "unknown": UNKNOWN,
    "sg": SG,
    "yes": True,
    "empty": "",
}


def resolve(name: str) -> Any:
    if name == "var":
        return VARS
    raise EvalError(f"unknown name {name}")


def ev(text: str) -> Any:
    return evaluate(parse_expression(text), Scope(resolve))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 + 2 * 3", 7),
        ("10 - 4 - 3", 3),
        ("(10 - 4) - 3", 3),
        ("10 - (4 - 3)", 9),
        ("2 * 3 + 4 * 5", 26),
        ("7 / 2", 3.5),
        ("8 / 2", 4),
        ("7 % 3", 1),
        ("-var.n + 1", -2),
        ("var.n > 2 && var.n < 4", True),
        ('var.n == 3 ? "three" : "other"', "three"),
        ("var.n != 3 ? 1 : var.n == 3 ? 2 : 3", 2),
        ("!var.yes || var.n >= 3", True),
        ('1 == "1"', False),
        ("[1, 2] == [1, 2]", True),
        ("var.m.k1", "v1"),
        ('var.m["k2"]', "v2"),
        ("var.l[1]", "b"),
        ("var.objs[*].id", ["x", "y"]),
        ("var.objs.*.p", [1, 2]),
        ("var.objs[1].p", 2),
        ("[for x in var.l : upper(x)]", ["A", "B", "C"]),
        ('[for i, x in var.l : "${i}${x}" if i != 1]', ["0a", "2c"]),
        ("{for k, v in var.m : v => k}", {"v1": "k1", "v2": "k2"}),
        ('{for o in var.objs : o.p > 1 ? "big" : "small" => o.id...}', {"small": ["x"], "big": ["y"]}),
        ('{a = 1, "b" = 2, c: 3}', {"a": 1, "b": 2, "c": 3}),
        ('"${var.n}"', 3),
        ('"n=${var.n}, ${var.yes}"', "n=3, true"),
        ('"a\\"b\\\\c\\n"', 'a"b\\c\n'),
        ('"$${literal}"', "${literal}"),
        ("null", None),
    ],
)
def test_expressions(text: str, expected: Any) -> None:
    assert ev(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ('format("%s-%03d-%v-%q", "a", 7, true, "q")', 'a-007-true-"q"'),
        ('format("%d%%", 50)', "50%"),
        ('cidrsubnet("10.0.0.0/8", 8, 2)', "10.2.0.0/16"),
        ('cidrsubnet("172.16.0.0/12", 4, 15)', "172.31.0.0/16"),
        ('cidrsubnet("fd00::/48", 16, 1)', "fd00:0:0:1::/64"),
        ('cidrhost("10.0.0.0/24", 5)', "10.0.0.5"),
        ('cidrsubnets("10.0.0.0/16", 8, 4)', ["10.0.0.0/24", "10.0.16.0/20"]),
        ('concat(var.l, ["d"], [])', ["a", "b", "c", "d"]),
        ("concat([1], [[2]]...)", [1, 2]),
        ('lookup(var.m, "k1")', "v1"),
        ('lookup(var.m, "nope", "dflt")', "dflt"),
        ("element(var.l, 4)", "b"),
        ("length(var.l) + length(var.m) + length(var.s)", 10),
        ('jsonencode({b = [1, true, null], a = "x"})', '{"a":"x","b":[1,true,null]}'),
        ('merge(var.m, {k2 = "new"}, null)', {"k1": "v1", "k2": "new"}),
        ('tolist(toset(["b", "a", "b"]))', ["a", "b"]),
        ('try(var.m.missing, var.l[10], "fallback")', "fallback"),
        ("can(var.m.missing)", False),
        ('coalesce(var.empty, null, "x")', "x"),
        ('join(",", var.l, ["d"])', "a,b,c,d"),
        ('split("/", "22/22")', ["22", "22"]),
        ("lower(var.s)", "hello"),
        ("upper(var.s)", "HELLO"),
        ('replace("a-b-c", "-", "_")', "a_b_c"),
        ("flatten([[1, [2]], 3, []])", [1, 2, 3]),
        ("distinct([1, 2, 1, 3])", [1, 2, 3]),
        ("keys({b = 1, a = 2})", ["a", "b"]),
        ("values({b = 1, a = 2})", [2, 1]),
        ('contains(var.l, "c")', True),
        ('contains(var.l, "z")', False),
        ('tonumber("42")', 42),
        ("tostring(5)", "5"),
        ("range(3)", [0, 1, 2]),
        ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
        ('compact(["a", "", null, "b"])', ["a", "b"]),
        ("max(1, 5, 3) + min(4, 2) + abs(-1) + floor(2.5) + ceil(0.5)", 11),
        ('trimspace("  x ")', "x"),
        ('substr("hello", 1, 3)', "ell"),
        ("one([7])", 7),
    ],
)
def test_functions(text: str, expected: Any) -> None:
    assert ev(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "var.unknown",
        'format("%s", var.unknown)',
        '"prefix-${var.unknown}"',
        "var.unknown + 1",
        "var.unknown ? 1 : 2",
        "var.unknown.attr",
        "var.unknown[0]",
        "[for x in var.unknown : x]",
        "[for x in var.l : x if x == var.unknown]",
        "concat(var.l, var.unknown)",
        'join(",", ["a", var.unknown])',
        'lookup(var.unknown, "k")',
        "timestamp()",
        '__import__("os")',
        '"%{ if var.unknown }x%{ endif }"',
        '"%{ for x in var.unknown }${x}%{ endfor }"',
        '"id-${var.sg}"',
        'var.sg == "sg-1"',
        "var.sg.name",
        'coalesce(var.unknown, "x")',
        'contains([var.unknown], "a")',
        'toset([var.unknown, "a"])',
        'replace("abc", "/b/", "x")',
    ],
)
def test_unknown_propagates(text: str) -> None:
    assert ev(text) is UNKNOWN


def test_references_keep_their_identity() -> None:
    assert ev("var.sg") == SG
    assert ev('"${var.sg}"') == SG  # a lone interpolation keeps the value's type
    assert ev('[var.sg, "sg-literal"]') == [SG, "sg-literal"]
    assert ev("length([var.sg, var.unknown])") == 2
    assert ev("false && var.unknown") is False and ev("true || var.unknown") is True


@pytest.mark.parametrize(
    "text",
    [
        "var.l[5]",
        "var.m.nope",
        'lookup(var.m, "nope")',
        "1 / 0",
        '"a" + 1',
        "element([], 0)",
        "try(var.m.nope)",
        'cidrsubnet("10.0.0.0/30", 8, 1)',
        "range(1000000000)",
        "undefined_name",
    ],
)
def test_errors_are_eval_errors(text: str) -> None:
    with pytest.raises(EvalError):
        ev(text)


@pytest.mark.parametrize("text", ["1 +", "[1, 2", '"abc', "a ? b"])
def test_syntax_errors(text: str) -> None:
    with pytest.raises(HclSyntaxError):
        parse_expression(text)


@given(
    st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=8),
    st.lists(st.sampled_from(["+", "-", "*"]), min_size=7, max_size=7),
)
def test_arithmetic_precedence_matches_python(numbers: list[int], ops: list[str]) -> None:
    text = str(numbers[0])
    for number, op in zip(numbers[1:], ops, strict=False):
        text += f" {op} {number}"
    # + - * share precedence and left associativity with Python's
    assert ev(text) == eval(text)  # noqa: S307 - the oracle is Python arithmetic on digits and + - * only


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"%{ if var.yes }on%{ else }off%{ endif }"', "on"),
        ('"%{ if !var.yes }on%{ else }off%{ endif }"', "off"),
        ('"%{ for i, x in var.l }${i}=${x};%{ endfor }"', "0=a;1=b;2=c;"),
        ('"[ ${var.n} ]"', "[ 3 ]"),
        ('"[ ${~var.n~} ]"', "[3]"),
        ('"a %{~ if var.yes ~} b %{~ endif ~} c"', "abc"),
        ('"%%{literal} and $${literal}"', "%{literal} and ${literal}"),
    ],
)
def test_template_directives(text: str, expected: Any) -> None:
    assert ev(text) == expected


@pytest.mark.parametrize(
    "text", ['"%{ if true }x"', '"%{ endif }"', '"%{ while x }"', '"%{ for x }y%{ endfor }"']
)
def test_bad_template_directives(text: str) -> None:
    with pytest.raises(HclSyntaxError):
        parse_expression(text)


def test_legacy_join_idiom_keeps_the_reference() -> None:
    assert ev('join("", [var.sg])') == SG
    assert ev('join("", [var.sg, ""])') == SG
    assert ev('join(",", [var.sg, "x"])') is UNKNOWN
    assert ev('element(concat([var.sg], [""]), 0)') == SG
