"""HCL syntax: .tf text -> blocks, attributes and a small expression tree.

We use the lark grammar that bc-python-hcl2 ships (`hcl2.parser`) but not its dict transformer:
the transformer flattens expressions back into text (Python reprs inside function calls, escapes
kept, `...` lost), which cannot be evaluated safely. Walking the lark tree keeps line numbers and
structure. The grammar has no operator precedence (binary chains nest to the right and a
conditional swallows the operand before `?`), so binary chains are flattened and rebuilt here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from hcl2.parser import hcl2 as _hcl2
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedInput


class HclSyntaxError(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# ---------------------------------------------------------------- expression tree


@dataclass(frozen=True)
class Lit:
    value: Any


@dataclass(frozen=True)
class Template:
    parts: tuple[str | Expr | TemplateIf | TemplateFor, ...]


@dataclass(frozen=True)
class TemplateIf:
    cond: Expr
    then: tuple[str | Expr | TemplateIf | TemplateFor, ...]
    otherwise: tuple[str | Expr | TemplateIf | TemplateFor, ...]


@dataclass(frozen=True)
class TemplateFor:
    key_var: str | None
    value_var: str
    collection: Expr
    body: tuple[str | Expr | TemplateIf | TemplateFor, ...]


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class GetAttr:
    obj: Expr
    name: str


@dataclass(frozen=True)
class Index:
    obj: Expr
    key: Expr


@dataclass(frozen=True)
class Splat:
    obj: Expr
    steps: tuple[tuple[str, Any], ...]  # ("attr", name) | ("index", Expr), applied to each element


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]
    expand_last: bool = False


@dataclass(frozen=True)
class TupleExpr:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class ObjectExpr:
    items: tuple[tuple[Expr, Expr], ...]


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Expr


@dataclass(frozen=True)
class Binary:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Cond:
    cond: Expr
    true: Expr
    false: Expr


@dataclass(frozen=True)
class For:
    key_var: str | None
    value_var: str
    collection: Expr
    value: Expr
    key: Expr | None  # set for object `for` expressions
    cond: Expr | None
    group: bool = False


Expr = (
    Lit
    | Template
    | Name
    | GetAttr
    | Index
    | Splat
    | Call
    | TupleExpr
    | ObjectExpr
    | Unary
    | Binary
    | Cond
    | For
)


# ---------------------------------------------------------------- body


@dataclass
class Attribute:
    name: str
    expr: Expr
    line: int


@dataclass
class Block:
    type: str
    labels: list[str]
    body: Body
    line: int
    end_line: int
    file: str


@dataclass
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


# ---------------------------------------------------------------- parsing


def _lark_parse(text: str) -> Tree:
    try:
        return _hcl2.lark_parser.parse(text)
    except UnexpectedInput as exc:
        got = getattr(exc, "token", None) or getattr(exc, "char", None)
        what = f"unexpected {str(got)!r}" if got not in (None, "") else "unexpected input"
        raise HclSyntaxError(f"HCL syntax error: {what}", getattr(exc, "line", None)) from None
    except LarkError as exc:
        raise HclSyntaxError(f"HCL syntax error: {exc.__class__.__name__}") from None


def parse_body(text: str, file: str) -> Body:
    """The top-level body of one .tf/.tfvars text. Raises HclSyntaxError."""
    text = text.replace("\r\n", "\n")  # Windows line endings: same lines, simpler heredoc ends
    if not text.endswith("\n"):
        text += "\n"  # the grammar needs a newline after the last block
    check_strings(text)
    tree = _lark_parse(text)
    body = next((c for c in tree.children if isinstance(c, Tree) and c.data == "body"), None)
    return _body(body, text, file) if body is not None else Body()


_HEREDOC = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)[ \t]*\r?\n")
# Runs of characters check_strings steps over one by one without any effect, in and out of a quoted
# string; skipping them with one regex match keeps the scan linear at a fraction of the time (it
# was a third of the HCL adapter's own time on big modules).
_PLAIN_IN_STRING = re.compile(r'[^\\\n"$%]+')
_PLAIN_OUTSIDE = re.compile(r'[^\n#/<"{}]+')


def check_strings(text: str) -> None:
    """Refuse unterminated quoted strings before lark sees them.

    The grammar's string regexes backtrack catastrophically when a quote is not closed on its
    line (minutes for a short line), so a lexical pass finds that case first, in linear time.
    """
    i, line, n = 0, 1, len(text)
    stack: list[list[int]] = []  # [kind, depth, start line]; kind 0 = string, 1 = interpolation
    while i < n:
        in_string = bool(stack) and stack[-1][0] == 0
        plain = (_PLAIN_IN_STRING if in_string else _PLAIN_OUTSIDE).match(text, i)
        if plain:
            i = plain.end()
            continue
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 2
                continue
            if ch == "\n":
                raise HclSyntaxError("unterminated string", stack[-1][2])
            if ch == '"':
                stack.pop()
            elif text.startswith("${", i) or text.startswith("%{", i):
                stack.append([1, 0, line])
                i += 1
            i += 1
            continue
        if ch == "\n":
            line += 1
        elif ch == "#" or text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise HclSyntaxError("unterminated comment", line)
            line += text.count("\n", i, end)
            i = end + 2
            continue
        elif text.startswith("<<", i) and (match := _HEREDOC.match(text, i)):
            closing = re.compile(rf"^[ \t]*{re.escape(match.group(1))}[ \t]*$", re.M)
            close = closing.search(text, match.end())
            if close is None:
                raise HclSyntaxError("unterminated heredoc", line)
            line += text.count("\n", i, close.end())
            i = close.end()
            continue
        elif ch == '"':
            stack.append([0, 0, line])
        elif ch == "{" and stack:
            stack[-1][1] += 1
        elif ch == "}" and stack:
            if stack[-1][1] == 0:
                stack.pop()
            else:
                stack[-1][1] -= 1
        i += 1
    if stack:
        raise HclSyntaxError("unterminated string or interpolation", stack[-1][2])


@lru_cache(maxsize=4096)
def parse_expression(text: str) -> Expr:
    """One expression from text (interpolations, -var values)."""
    check_strings(text)
    source = f"x = {text.strip()}\n"
    tree = _lark_parse(source)
    body = tree.children[0]
    if not isinstance(body, Tree) or len(body.children) != 1 or body.children[0].data != "attribute":
        raise HclSyntaxError("not a single expression")
    return _Conv(source).expr(body.children[0].children[1])


def _body(tree: Tree, text: str, file: str) -> Body:
    conv = _Conv(text)
    out = Body()
    for child in tree.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name = _ident(child.children[0])
            if name in out.attributes:
                raise HclSyntaxError(f"attribute {name!r} defined twice", child.meta.line)
            out.attributes[name] = Attribute(name, conv.expr(child.children[1]), child.meta.line)
        elif child.data == "block":
            parts = [c for c in child.children if not (isinstance(c, Token) and c.type.startswith("_"))]
            inner = parts[-1] if parts and isinstance(parts[-1], Tree) and parts[-1].data == "body" else None
            heads = parts[:-1] if inner is not None else parts
            labels = [_label(h) for h in heads]
            out.blocks.append(
                Block(
                    type=labels[0],
                    labels=labels[1:],
                    body=_body(inner, text, file) if inner is not None else Body(),
                    line=child.meta.line,
                    end_line=child.meta.end_line,
                    file=file,
                )
            )
    return out


def _ident(node: Any) -> str:
    if isinstance(node, Tree):
        return str(node.children[0])
    return str(node)


def _label(node: Any) -> str:
    if isinstance(node, Token) and node.type == "STRING_LIT":
        return _unescape(str(node)[1:-1])
    return _ident(node)


_PRECEDENCE = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}


class _Conv:
    """lark tree -> Expr, with the source text at hand for what the tree drops (`...`)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def expr(self, node: Any) -> Expr:
        if isinstance(node, Token):
            return self.token(node)
        kind = node.data
        method = getattr(self, "n_" + str(kind), None)
        if method is None:
            raise HclSyntaxError(f"unsupported HCL construct {kind}", getattr(node.meta, "line", None))
        result: Expr = method(node)
        return result

    def token(self, tok: Token) -> Expr:
        if tok.type == "STRING_LIT":
            return _at_line(tok.line, parse_template, str(tok)[1:-1], True)
        raise HclSyntaxError(f"unexpected token {str(tok)!r}", tok.line)

    def kids(self, node: Tree) -> list[Any]:
        return [c for c in node.children if not (isinstance(c, Token) and c.type.startswith("_"))]

    def n_expr_term(self, node: Tree) -> Expr:
        kids = self.kids(node)
        if len(kids) != 1:
            raise HclSyntaxError("unexpected expression shape", node.meta.line)
        child = kids[0]
        if isinstance(child, Tree) and child.data == "identifier":
            name = _ident(child)
            if name in ("true", "false"):
                return Lit(name == "true")
            if name == "null":
                return Lit(None)
            return Name(name)
        return self.expr(child)

    def n_identifier(self, node: Tree) -> Expr:
        return Name(_ident(node))

    def n_int_lit(self, node: Tree) -> Expr:
        return Lit(int("".join(str(c) for c in node.children)))

    def n_float_lit(self, node: Tree) -> Expr:
        value = float("".join(str(c) for c in node.children))
        return Lit(int(value) if value.is_integer() else value)

    def n_tuple(self, node: Tree) -> Expr:
        return TupleExpr(tuple(self.expr(c) for c in self.kids(node)))

    def n_object(self, node: Tree) -> Expr:
        items = []
        for elem in self.kids(node):
            key_node, value_node = self.kids(elem)[:2]
            if isinstance(key_node, Tree) and key_node.data == "identifier":
                key: Expr = Lit(_ident(key_node))
            else:
                key = self.expr(key_node)
                if isinstance(key, Name):  # `{ a = 1 }` written through expr_term
                    key = Lit(key.name)
            items.append((key, self.expr(value_node)))
        return ObjectExpr(tuple(items))

    def n_function_call(self, node: Tree) -> Expr:
        kids = self.kids(node)
        name = _ident(kids[0])
        args: tuple[Expr, ...] = ()
        expand = False
        if len(kids) > 1:
            arg_nodes = self.kids(kids[1])
            args = tuple(self.expr(a) for a in arg_nodes)
            if arg_nodes:
                tail = self.text[_end(arg_nodes[-1]) : node.meta.end_pos]
                expand = "..." in tail
        return Call(name, args, expand)

    def n_provider_function_call(self, node: Tree) -> Expr:
        kids = [k for k in self.kids(node) if not (isinstance(k, Tree) and k.data == "colons")]
        name = "::".join(_ident(k) for k in kids[:3])
        args = tuple(self.expr(a) for a in self.kids(kids[3])) if len(kids) > 3 else ()
        return Call(name, args)

    def n_index_expr_term(self, node: Tree) -> Expr:
        obj, idx = self.kids(node)
        return Index(self.expr(obj), self._index_key(idx))

    def _index_key(self, idx: Tree) -> Expr:
        inner = self.kids(idx)
        if len(inner) == 1 and isinstance(inner[0], Tree):
            return self.expr(inner[0])
        return Lit(int("".join(str(c) for c in inner)))  # legacy `a.0`

    def n_get_attr_expr_term(self, node: Tree) -> Expr:
        obj, attr = self.kids(node)
        return GetAttr(self.expr(obj), _ident(self.kids(attr)[0]))

    def _steps(self, splat: Tree) -> tuple[tuple[str, Any], ...]:
        steps: list[tuple[str, Any]] = []
        for step in self.kids(splat):
            if step.data == "get_attr":
                steps.append(("attr", _ident(self.kids(step)[0])))
            else:
                steps.append(("index", self._index_key(step)))
        return tuple(steps)

    def n_attr_splat_expr_term(self, node: Tree) -> Expr:
        obj, splat = self.kids(node)
        return Splat(self.expr(obj), self._steps(splat))

    n_full_splat_expr_term = n_attr_splat_expr_term

    def n_heredoc_template(self, node: Tree) -> Expr:
        raw = str(node.children[0])
        body = raw.split("\n", 1)[1].rsplit("\n", 1)[0] + "\n"
        return _at_line(node.meta.line, parse_template, body, False)

    def n_heredoc_template_trim(self, node: Tree) -> Expr:
        raw = str(node.children[0])
        lines = raw.split("\n", 1)[1].rsplit("\n", 1)[0].split("\n")
        indents = [len(x) - len(x.lstrip(" ")) for x in lines if x.strip()]
        cut = min(indents) if indents else 0
        return _at_line(node.meta.line, parse_template, "\n".join(x[cut:] for x in lines) + "\n", False)

    def n_unary_op(self, node: Tree) -> Expr:
        op = str(node.children[0])
        return Unary(op, self.expr(node.children[1]))

    def n_conditional(self, node: Tree) -> Expr:
        c, t, f = self.kids(node)
        return Cond(self.expr(c), self.expr(t), self.expr(f))

    def n_binary_op(self, node: Tree) -> Expr:
        operands: list[Expr] = []
        ops: list[str] = []
        tail: list[tuple[Expr, Expr]] = []

        def walk(n: Any) -> None:
            if isinstance(n, Tree) and n.data == "binary_op":
                left, term = self.kids(n)
                walk(left)
                op_node, right = self.kids(term)
                ops.append(str(op_node.children[0]))
                walk(right)
            elif isinstance(n, Tree) and n.data == "conditional" and operands:
                # `a == b ? x : y` parses as `a == (b ? x : y)`: the condition continues the chain.
                c, t, f = self.kids(n)
                walk(c)
                tail.append((self.expr(t), self.expr(f)))
            else:
                operands.append(self.expr(n))

        walk(node)
        result = _climb(operands, ops)
        for t, f in reversed(tail):
            result = Cond(result, t, f)
        return result

    def n_for_tuple_expr(self, node: Tree) -> Expr:
        kids = [k for k in self.kids(node) if isinstance(k, Tree)]
        key_var, value_var, coll = self._intro(kids[0])
        cond = self.expr(self.kids(kids[2])[1]) if len(kids) > 2 else None
        return For(key_var, value_var, coll, self.expr(kids[1]), None, cond)

    def n_for_object_expr(self, node: Tree) -> Expr:
        kids = self.kids(node)
        group = any(isinstance(k, Token) and str(k) == "..." for k in node.children)
        trees = [k for k in kids if isinstance(k, Tree)]
        key_var, value_var, coll = self._intro(trees[0])
        cond = self.expr(self.kids(trees[3])[1]) if len(trees) > 3 else None
        return For(key_var, value_var, coll, self.expr(trees[2]), self.expr(trees[1]), cond, group)

    def _intro(self, intro: Tree) -> tuple[str | None, str, Expr]:
        names = [_ident(k) for k in intro.children if isinstance(k, Tree) and k.data == "identifier"]
        exprs = [k for k in intro.children if isinstance(k, Tree) and k.data != "identifier"]
        coll = self.expr(exprs[-1]) if exprs else Name(names.pop())
        if len(names) == 2:
            return names[0], names[1], coll
        return None, names[0], coll


def _at_line(line: int | None, func: Any, *args: Any) -> Expr:
    """Errors inside a string's interpolations carry the string's line (their own text has none)."""
    try:
        result: Expr = func(*args)
    except HclSyntaxError as exc:
        raise HclSyntaxError(exc.message, line) from None
    return result


def _end(node: Any) -> int:
    if isinstance(node, Token):
        return int(node.end_pos or 0)
    return int(node.meta.end_pos)


def _climb(operands: list[Expr], ops: list[str]) -> Expr:
    """Left-associative precedence climbing over a flat operand/operator list."""
    out: list[Expr] = [operands[0]]
    stack: list[str] = []

    def reduce() -> None:
        op = stack.pop()
        right = out.pop()
        left = out.pop()
        out.append(Binary(op, left, right))

    for op, operand in zip(ops, operands[1:], strict=True):
        while stack and _PRECEDENCE[stack[-1]] >= _PRECEDENCE[op]:
            reduce()
        stack.append(op)
        out.append(operand)
    while stack:
        reduce()
    return out[0]


# ---------------------------------------------------------------- templates

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text  # most strings have no escape: no character loop
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if nxt in "uU":
                width = 4 if nxt == "u" else 8
                digits = text[i + 2 : i + 2 + width]
                if re.fullmatch(r"[0-9a-fA-F]+", digits or "x") and len(digits) == width:
                    out.append(chr(int(digits, 16)))
                    i += 2 + width
                    continue
        out.append(ch)
        i += 1
    return "".join(out)


def _matching_brace(text: str, start: int) -> int:
    """Index of the `}` closing the interpolation whose body starts at `start`."""
    depth = 0
    i = start
    in_string = False
    while i < len(text):
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                in_string = False
            elif text.startswith("${", i):
                end = _matching_brace(text, i + 2)
                i = end + 1
                continue
        elif ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    raise HclSyntaxError("unterminated template interpolation")


# Template text up to the next possible `${`/`%{` (or their `$${`/`%%{` escapes), taken as one run.
_TEMPLATE_TEXT = re.compile(r"[^$%]+")
_FOR_DIRECTIVE = re.compile(r"^for\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\s+(.+)$", re.S)


def _template_tokens(text: str, quoted: bool) -> list[tuple[str, Any]]:
    """("text", str) | ("interp", Expr) | ("if"/"for"/"else"/"endif"/"endfor", ...), strip markers applied."""
    tokens: list[tuple[str, Any]] = []
    buf: list[str] = []
    strip_next = False

    def flush() -> None:
        nonlocal buf, strip_next
        chunk = "".join(buf)
        buf = []
        if quoted:
            chunk = _unescape(chunk)
        if strip_next:
            chunk = chunk.lstrip()
            strip_next = False
        if chunk:
            tokens.append(("text", chunk))

    i = 0
    while i < len(text):
        plain = _TEMPLATE_TEXT.match(text, i)
        if plain:
            buf.append(plain.group())
            i = plain.end()
            continue
        if text.startswith("$${", i) or text.startswith("%%{", i):
            buf.append(text[i + 1 : i + 3])
            i += 3
            continue
        if not (text.startswith("${", i) or text.startswith("%{", i)):
            buf.append(text[i])
            i += 1
            continue
        end = _matching_brace(text, i + 2)
        inner = text[i + 2 : end]
        strip_before, strip_after = inner.lstrip().startswith("~"), inner.rstrip().endswith("~")
        inner = inner.strip().removeprefix("~").removesuffix("~").strip()
        flush()
        if strip_before and tokens and tokens[-1][0] == "text":
            tokens[-1] = ("text", tokens[-1][1].rstrip())
        if text[i] == "$":
            tokens.append(("interp", parse_expression(inner)))
        else:
            tokens.append(_directive(inner))
        strip_next = strip_after
        i = end + 1
    flush()
    return tokens


def _directive(inner: str) -> tuple[str, Any]:
    word = inner.split(None, 1)[0] if inner.split() else ""
    if word == "if":
        return ("if", parse_expression(inner[2:]))
    if word in ("else", "endif", "endfor") and inner == word:
        return (word, None)
    match = _FOR_DIRECTIVE.match(inner)
    if word == "for" and match:
        first, second, coll = match.groups()
        return ("for", (first if second else None, second or first, parse_expression(coll)))
    raise HclSyntaxError(f"unsupported template directive %{{{inner}}}")


def _template_tree(tokens: list[tuple[str, Any]], pos: int, stop: tuple[str, ...]) -> tuple[list[Any], int]:
    """Nested parts up to (not including) a token in `stop`; returns the parts and that position."""
    parts: list[Any] = []
    while pos < len(tokens):
        kind, value = tokens[pos]
        if kind in stop:
            return parts, pos
        if kind == "text" or kind == "interp":
            parts.append(value)
            pos += 1
        elif kind == "if":
            then, pos = _template_tree(tokens, pos + 1, ("else", "endif"))
            otherwise: list[Any] = []
            if pos < len(tokens) and tokens[pos][0] == "else":
                otherwise, pos = _template_tree(tokens, pos + 1, ("endif",))
            if pos >= len(tokens):
                raise HclSyntaxError("template %{if} without %{endif}")
            parts.append(TemplateIf(value, tuple(then), tuple(otherwise)))
            pos += 1
        elif kind == "for":
            body, pos = _template_tree(tokens, pos + 1, ("endfor",))
            if pos >= len(tokens):
                raise HclSyntaxError("template %{for} without %{endfor}")
            parts.append(TemplateFor(value[0], value[1], value[2], tuple(body)))
            pos += 1
        else:
            raise HclSyntaxError(f"template %{{{kind}}} out of place")
    return parts, pos


def parse_template(text: str, quoted: bool) -> Expr:
    """A quoted string or heredoc body: literal text, `${...}` interpolations, `%{...}` directives."""
    parts, _ = _template_tree(_template_tokens(text, quoted), 0, ())
    if all(isinstance(p, str) for p in parts):
        return Lit("".join(parts))
    return Template(tuple(parts))
