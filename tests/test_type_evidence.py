"""Type evidence for requests-to-httpx's data=/timeout=/auth= (codemods/_type_evidence.py).

``golden/requests-to-httpx/type-evidence`` pins the rewrites of a realistic module; these
tests pin each rule on its own: the kind found and the words a skip would use.
"""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.codemod import CodemodContext

from asyncmig.codemods._type_evidence import TypeEvidence
from asyncmig.codemods.requests_to_httpx import Options, RequestsToHttpx
from asyncmig.models import Environment


def evidence(source: str) -> tuple[str, str]:
    """The evidence for the argument of the last ``probe(...)`` call of ``source``."""
    found: list[tuple[str, str]] = []

    class Probe(RequestsToHttpx):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == "probe":
                found.append(TypeEvidence(self).of(node.args[0].value))

    codemod = Probe(CodemodContext(filename="m.py"), Options(), Environment(settings=(("packages", frozenset()),)))
    codemod.transform_module(cst.parse_module(source))
    return found[-1]


@pytest.mark.parametrize(
    "source, kind, found",
    [
        ("def f(t: int = 10):\n    probe(t)\n", "number", "t is a parameter annotated int"),
        ("def f(t: 'float'):\n    probe(t)\n", "number", "t is a parameter annotated 'float'"),
        ("def f(d: bytes | None = None):\n    probe(d)\n", "text", "d is a parameter annotated bytes | None"),
        ("def f(d: typing.Dict[str, str]):\n    probe(d)\n", "mapping", "d is a parameter annotated typing.Dict[str, str]"),
        ("def f(d: Annotated[bytearray, 'x']):\n    probe(d)\n", "bytearray", "d is a parameter annotated Annotated[bytearray, 'x']"),
        ("def f(t: tuple[float, float]):\n    probe(t)\n", "pair", "t is a parameter annotated tuple[float, float]"),
        ("def f(t: tuple[float, ...]):\n    probe(t)\n", "tuple", "t is a parameter annotated tuple[float, ...]"),
        ("def f(wait=5):\n    probe(wait)\n", "number", "wait is a parameter with default 5"),
        ("def f(wait=None):\n    probe(wait)\n", "unknown", "wait is a parameter without annotation or default (type unknown)"),
        ("def f(*ts):\n    probe(ts)\n", "unknown", "ts is a *-parameter"),
        ("def f(t: Foo):\n    probe(t)\n", "unknown", "t is a parameter annotated Foo, a type asyncmig does not know"),
        ("A = 3\nB = A\nC = B\ndef f():\n    probe(C)\n", "number", "C = B (B = A (A = 3 (a number)))"),
        ("A = 3\nB = A\nC = B\nD = C\ndef f():\n    probe(D)\n", "unknown", "A: asyncmig follows a name through 3 assignments at most"),
        ("def f(x):\n    t = 1\n    t += 2\n    probe(t)\n", "number", "t = 1 (a number); t += 2 (a number)"),
        ("def f(x):\n    t = 1\n    if x:\n        t = (1, 2)\n    probe(t)\n", "unknown", "t may be a number or a pair of numbers"),
        ("from conf import T\ndef f():\n    probe(T)\n", "unknown", "T is bound in a way asyncmig does not follow"),
        ("def f():\n    probe(T)\n", "unknown", "T is not bound in this module"),
        ("class S:\n    T: int = 3\ndef f():\n    probe(S.T)\n", "number", "S.T in class S: annotated int"),
        ("class S:\n    T = (1, 2)\ns = S()\ndef f():\n    probe(s.T)\n", "pair", "s.T in class S: assigned (1, 2) (a pair of numbers)"),
        ("class C:\n    def __init__(self, t: float):\n        self.t = t\n    def m(self):\n        probe(self.t)\n", "number", "self.t in class C: assigned t (t is a parameter annotated float)"),
        ("class C:\n    def m(self):\n        probe(self.t)\n", "unknown", "self.t is not annotated or assigned in class C"),
        ("def f(o):\n    probe(o.t)\n", "unknown", "an attribute asyncmig finds no annotation or assignment for"),
        ("def f(o):\n    probe(o.get('t'))\n", "unknown", "a call whose result type asyncmig does not know"),
        ("def f(o):\n    probe(o + 1)\n", "unknown", "an expression asyncmig cannot type"),
        # braces in the code quoted in a reason are text, not format fields
        ('def f(c):\n    p = {\n        "code": c,\n    }\n    probe(p)\n', "mapping", 'p = { "code": c, } (a dict literal)'),
        ('def f(c):\n    p = {"a": c} if c else g(c)\n    probe(p)\n', "unknown", "an expression asyncmig cannot type"),
    ],
)
def test_evidence(source: str, kind: str, found: str) -> None:
    got = evidence(source)
    assert got[0] == kind
    assert got[1].startswith(found), got[1]
