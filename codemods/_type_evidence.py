"""What an argument's value is, and the evidence for it (requests-to-httpx's ``data=``,
``timeout=``, ``auth=`` mapping).

``TypeEvidence(codemod).of(expr)`` returns ``(kind, found)``: ``kind`` one of

    text       a str or bytes value (httpx: ``content=``)
    bytearray  a bytearray or memoryview (httpx: ``content=bytes(...)``)
    mapping    a dict-like value (httpx: ``data=``, form-encoded like requests)
    number     an int or float
    none       None
    pair       a 2-tuple of numbers or None: a ``(connect, read)`` timeout
    tuple2     another 2-tuple (``auth=(user, password)``)
    tuple      a tuple of unknown length
    sequence   a list (of pairs, say)
    unknown    nothing says

and ``found`` the evidence in words, for skip messages: ``"timeout is a parameter
annotated int"``, ``"payload is a parameter without annotation or default"``.

Evidence, one file at a time (a codemod sees no other module): literals and well-known
calls (``json.dumps``, ``dict``, ``x.encode()``, ``bytes(...)``); a name's bindings in its
scope, every one of them (assignments, ``x: T = ...``, a parameter's annotation, else its
default when that is not ``None``), followed through up to three names; module constants
the same way; ``self.x`` from the class (``x: T`` / ``x = value`` in its body,
``self.x = value`` in its methods); ``obj.X`` where ``obj`` is a module-level instance of a
class of this module (``settings = Settings()``) or that class itself. Annotations
understood: ``str``, ``bytes``, ``bytearray``, ``memoryview``, ``int``, ``float``,
``dict``/``Dict``/``Mapping``/``MutableMapping``/``OrderedDict``/``defaultdict``,
``list``/``List``/``Sequence``, ``tuple[X, Y]``/``Tuple[X, Y]``, ``Optional[X]``,
``Union[...]`` and ``X | Y`` (None is dropped from a union; other mixtures are unknown).
"""

from __future__ import annotations

from typing import Any

import libcst as cst
from libcst.metadata import ScopeProvider

_DEPTH = 3

_ANNOTATIONS = {
    "str": "text",
    "bytes": "text",
    "bytearray": "bytearray",
    "memoryview": "bytearray",
    "int": "number",
    "float": "number",
    "None": "none",
    "dict": "mapping",
    "Dict": "mapping",
    "Mapping": "mapping",
    "MutableMapping": "mapping",
    "OrderedDict": "mapping",
    "defaultdict": "mapping",
    "list": "sequence",
    "List": "sequence",
    "Sequence": "sequence",
    "tuple": "tuple",
    "Tuple": "tuple",
}
_WORDS = {
    "text": "str/bytes",
    "bytearray": "a bytearray",
    "mapping": "a dict",
    "number": "a number",
    "none": "None",
    "pair": "a pair of numbers",
    "tuple2": "a 2-tuple",
    "tuple": "a tuple",
    "sequence": "a list",
}


def words(kind: str) -> str:
    return _WORDS.get(kind, "of unknown type")


def combine(kinds: list[str]) -> str:
    """One kind for several possible values: None drops out; anything else must agree."""
    rest = {k for k in kinds if k != "none"}
    if not rest:
        return "none"
    if len(rest) == 1:
        return rest.pop()
    if rest <= {"pair", "tuple2", "tuple"}:
        return "tuple"
    return "unknown"


class TypeEvidence:
    """Evidence for the values of one module, through ``codemod``'s metadata."""

    def __init__(self, codemod: Any) -> None:
        self.codemod = codemod

    def code(self, node: cst.CSTNode) -> str:
        """Source of ``node`` on one line (for reasons)."""
        return " ".join(cst.Module([]).code_for_node(node).split())

    # -- the entry point -----------------------------------------------------------------
    def of(self, value: cst.BaseExpression, depth: int = 0) -> tuple[str, str]:
        literal = self.literal(value, depth)
        if literal is not None:
            return literal
        if isinstance(value, cst.Name):
            if depth >= _DEPTH:
                return "unknown", f"{value.value}: asyncmig follows a name through {_DEPTH} assignments at most"
            return self.name(value, depth)
        if isinstance(value, cst.Attribute) and depth < _DEPTH:
            found = self.attribute(value, depth)
            if found is not None:
                return found
            return "unknown", "an attribute asyncmig finds no annotation or assignment for"
        if isinstance(value, cst.Call):
            names = self.codemod.qualified(value.func)
            if any(n.startswith(("requests.auth.", "requests_oauthlib.", "requests_ntlm.")) for n in names):
                return "unknown", "a requests auth object"
            return "unknown", "a call whose result type asyncmig does not know"
        return "unknown", "an expression asyncmig cannot type"

    def literal(self, value: cst.BaseExpression, depth: int) -> tuple[str, str] | None:
        if isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return "text", "a string literal"
        if isinstance(value, (cst.Dict, cst.DictComp)):
            return "mapping", "a dict literal"
        if isinstance(value, (cst.Integer, cst.Float)):
            return "number", "a number"
        if isinstance(value, cst.Name) and value.value == "None":
            return "none", "None"
        if isinstance(value, (cst.List, cst.ListComp)):
            return "sequence", "a list"
        if isinstance(value, cst.Tuple):
            if len(value.elements) != 2:
                return "tuple", f"a {len(value.elements)}-tuple"
            kinds = [self.of(e.value, depth + 1)[0] for e in value.elements]
            if all(k in ("number", "none") for k in kinds):
                return "pair", "a pair of numbers"
            return "tuple2", "a 2-tuple"
        if isinstance(value, cst.Call):
            names = self.codemod.qualified(value.func)
            if "json.dumps" in names:
                return "text", "json.dumps(...)"
            if "builtins.dict" in names:
                return "mapping", "dict(...)"
            if names & {"builtins.str", "builtins.bytes"}:
                return "text", f"{sorted(names)[0].rpartition('.')[2]}(...)"
            if names & {"builtins.bytearray", "builtins.memoryview"}:
                return "bytearray", "bytearray(...)"
            if names & {"builtins.int", "builtins.float"}:
                return "number", f"{sorted(names)[0].rpartition('.')[2]}(...)"
            if isinstance(value.func, cst.Attribute) and value.func.attr.value == "encode":
                return "text", "str.encode(...)"  # bytes
        return None

    # -- names -----------------------------------------------------------------------------
    def name(self, name: cst.Name, depth: int) -> tuple[str, str]:
        bindings = self.bindings(name)
        text = name.value
        if bindings is None:
            return "unknown", f"{text} is not bound in this module (a global or builtin asyncmig cannot see)"
        kinds, said = [], []
        for node in bindings:
            kind, why = self.binding(node, depth)
            if kind == "unknown":
                return "unknown", why.replace("{name}", text)
            kinds.append(kind)
            said.append(why.replace("{name}", text))
        kind = combine(kinds)
        if kind == "unknown":
            return "unknown", f"{text} may be {' or '.join(sorted({words(k) for k in kinds}))} ({'; '.join(said)})"
        return kind, "; ".join(dict.fromkeys(said))

    def bindings(self, name: cst.Name) -> list[cst.CSTNode] | None:
        """The binding nodes (Param, or the target Name of an assignment) ``name`` may see."""
        scope = self.codemod.get_metadata(ScopeProvider, name, None)
        if scope is None:
            return None
        accesses = [a for a in scope.accesses[name.value] if a.node is name]
        if len(accesses) != 1:
            return None
        referents = list(accesses[0].referents)
        if not referents:
            return None
        nodes = []
        for assignment in referents[0].scope.assignments[name.value]:
            node = getattr(assignment, "node", None)
            if node is None:
                return None
            nodes.append(node)
        return nodes or None

    def binding(self, node: cst.CSTNode, depth: int) -> tuple[str, str]:
        """What one binding says; the reason uses ``{name}`` for the bound name."""
        if isinstance(node, cst.Param):
            if node.annotation is not None:
                kind = self.annotation(node.annotation.annotation)
                written = self.code(node.annotation.annotation)
                if kind == "unknown":
                    return kind, f"{{name}} is a parameter annotated {written}{self.unreadable(node.annotation.annotation)}"
                return kind, f"{{name}} is a parameter annotated {written}"
            if node.default is not None and not (isinstance(node.default, cst.Name) and node.default.value == "None"):
                kind = self.of(node.default, depth + 1)[0]
                if kind != "unknown":
                    return kind, f"{{name}} is a parameter with default {self.code(node.default)}"
            if node.star:
                return "unknown", f"{{name}} is a {node.star}-parameter"
            return "unknown", "{name} is a parameter without annotation or default (type unknown)"
        parent = self.codemod.parent(node)
        if isinstance(parent, cst.AssignTarget):
            assign = self.codemod.parent(parent)
            if isinstance(assign, cst.Assign) and len(assign.targets) == 1:
                kind, why = self.of(assign.value, depth + 1)
                return kind, f"{{name}} = {self.code(assign.value)} ({why})" if kind != "unknown" else why
        if isinstance(parent, cst.AugAssign) and parent.target is node:
            kind, why = self.of(parent.value, depth + 1)
            return kind, f"{{name}} {self.code(parent.operator).strip()} {self.code(parent.value)} ({why})" if kind != "unknown" else why
        if isinstance(parent, cst.AnnAssign) and parent.target is node:
            kind = self.annotation(parent.annotation.annotation)
            if kind != "unknown":
                return kind, f"{{name}} is annotated {self.code(parent.annotation.annotation)}"
            if parent.value is not None:
                return self.of(parent.value, depth + 1)
        return "unknown", "{name} is bound in a way asyncmig does not follow (a loop, unpacking, with, import)"

    # -- attributes ------------------------------------------------------------------------
    def attribute(self, attr: cst.Attribute, depth: int) -> tuple[str, str] | None:
        """``self.x`` from the enclosing class; ``obj.X`` of an instance or class of this module."""
        owner = attr.value
        if not isinstance(owner, cst.Name):
            return None
        method, cls = self.enclosing(attr)
        if method is not None and cls is not None:
            params = method.params.params
            if params and params[0].name.value == owner.value:
                return self.class_attribute(cls, attr.attr.value, owner.value, depth, f"{owner.value}.{attr.attr.value}")
        for node in self.bindings(owner) or ():
            if isinstance(node, cst.ClassDef):
                return self.class_attribute(node, attr.attr.value, None, depth, self.code(attr))
            parent = self.codemod.parent(node)
            if isinstance(parent, cst.AssignTarget):
                assign = self.codemod.parent(parent)
                value = assign.value if isinstance(assign, cst.Assign) else None
                if isinstance(value, cst.Call) and isinstance(value.func, cst.Name):
                    for cls_node in self.bindings(value.func) or ():
                        if isinstance(cls_node, cst.ClassDef):
                            return self.class_attribute(cls_node, attr.attr.value, None, depth, self.code(attr))
        return None

    def enclosing(self, node: cst.CSTNode) -> tuple[cst.FunctionDef | None, cst.ClassDef | None]:
        current = self.codemod.parent(node)
        while current is not None and not isinstance(current, cst.FunctionDef):
            current = self.codemod.parent(current)
        if current is None:
            return None, None
        above = self.codemod.parent(current)
        while above is not None and not isinstance(above, (cst.ClassDef, cst.FunctionDef)):
            above = self.codemod.parent(above)
        return current, above if isinstance(above, cst.ClassDef) else None

    def class_attribute(
        self, cls: cst.ClassDef, attr: str, self_name: str | None, depth: int, text: str
    ) -> tuple[str, str]:
        kinds, said = [], []
        for kind, why in self.class_bindings(cls, attr, self_name, depth):
            if kind == "unknown":
                return "unknown", f"{text}: {why}"
            kinds.append(kind)
            said.append(why)
        if not kinds:
            return "unknown", f"{text} is not annotated or assigned in class {cls.name.value}"
        kind = combine(kinds)
        if kind == "unknown":
            return "unknown", f"{text} may be {' or '.join(sorted({words(k) for k in kinds}))}"
        return kind, f"{text} in class {cls.name.value}: {'; '.join(dict.fromkeys(said))}"

    def class_bindings(self, cls: cst.ClassDef, attr: str, self_name: str | None, depth: int):
        body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
        for statement in body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    yield from self.small_binding(small, lambda t: isinstance(t, cst.Name) and t.value == attr, depth)
            elif isinstance(statement, cst.FunctionDef) and self_name is not None:
                owner = statement.params.params[0].name.value if statement.params.params else None
                if owner is None:
                    continue

                def is_self_attr(target: cst.BaseExpression, owner: str = owner) -> bool:
                    return (
                        isinstance(target, cst.Attribute)
                        and isinstance(target.value, cst.Name)
                        and target.value.value == owner
                        and target.attr.value == attr
                    )

                for small in _small_statements(statement):
                    yield from self.small_binding(small, is_self_attr, depth)

    def small_binding(self, small: cst.BaseSmallStatement, matches, depth: int):
        if isinstance(small, cst.AnnAssign) and matches(small.target):
            kind = self.annotation(small.annotation.annotation)
            if kind != "unknown":
                yield kind, f"annotated {self.code(small.annotation.annotation)}"
            elif small.value is not None:
                yield self.of(small.value, depth + 1)
            else:
                yield "unknown", f"annotated {self.code(small.annotation.annotation)}{self.unreadable(small.annotation.annotation)}"
        elif isinstance(small, cst.Assign) and any(matches(t.target) for t in small.targets):
            kind, why = self.of(small.value, depth + 1)
            yield kind, (f"assigned {self.code(small.value)} ({why})" if kind != "unknown" else why)
        elif isinstance(small, cst.AugAssign) and matches(small.target):
            kind, why = self.of(small.value, depth + 1)
            yield kind, (f"{self.code(small.operator).strip()} {self.code(small.value)} ({why})" if kind != "unknown" else why)

    # -- annotations -----------------------------------------------------------------------
    def unreadable(self, node: cst.BaseExpression) -> str:
        """Why an annotation gives no kind: a union of several, or a type asyncmig does not know."""
        parts = self.union(node)
        if parts is not None:
            kinds = sorted({words(self.annotation(p)) for p in parts if self.annotation(p) != "none"})
            return f", which may be {' or '.join(kinds)}"
        return ", a type asyncmig does not know"

    def union(self, node: cst.BaseExpression) -> list[cst.BaseExpression] | None:
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return [*(self.union(node.left) or [node.left]), *(self.union(node.right) or [node.right])]
        if isinstance(node, cst.Subscript):
            base = node.value.attr.value if isinstance(node.value, cst.Attribute) else getattr(node.value, "value", "")
            if base in ("Union", "Optional"):
                return [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
        return None

    def annotation(self, node: cst.BaseExpression) -> str:
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            try:
                inner = cst.parse_expression(node.evaluated_value if isinstance(node, cst.SimpleString) else "")
            except (cst.ParserSyntaxError, TypeError):
                return "unknown"
            return self.annotation(inner)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return combine([self.annotation(node.left), self.annotation(node.right)])
        if isinstance(node, cst.Name):
            return _ANNOTATIONS.get(node.value, "unknown")
        if isinstance(node, cst.Attribute):  # typing.Dict, t.Optional
            return _ANNOTATIONS.get(node.attr.value, "unknown")
        if isinstance(node, cst.Subscript):
            base = node.value.attr.value if isinstance(node.value, cst.Attribute) else getattr(node.value, "value", "")
            args = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
            if base == "Optional" and len(args) == 1:
                return combine([self.annotation(args[0]), "none"])
            if base == "Union":
                return combine([self.annotation(a) for a in args])
            if base == "Annotated" and args:
                return self.annotation(args[0])
            if base in ("tuple", "Tuple"):
                if len(args) == 2 and not any(isinstance(a, cst.Ellipsis) for a in args):
                    kinds = [self.annotation(a) for a in args]
                    return "pair" if all(k in ("number", "none") for k in kinds) else "tuple2"
                return "tuple"
            return _ANNOTATIONS.get(base, "unknown")
        return "unknown"


def _small_statements(function: cst.FunctionDef):
    """Every small statement of a function body, nested blocks included (not nested defs)."""
    stack: list[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.SimpleStatementLine):
            yield from node.body
            continue
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            continue
        stack.extend(node.children)
