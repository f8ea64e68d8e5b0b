"""requests-to-httpx: blocking HTTP calls in async code become awaited calls on shared clients.

What it does
    In the body of an ``async def`` (or a function async propagation made async), calls
    that resolve to ``requests.get/post/put/patch/delete/head/options/request`` (any
    import spelling), to sync ``httpx.get/...``, or to the methods of a
    ``requests.Session()`` / ``httpx.Client()`` object local to that function become::

        await get_default_client().post(url, json=payload, timeout=10)

    on a shared, lifecycle-managed ``httpx2.AsyncClient`` (or ``httpx.AsyncClient``: the
    library the project uses, ``[clients] library``) from a generated module
    (``http_clients.py`` with one typed getter per ``[clients.<name>]``, see
    migrations.toml). Arguments are mapped
    (positional ``params``/``data``/``json`` → keywords, ``allow_redirects`` →
    ``follow_redirects``, ``data=`` str/bytes → ``content=`` (a bytearray →
    ``content=bytes(...)``), a ``(connect, read)``
    timeout → ``httpx.Timeout(read, connect=connect)``, a body on GET/DELETE →
    ``.request(method, url, ...)``), and so are the uses of a response held in a local
    variable (``.ok`` → ``not r.is_error``, ``.reason`` → ``.reason_phrase``, ``.url`` →
    ``str(r.url)``) and the ``except`` clauses of a ``try`` whose body was rewritten
    (``RequestException`` → ``httpx.HTTPError``, ``HTTPError`` → ``httpx.HTTPStatusError``,
    ``ConnectionError`` → ``httpx.TransportError``, timeouts, ``TooManyRedirects``).

Why
    ``requests`` blocks the event loop for the whole round trip: one slow upstream stalls
    every request of the process. A shared client also keeps connections alive between
    calls, which a client per call would not.

Example
    ``golden/requests-to-httpx/basic`` (``app/notify.py``, ``app`` a package)::

        import requests                             from .http_clients import get_default_client

        async def notify(url, payload):             async def notify(url, payload):
            r = requests.post(url, json=payload,        r = await get_default_client().post(
                              timeout=10)                   url, json=payload, timeout=10)
            return r.ok                                 return not r.is_error

    (the right side is wrapped here; the call keeps its layout).

Left alone (reported as skips, each with its reason)
    per-call ``verify``/``cert``/``proxies``/``hooks``/``stream=True`` (client-level in
    httpx), ``**kwargs``/``*args``, ``data=``/``timeout=``/``auth=`` values whose type
    the evidence (``_type_evidence``: literals, annotations, defaults, constants, class
    and settings attributes, local assignments) cannot prove, each skip naming what was
    found, a response that escapes (returned, passed on, stored) or uses
    ``iter_content``/``iter_lines``/``raw``, a session configured or shared beyond its
    requests, ``except`` clauses catching requests exceptions httpx has no equivalent for,
    calls in lambdas and generator expressions, and ``# asyncmig: skip`` lines.
    Sync code is not touched and not reported.

Fix safety
    Behaviour is kept except that the call no longer blocks: redirects are followed as
    requests does (``follow_redirects=False`` is written where the original did not
    follow, e.g. ``requests.head`` and every sync httpx call), ``.ok`` keeps meaning
    "status < 400", and exceptions are caught by their httpx counterparts. The shared
    client's configured timeouts apply where the call gave none (requests waits forever).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import libcst as cst
import pathspec
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import ScopeProvider
from libcst.metadata.scope_provider import BuiltinAssignment, FunctionScope

from asyncmig import generated
from asyncmig.codemod import SKIP_BY_REQUEST, AsyncCodemod, import_style
from asyncmig.config import DEFAULT_CLIENT_MODULE, ClientConfig
from asyncmig.models import Environment, FileResult
from asyncmig.names import awaited, dotted, needs_parens_when_awaited

from ._type_evidence import TypeEvidence

VERBS = ("get", "options", "head", "post", "put", "patch", "delete")
BODY_KEYWORDS = ("content", "data", "files", "json")
REQUESTS_KEYWORDS = frozenset(
    "params data json headers cookies files auth timeout allow_redirects proxies hooks "
    "stream verify cert".split()
)
HTTPX_KEYWORDS = frozenset(
    "params content data files json headers cookies auth timeout follow_redirects "
    "extensions proxy verify cert trust_env".split()
)
# Positional parameters after ``url`` (after ``method, url`` for ``request``).
_REQUESTS_POSITIONAL = {"get": ("params",), "post": ("data", "json"), "put": ("data",), "patch": ("data",)}
_SESSION_POSITIONAL = {
    "post": ("data", "json"),
    "put": ("data",),
    "patch": ("data",),
    "request": (
        "params data headers cookies files auth timeout allow_redirects proxies hooks "
        "stream verify cert json".split()
    ),
}
CLIENT_LEVEL = {
    "verify": "verify= is client-level in httpx (httpx.AsyncClient(verify=...))",
    "cert": "cert= is client-level in httpx (httpx.AsyncClient(cert=...))",
    "proxies": "proxies= is client-level in httpx (httpx.AsyncClient(proxy=...))",
    "proxy": "proxy= is client-level in httpx (httpx.AsyncClient(proxy=...))",
    "trust_env": "trust_env= is client-level in httpx (httpx.AsyncClient(trust_env=...))",
    "hooks": "hooks= is client-level in httpx (httpx.AsyncClient(event_hooks=...))",
}
# A per-call keyword equal to its default can simply go.
_DEFAULT_VALUES = {
    "verify": "True", "stream": "False", "hooks": "None", "proxies": "None", "proxy": "None",
    "cert": "None", "trust_env": "True",
}

EXCEPTIONS = {
    "RequestException": "httpx.HTTPError",
    "HTTPError": "httpx.HTTPStatusError",
    "ConnectionError": "httpx.TransportError",
    "Timeout": "httpx.TimeoutException",
    "ReadTimeout": "httpx.ReadTimeout",
    "ConnectTimeout": "httpx.ConnectTimeout",
    "TooManyRedirects": "httpx.TooManyRedirects",
    "JSONDecodeError": "json.JSONDecodeError",  # what httpx's response.json() raises
}
# Response attributes that mean the same in httpx.
SAME_ATTRIBUTES = frozenset(
    "json text content status_code headers raise_for_status encoding elapsed is_redirect "
    "links history".split()
)
UNSUPPORTED_ATTRIBUTES = {
    "iter_content": "response.iter_content() needs a streamed response (async with client.stream(...))",
    "iter_lines": "response.iter_lines() needs a streamed response (async with client.stream(...))",
    "raw": "response.raw has no httpx equivalent (stream the response instead)",
}
SESSION_FACTORIES = {
    "requests.Session": "requests",
    "requests.session": "requests",
    "requests.sessions.Session": "requests",
    "requests.sessions.session": "requests",
    "httpx.Client": "httpx",
    "httpx2.Client": "httpx",
}
# Sync httpx2 is httpx under its maintained name: the same calls, the same rewrite.
HTTPX_MODULES = ("httpx", "httpx2")
GENERATED_HEADER = generated.header("requests-to-httpx", "clients")
GENERATED_MARK = generated.MARK
MUTATING_SESSION = "{name}.{attr} configures the session itself; the shared client cannot carry per-session state"


@dataclass(frozen=True)
class Options:
    """Options of requests-to-httpx (``[phases.options.requests-to-httpx]``)."""

    module: str = ""  # client module path from the repo root; "" = [clients] or the default
    sessions: bool = True  # rewrite requests.Session()/httpx.Client() objects local to a function


@dataclass
class _Session:
    """A ``requests.Session()`` / ``httpx.Client()`` local to one async function."""

    library: str
    name: cst.Name
    creation: cst.CSTNode  # the Assign statement line or the With
    factory: cst.Call  # requests.Session() / httpx.Client()
    closes: list[cst.CSTNode] = field(default_factory=list)
    calls: list[_Site] = field(default_factory=list)
    skip: str | None = None


@dataclass
class _Site:
    """One call that may become ``await get_<name>_client().<verb>(...)``."""

    call: cst.Call
    library: str  # requests | httpx
    verb: str
    session: _Session | None = None
    skip: str | None = None
    actions: dict[int, tuple[str, str]] = field(default_factory=dict)  # arg index → (action, name)
    method: str | None = None  # .request(METHOD, ...) for a body on GET/DELETE
    follow: bool | None = None  # add follow_redirects=<follow>
    redirects: bool = True  # the call follows redirects (as far as asyncmig can tell)
    quote: str = '"'  # for the strings asyncmig writes ('"' unless inside a "-quoted f-string)
    response: list[cst.Attribute] = field(default_factory=list)  # response attributes to map
    raisers: list[cst.Attribute] = field(default_factory=list)  # r.raise_for_status / r.json: they raise too
    assigned: Any = None  # the scope Assignment of the response variable


class RequestsToHttpx(AsyncCodemod):
    NAME = "requests-to-httpx"
    DESCRIPTION = "requests/httpx calls in async code become awaited shared httpx.AsyncClient calls."
    Options = Options
    PREFILTER = ("requests", "httpx")  # httpx2 contains httpx
    # The ast pass: a file is parsed only when it calls into requests or httpx somewhere
    # (sync code too: a Session created there may be used from async code).
    AST_TRIGGERS = frozenset({"requests.", "httpx.", "httpx2."})
    AST_SYNC_TOO = True

    @classmethod
    def could_change(cls, source: bytes, path: str, env: Environment) -> bool:
        if source.startswith(GENERATED_HEADER.encode()):
            return False  # the generated client module itself (finalize owns it)
        return super().could_change(source, path, env)

    # -- configuration -----------------------------------------------------------------
    @classmethod
    def golden_env(cls, table: Mapping[str, Any], path: str) -> Environment:
        """``[env.clients.<name>]`` tables become ClientConfig; ``packages`` lists package dirs.

        ``[env] library`` picks the HTTP library (``httpx2`` unless a case says otherwise:
        a golden case never depends on the repository it is run from).
        """
        base = super().golden_env(
            {k: v for k, v in table.items() if k not in ("clients", "packages", "library")}, path
        )
        settings = list(base.settings)
        library = table.get("library", "httpx2")
        clients = tuple(_client_config(n, t, library) for n, t in table.get("clients", {}).items())
        settings.append(("clients", clients or (ClientConfig(library=library),)))
        settings.append(("packages", frozenset(table.get("packages", ()))))
        return dataclasses.replace(base, settings=tuple(settings))

    def _clients(self) -> tuple[ClientConfig, ...]:
        return clients_of(self.env)

    @property
    def _library(self) -> str:
        """The HTTP library migrated code uses: ``httpx2`` or ``httpx``."""
        return library_of(self._clients(), Path(str(self.env.setting("root") or ".")))

    def _getter(self) -> str:
        """``get_<name>_client``: the typed getter of this file's client."""
        return getter_name(client_for(self._clients(), self.context.filename or ""))

    # -- planning (on the original tree, with metadata) -----------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        self._module = node
        self._sites: dict[int, _Site] = {}
        self._attr_map: dict[int, str] = {}  # id(Attribute) → ok | reason | url
        self._removed: set[int] = set()  # statements to drop (session creation/close)
        self._flatten: set[int] = set()  # With statements to replace by their body
        self._handlers: dict[int, tuple[bool, tuple[str, ...]]] = {}  # id(except type) → (keep it, targets)
        self._client_import: tuple[str, int] | None = None
        self._drop_not: set[int] = set()
        self._dropped: set[str] = set()
        collector = _Collector()
        node.visit(collector)
        sessions = self._find_sessions(collector) if self.options.sessions else []
        for call in collector.calls:
            site = self._recognize(call)
            if site is not None:
                self._sites[id(call)] = site
        for session in sessions:
            for site in session.calls:
                self._sites[id(site.call)] = site
        for site in list(self._sites.values()):
            if site.skip is None:
                self._plan_call(site)
            if site.skip is None:
                self._plan_response(site)
        if any(not s.skip for s in self._sites.values()):
            problem = self._get_client_problem()
            for site in self._sites.values():
                site.skip = site.skip or problem
        # A skip can force others (a shared variable, a session, an except clause): settle.
        while True:
            before = sum(1 for s in self._sites.values() if s.skip)
            self._plan_exceptions(collector)
            self._settle_variables()
            self._settle_sessions(sessions)
            if sum(1 for s in self._sites.values() if s.skip) == before:
                break
        self._report(sessions)
        return True

    def _recognize(self, call: cst.Call) -> _Site | None:
        names = self.qualified(call.func)
        for qname in sorted(names):
            library, _, verb = qname.rpartition(".")
            if library not in ("requests", "requests.api", *HTTPX_MODULES):
                continue
            if verb in VERBS or verb == "request":
                site = _Site(call, "httpx" if library in HTTPX_MODULES else "requests", verb)
            elif library in HTTPX_MODULES and verb == "stream":
                site = _Site(call, "httpx", verb, skip="httpx.stream(...) is a context manager: use async with client.stream(...) by hand")
            else:
                return None
            return self._check_context(site)
        return None

    def _check_context(self, site: _Site) -> _Site | None:
        call = site.call
        if not self.in_async_context(call):
            ctx = self.context_of(call)
            if ctx.inside_async and ctx.kind in ("lambda", "genexp"):
                where = "a lambda" if ctx.kind == "lambda" else "a generator expression"
                site.skip = f"HTTP call inside {where} of an async def cannot be awaited there"
                return site
            return None
        if site.skip is None and self._skip_lines and any(
            line in self._skip_lines for line in self.lines_of(call)
        ):
            site.skip = SKIP_BY_REQUEST
        return site

    def _find_sessions(self, collector: _Collector) -> list[_Session]:
        sessions = []
        for node, name, value, creation in collector.bindings:
            if not isinstance(value, cst.Call):
                continue
            library = next((SESSION_FACTORIES[q] for q in self.qualified(value.func) if q in SESSION_FACTORIES), None)
            if library is None or not self.in_async_context(value):
                continue
            session = _Session(library, name, creation, value)
            sessions.append(session)
            if isinstance(creation, cst.Assign):
                session.skip = "the session is created on a line with other statements"
            elif value.args:
                session.skip = "the session is created with arguments; the shared client cannot take its configuration"
                continue
            scope = self.get_metadata(ScopeProvider, name, None)
            if not isinstance(scope, FunctionScope):
                session.skip = session.skip or "the session is not local to one function"
                continue
            assignment = next((a for a in scope.assignments[name.value] if a.node is name), None)
            others = [a for a in scope.assignments[name.value] if a.node is not name]
            if assignment is None or others:
                session.skip = session.skip or f"the name {name.value} is bound more than once in this function"
                continue
            for access in assignment.references:
                self._session_use(session, access.node)
        return sessions

    def _session_use(self, session: _Session, node: cst.CSTNode) -> None:
        attr = self.parent(node)
        if not (isinstance(attr, cst.Attribute) and attr.value is node):
            session.skip = session.skip or f"the session {session.name.value} is passed on or stored (it escapes)"
            return
        call = self.parent(attr)
        verb = attr.attr.value
        if not (isinstance(call, cst.Call) and call.func is attr):
            session.skip = session.skip or MUTATING_SESSION.format(name=session.name.value, attr=verb)
            return
        if verb == "close" and not call.args:
            statement = self.parent(self.parent(call))
            if isinstance(self.parent(call), cst.Expr) and isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
                session.closes.append(statement)
                return
        if verb not in VERBS and verb != "request":
            session.skip = session.skip or MUTATING_SESSION.format(name=session.name.value, attr=verb)
            return
        site = _Site(call, session.library, verb, session=session)
        if self._check_context(site) is None:
            session.skip = session.skip or "the session is used outside async code"
            return
        session.calls.append(site)

    # -- one call site -----------------------------------------------------------------
    def _plan_call(self, site: _Site) -> None:
        """Decide how the arguments of ``site.call`` map, or why they cannot."""
        call = site.call
        if isinstance(self.parent(call), cst.Await):
            site.skip = "the call is already awaited"
            return
        quotes = set()
        current = self.parent(call)
        while current is not None and not isinstance(current, cst.FunctionDef):
            if isinstance(current, cst.FormattedString):
                quotes.add(current.quote[0])
            current = self.parent(current)
        if len(quotes) > 1:
            site.skip = "the call sits in nested f-strings that use both quote characters"
            return
        site.quote = "'" if quotes == {'"'} else '"'
        if site.session is None:
            positional = _REQUESTS_POSITIONAL.get(site.verb, ()) if site.library == "requests" else ()
        else:
            positional = _SESSION_POSITIONAL.get(site.verb, ()) if site.library == "requests" else ()
        lead = 2 if site.verb == "request" else 1  # url, or method + url
        keywords: dict[str, cst.BaseExpression] = {}
        allowed = REQUESTS_KEYWORDS if site.library == "requests" else HTTPX_KEYWORDS
        for index, arg in enumerate(call.args):
            if arg.star:
                site.skip = f"{arg.star}-arguments may carry keywords httpx does not take (verify, stream, ...)"
                return
            if arg.keyword is None:
                if index < lead:
                    continue
                if index - lead >= len(positional):
                    site.skip = "more positional arguments than the call takes"
                    return
                name = positional[index - lead]
                if isinstance(arg.value, cst.Name) and arg.value.value == "None":
                    site.actions[index] = ("drop", name)  # a positional None is the default
                    continue
                site.actions[index] = ("keyword", name)
            else:
                name = arg.keyword.value
                if name in ("url", "method"):
                    continue
            if name not in allowed:
                site.skip = f"unknown keyword {name}= for {site.library}"
                return
            keywords[name] = arg.value
            reason = self._plan_keyword(site, index, name, arg.value)
            if reason:
                site.skip = reason
                return
        if sum(1 for a in call.args if a.keyword is None) < lead and not any(
            a.keyword and a.keyword.value == "url" for a in call.args
        ):
            site.skip = "the URL is not given positionally"
            return
        body = any(k in keywords and not _is_none(keywords[k]) for k in BODY_KEYWORDS)
        if body and site.verb in ("get", "delete", "head", "options"):
            site.method = site.verb.upper()
        given = keywords.get("allow_redirects", keywords.get("follow_redirects"))
        if given is None:
            if site.library == "httpx" or site.verb == "head":
                site.follow = False  # sync httpx and requests.head do not follow redirects
                site.redirects = False
        elif not (isinstance(given, cst.Name) and given.value == "True"):
            site.redirects = False

    def _plan_keyword(self, site: _Site, index: int, name: str, value: cst.BaseExpression) -> str | None:
        default = _DEFAULT_VALUES.get(name)
        if default is not None and isinstance(value, cst.Name) and value.value == default:
            site.actions[index] = ("drop", name)
            return None
        if name in BODY_KEYWORDS and _is_none(value):
            site.actions[index] = ("drop", name)  # no body (httpx's get/delete take no body keyword)
            return None
        if name == "stream":
            return "stream= needs async with client.stream(...) and an async body loop; migrate by hand"
        if name in CLIENT_LEVEL:
            return CLIENT_LEVEL[name]
        if name == "allow_redirects":
            self._rename(site, index, "follow_redirects")
            return None
        if name == "data" and site.library == "requests":
            kind, found = self._evidence(value)
            if kind == "text":
                self._rename(site, index, "content")
            elif kind == "bytearray":
                scope = self.get_metadata(ScopeProvider, site.call, None)
                if scope is not None and any(not isinstance(a, BuiltinAssignment) for a in scope["bytes"]):
                    return f"data={self._code(value)}: {found}; content= needs bytes(...), but bytes is rebound here"
                site.actions[index] = ("bytes", "content")
            elif kind == "sequence":
                return (
                    f"data={self._code(value)}: {found}; httpx form-encodes only a dict (a list of "
                    "pairs must become a dict, or content= for a raw body); rewrite by hand"
                )
            elif kind not in ("mapping", "none"):
                return (
                    f"data={self._code(value)}: {found}; httpx form-encodes a dict but needs content= "
                    "for str/bytes, so asyncmig cannot choose; rewrite by hand or annotate it"
                )
        if name == "timeout" and site.library == "requests":  # httpx code already fits httpx
            kind, found = self._evidence(value)
            if kind == "pair":
                site.actions[index] = ("timeout", site.actions.get(index, ("", "timeout"))[1])
            elif kind not in ("number", "none"):
                return (
                    f"timeout={self._code(value)}: {found}; a number stays but a (connect, read) tuple "
                    "must become httpx.Timeout(read, connect=connect), so asyncmig cannot choose; "
                    "rewrite by hand or annotate it"
                )
        if name == "auth" and site.library == "requests":
            kind, found = self._evidence(value)
            if kind not in ("tuple2", "pair", "none"):
                return (
                    f"auth={self._code(value)}: {found}; only a (user, password) tuple carries over "
                    "(requests auth objects do not work with httpx)"
                )
        return None

    @staticmethod
    def _rename(site: _Site, index: int, name: str) -> None:
        site.actions[index] = ("keyword", name)

    def _evidence(self, value: cst.BaseExpression) -> tuple[str, str]:
        """(kind, the evidence in words) of an argument value: see ``_type_evidence``."""
        return TypeEvidence(self).of(value)

    def _code(self, node: cst.CSTNode) -> str:
        return " ".join(self._module.code_for_node(node).split())

    # -- what happens to the response ---------------------------------------------------
    def _plan_response(self, site: _Site) -> None:
        node: cst.CSTNode = site.call
        parent = self.parent(node)
        if isinstance(parent, cst.Attribute) and parent.value is node:
            self._response_attribute(site, parent)
            return
        if isinstance(parent, cst.Expr):
            return  # the response is dropped
        if isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1:
            target = parent.targets[0].target
            if isinstance(target, cst.Name):
                self._response_variable(site, target)
                return
        if isinstance(parent, cst.Return):
            site.skip = "the response is returned to callers asyncmig cannot see (they may use .ok, .iter_content, ...)"
        elif isinstance(parent, cst.NamedExpr):
            site.skip = "the response is bound with := (asyncmig follows plain assignments only)"
        elif isinstance(parent, (cst.With, cst.WithItem)):
            site.skip = "the response is used as a context manager; httpx responses are not"
        else:
            site.skip = "the response escapes to code asyncmig cannot see (passed on, stored or yielded)"

    def _response_attribute(self, site: _Site, attr: cst.Attribute) -> None:
        name = attr.attr.value
        if name in ("raise_for_status", "json"):
            site.raisers.append(attr)  # they raise too: their try's except clauses count
        if name in UNSUPPORTED_ATTRIBUTES:
            site.skip = UNSUPPORTED_ATTRIBUTES[name]
        elif name in ("ok", "reason", "url"):
            site.response.append(attr)
        elif name == "raise_for_status" and not site.redirects and site.library == "requests":
            site.skip = (
                "raise_for_status() on a response that does not follow redirects: httpx raises "
                "for 3xx, requests does not"
            )
        elif name not in SAME_ATTRIBUTES:
            site.skip = f"response.{name} is not an attribute asyncmig maps to httpx"

    def _response_variable(self, site: _Site, target: cst.Name) -> None:
        scope = self.get_metadata(ScopeProvider, target, None)
        if not isinstance(scope, FunctionScope):
            site.skip = f"the response variable {target.value} is not local to the function"
            return
        assignment = next((a for a in scope.assignments[target.value] if a.node is target), None)
        if assignment is None:
            site.skip = f"the response variable {target.value} is not local to the function"
            return
        for other in scope.assignments[target.value]:
            if other is not assignment and not self._is_site_assignment(other):
                line = self.position(other.node)[0]
                site.skip = (
                    f"the variable {target.value} is also assigned on line {line}; asyncmig "
                    "cannot tell which value each use sees"
                )
                return
        site.assigned = assignment
        for access in assignment.references:
            use = access.node
            parent = self.parent(use)
            if isinstance(parent, cst.Attribute) and parent.value is use:
                self._response_attribute(site, parent)
            elif isinstance(parent, cst.Comparison) and _is_none_test(parent, use):
                continue
            else:
                site.skip = f"the response {target.value} {_escape(parent, use)}"
            if site.skip:
                return

    def _is_site_assignment(self, assignment: Any) -> bool:
        """``name = <a recognized call site>``."""
        target = self.parent(assignment.node)
        assign = self.parent(target) if isinstance(target, cst.AssignTarget) else None
        return isinstance(assign, cst.Assign) and id(assign.value) in self._sites

    def _settle_variables(self) -> None:
        """A variable that may hold this response or something else is left alone."""
        by_assignment = {id(s.assigned): s for s in self._sites.values() if s.assigned is not None}
        changed = True
        while changed:
            changed = False
            for site in self._sites.values():
                if site.skip or site.assigned is None:
                    continue
                for access in site.assigned.references:
                    for referent in access.referents:
                        other = by_assignment.get(id(referent))
                        if other is None or other.skip:
                            line = self.position(referent.node)[0]
                            site.skip = (
                                f"the variable {site.assigned.name} may also hold a value that is not a migrated "
                                f"response (line {line})"
                            )
                            changed = True
                            break
                    if site.skip:
                        break

    def _settle_sessions(self, sessions: list[_Session]) -> None:
        for session in sessions:
            if session.skip is None and not session.calls:
                session.skip = "the session makes no request asyncmig could see"
            if session.skip is None:
                failed = next((s for s in session.calls if s.skip), None)
                if failed is not None:
                    line = self.position(failed.call)[0]
                    session.skip = f"another request of this session (line {line}) cannot be migrated"
            for site in session.calls:
                if session.skip and not site.skip:
                    site.skip = session.skip

    # -- except clauses ------------------------------------------------------------------
    def _plan_exceptions(self, collector: _Collector) -> None:
        self._handlers = {}
        for try_node in collector.trys:
            inside = [
                s for s in self._sites.values()
                if any(self._in_try_body(node, try_node) for node in (s.call, *s.raisers))
            ]
            migrated = [s for s in inside if not s.skip]
            if not migrated:
                continue
            keep_old = len(migrated) < len(inside)
            # requests' JSONDecodeError is a RequestException; httpx's .json() raises json's.
            parses = any(
                a.attr.value == "json" and self._in_try_body(a, try_node) for s in migrated for a in s.raisers
            )
            for handler in try_node.handlers:
                problem = self._plan_handler(handler, keep_old, parses)
                if problem:
                    line = self.position(handler)[0]
                    for site in migrated:
                        site.skip = f"{problem} (except clause on line {line})"
                    return self._plan_exceptions(collector)

    def _in_try_body(self, node: cst.CSTNode, try_node: cst.Try | cst.TryStar) -> bool:
        child, current = node, self.parent(node)
        while current is not None:
            if isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
                return False
            if current is try_node:
                return child is try_node.body
            child, current = current, self.parent(current)
        return False

    def _plan_handler(
        self, handler: cst.ExceptHandler | cst.ExceptStarHandler, keep_old: bool, parses: bool
    ) -> str | None:
        if handler.type is None:
            return None
        elements = (
            [e.value for e in handler.type.elements] if isinstance(handler.type, cst.Tuple) else [handler.type]
        )
        mapped = []
        for element in elements:
            exc = _requests_exception(self.qualified(element))
            if exc is None:
                continue
            if exc not in EXCEPTIONS:
                return f"requests.exceptions.{exc} has no httpx equivalent asyncmig maps"
            mapped.append((element, exc))
        if not mapped:
            return None
        if handler.name is not None and isinstance(handler.name.name, cst.Name):
            if any(EXCEPTIONS[e] != "httpx.HTTPStatusError" for _, e in mapped):
                if _uses_attribute(handler.body, handler.name.name.value, "response"):
                    return "the handler reads .response, which only httpx.HTTPStatusError has"
        for element, exc in mapped:
            targets = [EXCEPTIONS[exc]]
            if exc == "RequestException" and parses:
                targets.append(EXCEPTIONS["JSONDecodeError"])
            self._handlers[id(element)] = (keep_old, tuple(targets))
        return None

    # -- reporting -----------------------------------------------------------------------
    def _report(self, sessions: list[_Session]) -> None:
        for site in self._sites.values():
            if site.skip:
                self.skip(site.call, site.skip)
        for session in sessions:
            if session.skip and not session.calls:
                self.skip(session.factory, session.skip)
        for session in sessions:
            if session.skip is None:
                self._removed.update(id(n) for n in session.closes)
                if isinstance(session.creation, cst.With):
                    self._flatten.add(id(session.creation))
                else:
                    self._removed.add(id(session.creation))
        for site in self._sites.values():
            if not site.skip:
                for attr in site.response:
                    self._attr_map[id(attr)] = attr.attr.value

    def _get_client_problem(self) -> str | None:
        """Why the client's getter cannot be imported here, or None (and the import is planned)."""
        path = self.context.filename or "case.py"
        module = client_module_path(self._clients(), self.options, path, self._is_package)
        top = _top_package(PurePosixPath(path).parent, self._is_package)
        style = import_style(self._module, top.name if top is not None else None) or self.env.setting("import_style")
        target = import_target(path, module, self._is_package, style=style)
        if target is None:
            return f"the client module {module} cannot be imported from {path}"
        getter = self._getter()
        scope = self.get_metadata(ScopeProvider, self._module, None)
        if scope is not None and getter in scope:
            for assignment in scope[getter]:
                node = getattr(assignment, "node", None)
                if not isinstance(node, cst.ImportFrom):
                    return f"the name {getter} is already bound in this module"
        for site in self._sites.values():
            if site.skip:
                continue
            local = self.get_metadata(ScopeProvider, site.call, None)
            if local is not None and local is not scope and getter in local:
                if any(a.scope is local for a in local[getter]):
                    site.skip = f"the name {getter} is bound to something else in this function"
        self._client_import = target
        return None

    def _is_package(self, directory: str) -> bool:
        return is_package(self.env, directory)

    # -- the transform -------------------------------------------------------------------
    def _drop_import(self, node: cst.CSTNode) -> None:
        """Schedule the removal of the import ``node`` uses (once per imported name: it is slow)."""
        if isinstance(node, cst.Expr):
            node = node.value
        if isinstance(node, cst.Assign):
            node = node.value
        if isinstance(node, cst.Call):
            node = node.func
        base = dotted(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
        key = base.rsplit(".", 1)[0] if base else str(id(node))  # the imported name
        if key not in self._dropped:
            self._dropped.add(key)
            self.remove_unused_import_by_node(node)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self._client_import is not None and any(not s.skip for s in self._sites.values()):
            module, level = self._client_import
            self.import_project_module(module, self._getter(), level)
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        site = self._sites.get(id(original_node))
        if site is None or site.skip:
            return updated_node
        return self.rewrite_call(site, original_node, updated_node)

    def rewrite_call(self, site: _Site, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """``requests.post(url, ...)`` → ``await get_<name>_client().post(url, ...)``.

        The per-call-site rewrite, reusable by propagation: ``site`` holds the decisions
        taken on ``original``; ``updated`` is the same call with its children transformed.
        """
        args = self._mapped_args(site, original, updated)
        verb = site.verb
        if site.method is not None:
            args = [cst.Arg(cst.SimpleString(f"{site.quote}{site.method}{site.quote}")), *args]
            verb = "request"
        if site.follow is not None:
            args = _append_arg(args, "follow_redirects", cst.Name(str(site.follow)))
        clients = self._clients()
        config = next(c for c in clients if c.name == client_for(clients, self.context.filename or ""))
        getter = getter_name(config.name)
        client = cst.Call(cst.Name(getter))
        call = updated.with_changes(func=cst.Attribute(client, cst.Name(verb)), args=args)
        if site.session is None:
            self._drop_import(original.func)
        result = awaited(call)
        if needs_parens_when_awaited(self.parent(original), original) and not result.lpar:
            result = result.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        source = f"{site.session.name.value}.{site.verb}" if site.session else f"{site.library}.{site.verb}"
        why = f"{site.library} blocks the event loop; the shared {self._library}.AsyncClient does not"
        what = f"{source}(...) → await {getter}().{verb}(...)"
        if not any(a.keyword is not None and a.keyword.value == "timeout" for a in original.args):
            before = "waited forever" if site.library == "requests" else "had httpx's 5 s default"
            what += f"; {NEW_TIMEOUT}: {before}, now the {config.name} client's {_seconds(config)}"
        if site.library == "httpx" and config.json_body == "requests" and any(
            a.keyword is not None and a.keyword.value == "json" for a in original.args
        ):
            what += f"; {COMPACT_JSON.format(client=config.name)}"
        self.change(original, what, why)
        return result

    def _mapped_args(self, site: _Site, original: cst.Call, updated: cst.Call) -> list[cst.Arg]:
        args: list[cst.Arg] = []
        last_comma = updated.args[-1].comma if updated.args else cst.MaybeSentinel.DEFAULT
        for index, arg in enumerate(updated.args):
            action, name = site.actions.get(index, ("", ""))
            if action == "drop":
                continue
            if action in ("keyword", "timeout", "bytes"):
                arg = arg.with_changes(
                    keyword=cst.Name(name),
                    equal=arg.equal if arg.keyword is not None else _EQUAL,
                )
            if action == "timeout":
                arg = arg.with_changes(value=self._timeout(original.args[index].value, arg.value))
            if action == "bytes":  # httpx's content= takes bytes, not a bytearray/memoryview
                arg = arg.with_changes(value=cst.Call(cst.Name("bytes"), [cst.Arg(arg.value)]))
            args.append(arg)
        if args and len(args) < len(updated.args):
            args[-1] = args[-1].with_changes(comma=last_comma)
        return args

    def _timeout(self, original: cst.BaseExpression, value: cst.BaseExpression) -> cst.BaseExpression:
        httpx = self.module_ref(original, self._library) or self._library
        if isinstance(value, cst.Tuple):
            connect, read = (e.value for e in value.elements)
        else:  # a constant holding a (connect, read) pair
            connect, read = (cst.Subscript(value, [cst.SubscriptElement(cst.Index(cst.Integer(str(i))))]) for i in (0, 1))
        return cst.Call(
            cst.parse_expression(f"{httpx}.Timeout"),
            [cst.Arg(read), cst.Arg(connect, keyword=cst.Name("connect"), equal=_EQUAL)],
        )

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        kind = self._attr_map.get(id(original_node))
        if kind is None:
            return updated_node
        if kind == "reason":
            self.change(original_node, "response.reason → response.reason_phrase", "the httpx name")
            return updated_node.with_changes(attr=cst.Name("reason_phrase"))
        parent = self.parent(original_node)
        if kind == "url":
            self.change(original_node, "response.url → str(response.url)", "httpx.URL is not a str")
            bare = updated_node.with_changes(lpar=(), rpar=())
            return cst.Call(cst.Name("str"), [cst.Arg(bare)], lpar=updated_node.lpar, rpar=updated_node.rpar)
        self.change(
            original_node,
            "response.ok → not response.is_error",
            "requests' ok means status < 400; httpx's is_success is only 2xx",
        )
        bare = updated_node.with_changes(attr=cst.Name("is_error"), lpar=(), rpar=())
        if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
            self._drop_not.add(id(parent))  # not r.ok → r.is_error
            return updated_node.with_changes(attr=cst.Name("is_error"))
        result = cst.UnaryOperation(cst.Not(), bare, lpar=updated_node.lpar, rpar=updated_node.rpar)
        if not updated_node.lpar and not _not_fits(parent, original_node):
            result = result.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return result

    def leave_UnaryOperation(
        self, original_node: cst.UnaryOperation, updated_node: cst.UnaryOperation
    ) -> cst.BaseExpression:
        if id(original_node) not in self._drop_not:
            return updated_node
        inner = updated_node.expression
        if updated_node.lpar:
            inner = inner.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        return inner

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.RemovalSentinel:
        if id(original_node) in self._removed:
            self._drop_import(original_node.body[0])
            what = "session.close() removed" if _is_close(original_node) else "session creation removed"
            self.change(original_node, what, "its requests go to the shared client, which outlives the call")
            block = self.parent(original_node)
            if isinstance(block, cst.IndentedBlock) and len(block.body) == 1:
                return updated_node.with_changes(body=[cst.Pass()])  # the block must not be empty
            return cst.RemoveFromParent()
        return updated_node

    def leave_Try(self, original_node: cst.Try, updated_node: cst.Try) -> Any:
        """``finally: session.close()`` goes with the session (and the try, if nothing is left)."""
        final = original_node.finalbody
        if final is None or not isinstance(final.body, cst.IndentedBlock):
            return updated_node
        if not all(id(statement) in self._removed for statement in final.body.body):
            return updated_node
        if updated_node.handlers:
            return updated_node.with_changes(finalbody=None)
        body = updated_node.body
        statements = [cst.SimpleStatementLine(body.body)] if isinstance(body, cst.SimpleStatementSuite) else list(body.body)
        statements[0] = statements[0].with_changes(
            leading_lines=[*updated_node.leading_lines, *statements[0].leading_lines]
        )
        return cst.FlattenSentinel(statements)

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> Any:
        if id(original_node) not in self._flatten:
            return updated_node
        self._drop_import(original_node.items[0].item)
        self.change(original_node, "with session: → its body", "its requests go to the shared client")
        body = updated_node.body
        if isinstance(body, cst.SimpleStatementSuite):
            statements: list[cst.BaseStatement] = [cst.SimpleStatementLine(body.body)]
        else:
            statements = list(body.body)
        statements[0] = statements[0].with_changes(
            leading_lines=[*updated_node.leading_lines, *statements[0].leading_lines]
        )
        return cst.FlattenSentinel(statements)

    def leave_ExceptHandler(
        self, original_node: cst.ExceptHandler, updated_node: cst.ExceptHandler
    ) -> cst.ExceptHandler:
        if original_node.type is None:
            return updated_node
        originals = (
            [e.value for e in original_node.type.elements]
            if isinstance(original_node.type, cst.Tuple)
            else [original_node.type]
        )
        plans = [self._handlers.get(id(e)) for e in originals]
        if not any(plans):
            return updated_node
        modules: dict[str, str] = {}
        wanted = (t.split(".")[0] for plan in plans if plan for t in plan[1])
        for module in dict.fromkeys(self._library if m == "httpx" else m for m in wanted):
            if module not in modules:
                ref = self.module_ref(original_node, module)
                if ref is None:
                    self.skip(original_node, f"the name {module} is bound to something else here")
                    return updated_node
                modules[module] = ref
        new_elements: list[cst.BaseExpression] = []
        updated_elements = (
            [e.value for e in updated_node.type.elements]
            if isinstance(updated_node.type, cst.Tuple)
            else [updated_node.type]
        )
        for element, updated, plan in zip(originals, updated_elements, plans):
            if plan is None:
                new_elements.append(updated)
                continue
            keep_old, targets = plan
            exc = _requests_exception(self.qualified(element))
            if keep_old:
                new_elements.append(updated)
            else:
                self._drop_import(element)
            for target in targets:
                module, _, name = target.partition(".")
                module = self._library if module == "httpx" else module
                mapped = cst.parse_expression(f"{modules[module]}.{name}")
                if not any(mapped.deep_equals(e) for e in new_elements):
                    new_elements.append(mapped)
            shown = ", ".join(t.replace("httpx.", f"{self._library}.", 1) for t in targets)
            self.change(
                element,
                f"except requests.{exc} → except {'also ' if keep_old else ''}{shown}",
                f"the try body now raises {self._library} exceptions",
            )
        if len(new_elements) == 1:
            field = "whitespace_after_star" if isinstance(updated_node, cst.ExceptStarHandler) else "whitespace_after_except"
            space = getattr(updated_node, field)
            if isinstance(space, cst.SimpleWhitespace) and not space.value:
                space = cst.SimpleWhitespace(" ")  # except(A, B): → except httpx.X:
            return updated_node.with_changes(type=new_elements[0], **{field: space})
        if isinstance(updated_node.type, cst.Tuple):
            elements = [cst.Element(e) for e in new_elements]
            return updated_node.with_changes(type=updated_node.type.with_changes(elements=elements))
        return updated_node.with_changes(type=cst.Tuple([cst.Element(e) for e in new_elements]))

    def leave_ExceptStarHandler(
        self, original_node: cst.ExceptStarHandler, updated_node: cst.ExceptStarHandler
    ) -> cst.ExceptStarHandler:
        return self.leave_ExceptHandler(original_node, updated_node)  # type: ignore[arg-type]

    # -- the shared-client module (once per run) ----------------------------------------
    @classmethod
    def finalize(
        cls, options: Any, env: Environment, root: Path, results: tuple[FileResult, ...]
    ) -> list[FileResult]:
        """Write (or update) the shared-client module when this run migrated a call site."""
        clients = clients_of(env)

        def packaged(directory: str) -> bool:
            return is_package(env, directory, root)

        modules: dict[str, str] = {}  # module → a call site that imports it
        for result in results:
            if result.status == "changed" and any(
                c.codemod == cls.NAME and _CLIENT_CALL.search(c.what) for c in result.changes
            ):
                modules.setdefault(client_module_path(clients, options, result.path, packaged), result.path)
        generated = []
        library = library_of(clients, root)
        for module, site in modules.items():
            target = import_target(site, module, packaged, style="absolute") or import_target(site, module, packaged)
            usage = None if target is None else f"{'.' * target[1]}{target[0]}"
            produced = client_module_file(root, module, render_client_module(clients, library, usage=usage), library)
            if produced is not None:
                generated.append(produced)
        return generated


# -- the client module ---------------------------------------------------------------------
def render_client_module(
    clients: tuple[ClientConfig, ...], library: str = "httpx2", *, usage: str | None = None
) -> bytes:
    """The module text for ``clients`` on ``library``: a hashed header, then the template.

    ``usage`` is the module the docstring's example imports from (the spelling that works
    in this project, e.g. ``app.http_clients``; default ``.http_clients``).
    """
    template = resources.files("asyncmig.codemods").joinpath("templates/http_clients.py.tmpl")
    clients = clients or (ClientConfig(),)
    getters = [getter_name(c.name) for c in clients]
    body = (
        template.read_text(encoding="utf-8")
        .replace("@ALL@", _render_all(["CLIENT_SETTINGS", "aclose_clients", "clients_lifespan", "get_client", *getters]))
        .replace("@CLIENTS@", _render_settings(clients))
        .replace("@GETTERS@", "\n\n".join(_render_getter(c) for c in clients))
        .replace("@USAGE@", usage or ".http_clients")
        .replace("@EXAMPLE@", getters[1] if len(getters) > 1 else getters[0])
        .replace("@CORE@", "httpcore2" if library == "httpx2" else "httpcore")
        .replace("@LIB@", library)
    )
    return generated.with_header(GENERATED_HEADER, body)


def _render_all(names: list[str]) -> str:
    inner = ", ".join(f'"{n}"' for n in sorted(names))
    if len(inner) + 14 <= 88:
        return f"__all__ = [{inner}]"
    return "__all__ = [\n" + "".join(f'    "{n}",\n' for n in sorted(names)) + "]"


def _render_settings(clients: tuple[ClientConfig, ...]) -> str:
    lines = []
    for client in clients:
        timeout = [repr(float(client.timeout))]
        for part in ("connect", "read", "write", "pool"):
            value = getattr(client, f"{part}_timeout")
            if value is not None:
                timeout.append(f"{part}={float(value)!r}")
        lines += [
            f'    "{client.name}": {{',
            f'        "timeout": @LIB@.Timeout({", ".join(timeout)}),',
            f'        "limits": @LIB@.Limits(max_connections={client.max_connections}, '
            f"max_keepalive_connections={min(client.max_keepalive_connections, client.max_connections)}),",
        ]
        if client.max_concurrency is not None:
            lines.append(f'        "max_concurrency": {client.max_concurrency},')
        if client.json_body != "requests":
            lines.append(f'        "json_body": "{client.json_body}",')
        lines.append("    },")
    return "\n".join(lines) + "\n"


def _render_getter(client: ClientConfig) -> str:
    bound = f", {client.max_concurrency} requests in flight at most" if client.max_concurrency else ""
    return (
        f"def {getter_name(client.name)}() -> @LIB@.AsyncClient:\n"
        f'    """The ``{client.name}`` client ({_seconds(client)} timeout{bound})."""\n'
        f'    return get_client("{client.name}")\n'
    )


def _seconds(client: ClientConfig) -> str:
    return f"{float(client.timeout):g} s"


def getter_name(client: str) -> str:
    """The typed getter call sites use: ``get_webhooks_client`` for ``[clients.webhooks]``."""
    return f"get_{client}_client"


# A migrated call site's change: ``... → await get_<name>_client().<verb>(...)``.
_CLIENT_CALL = re.compile(r"→ await get_\w+_client\(\)\.")
NEW_TIMEOUT = "no timeout= given"
COMPACT_JSON = (
    "its json= body is now sent as requests sends it (json.dumps defaults), not httpx's compact "
    'form: json_body = "httpx" in [clients.{client}] keeps the compact bytes'
)


def client_module_file(root: Path, module: str, content: bytes, library: str = "httpx2") -> FileResult | None:
    """The FileResult that creates/updates ``module``, a skip when it was edited, or None."""
    return generated.module_file(
        root, module, content,
        codemod=RequestsToHttpx.NAME,
        kind=f"shared {library} client module",
        why=f"migrated call sites import their client getters from it{_dependency_note(root, library)}",
        provides="get_client(name) and the get_<name>_client() getters",
    )


# -- configuration and package layout --------------------------------------------------------
def clients_of(env: Environment) -> tuple[ClientConfig, ...]:
    """The configured clients, ``default`` always among them (first when implicit)."""
    clients = tuple(env.setting("clients") or ())  # type: ignore[arg-type]
    if not any(c.name == "default" for c in clients):
        clients = (ClientConfig(), *clients)
    return clients


def library_of(clients: tuple[ClientConfig, ...], root: Path) -> str:
    """``[clients] library``, else what the project at ``root`` uses (``httpx2`` by default)."""
    for client in clients:
        if client.library:
            return client.library
    declared, imported = project_libraries(Path(root).resolve())
    for found in (declared, imported):
        if found:
            return "httpx2" if "httpx2" in found else "httpx"
    return "httpx2"


_DEPENDENCY_FILES = ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile", "requirements*.txt", "requirements/*.txt")
# ``httpx>=0.27``, ``"httpx2[http2]"``, ``httpx = "^0.27"``; not ``httpx-sse`` nor ``pytest-httpx``.
_DECLARED = re.compile(r"""(?<![\w.-])(httpx2?)(?=\s*(?:[\[<>=!~;,"'^]|$))""", re.MULTILINE | re.IGNORECASE)
_IMPORTED = re.compile(rb"^[ \t]*(?:import|from)[ \t]+(httpx2?)\b", re.MULTILINE)
_NOT_PROJECT = frozenset({"node_modules", "site-packages", "venv", "build", "dist", "__pycache__"})


@functools.lru_cache(maxsize=8)
def project_libraries(root: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The httpx libraries the project declares as dependencies, and those its code imports."""
    declared: set[str] = set()
    for pattern in _DEPENDENCY_FILES:
        for path in sorted(root.glob(pattern)):
            try:
                declared.update(m.lower() for m in _DECLARED.findall(path.read_text(encoding="utf-8", errors="replace")))
            except OSError:
                continue
    imported: set[str] = set()
    if not declared:
        for directory, subdirs, files in os.walk(root):
            subdirs[:] = [d for d in subdirs if not d.startswith(".") and d not in _NOT_PROJECT]
            for name in files:
                if name.endswith(".py"):
                    try:
                        source = (Path(directory) / name).read_bytes()
                    except OSError:
                        continue
                    if b"httpx" in source:
                        imported.update(m.decode() for m in _IMPORTED.findall(source))
    return frozenset(declared), frozenset(imported)


def _dependency_note(root: Path, library: str) -> str:
    declared, _imported = project_libraries(Path(root).resolve())
    if library in declared:
        return ""
    return f"; add {library} to the project's dependencies"


def client_for(clients: tuple[ClientConfig, ...], path: str) -> str:
    """The client a call site in ``path`` uses: the first whose ``match`` globs match."""
    for client in clients:
        if client.match and pathspec.GitIgnoreSpec.from_lines(client.match).match_file(path):
            return client.name
    return "default"


def client_module_path(
    clients: tuple[ClientConfig, ...], options: Any, path: str, is_pkg: Callable[[str], bool]
) -> str:
    """Where the shared-client module lives for a call site in ``path``."""
    if getattr(options, "module", ""):
        return PurePosixPath(options.module).as_posix()
    ordered = sorted(clients, key=lambda c: c.name != "default")
    for client in ordered:
        if client.module:
            return PurePosixPath(client.module).as_posix()
    directory = PurePosixPath(path).parent
    top = _top_package(directory, is_pkg)
    return (PurePosixPath(top if top is not None else directory) / DEFAULT_CLIENT_MODULE).as_posix()


def _top_package(directory: PurePosixPath, is_pkg: Callable[[str], bool]) -> PurePosixPath | None:
    top = None
    current = directory
    while current.as_posix() not in ("", ".") and is_pkg(current.as_posix()):
        top = current
        current = current.parent
    return top


def import_target(
    path: str, module: str, is_pkg: Callable[[str], bool], *, style: str | None = None
) -> tuple[str, int] | None:
    """``(module, level)`` for ``from <level dots><module> import get_client`` in ``path``.

    A relative import when the call site and the module share a package, as a human would
    write inside a package, unless the file imports its package absolutely (``style``
    ``"absolute"``, see :func:`asyncmig.codemod.import_style`); else the module's absolute
    dotted name from its package root. A module outside any package is importable by its
    bare name from the folder it is in, and from packages in that folder (the folder the
    app runs from: its packages import each other absolutely from there).
    """
    site_dir = PurePosixPath(path).parent
    mod = PurePosixPath(module)
    if mod.suffix != ".py":
        return None
    mod_dir, stem = mod.parent, mod.stem
    site_top, mod_top = _top_package(site_dir, is_pkg), _top_package(mod_dir, is_pkg)
    if site_top is not None and site_top == mod_top and style != "absolute":
        shared = 0
        for a, b in zip(site_dir.parts, mod_dir.parts):
            if a != b:
                break
            shared += 1
        level = 1 + len(site_dir.parts) - shared
        return ".".join([*mod_dir.parts[shared:], stem]), level
    if mod_top is not None:
        base = len(mod_top.parts) - 1
        return ".".join([*mod_dir.parts[base:], stem]), 0
    if mod_dir == site_dir or site_top is None or mod_dir == site_top.parent:
        return stem, 0
    return None


def is_package(env: Environment, directory: str, root: Path | None = None) -> bool:
    """``directory`` (relative, ``/``-separated) holds an ``__init__.py``."""
    packages = env.setting("packages")
    if packages is not None:
        return directory in packages  # type: ignore[operator]
    base = root if root is not None else Path(str(env.setting("root") or "."))
    return (base / directory / "__init__.py").is_file()


def _client_config(name: str, table: Mapping[str, Any], library: str | None = None) -> ClientConfig:
    values = {"library": library, **table}
    if "match" in values:
        values["match"] = tuple(values["match"])
    return ClientConfig(name=name, **values)


# -- small syntax helpers --------------------------------------------------------------------
_EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)


class _Collector(cst.CSTVisitor):
    """Calls, try statements and single-name bindings of a module, in source order."""

    def __init__(self) -> None:
        self.calls: list[cst.Call] = []
        self.trys: list[cst.Try | cst.TryStar] = []
        self.bindings: list[tuple[cst.CSTNode, cst.Name, cst.BaseExpression, cst.CSTNode]] = []
        self._line: cst.SimpleStatementLine | None = None

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._line = node if len(node.body) == 1 else None

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._line = None

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)

    def visit_Try(self, node: cst.Try) -> None:
        self.trys.append(node)

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self.trys.append(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            # No statement line of its own: a session created there cannot be removed.
            self.bindings.append((node, node.targets[0].target, node.value, self._line or node))

    def visit_With(self, node: cst.With) -> None:
        if len(node.items) == 1 and node.asynchronous is None:
            item = node.items[0]
            if item.asname is not None and isinstance(item.asname.name, cst.Name):
                self.bindings.append((node, item.asname.name, item.item, node))


def _append_arg(args: list[cst.Arg], keyword: str, value: cst.BaseExpression) -> list[cst.Arg]:
    new = cst.Arg(value, keyword=cst.Name(keyword), equal=_EQUAL)
    if not args:
        return [new]
    last = args[-1]
    if isinstance(last.comma, cst.Comma):  # a trailing comma: keep the layout
        between = args[-2].comma if len(args) > 1 and isinstance(args[-2].comma, cst.Comma) else cst.Comma(
            whitespace_after=cst.SimpleWhitespace(" ")
        )
        return [*args[:-1], last.with_changes(comma=between), new.with_changes(comma=last.comma)]
    return [*args, new]


def _requests_exception(names: frozenset[str]) -> str | None:
    for name in names:
        for prefix in ("requests.exceptions.", "requests."):
            if name.startswith(prefix) and "." not in name[len(prefix):]:
                rest = name[len(prefix):]
                if rest[:1].isupper():
                    return rest
    return None


def _escape(parent: cst.CSTNode | None, use: cst.CSTNode) -> str:
    """How a response variable leaves asyncmig's view, for the skip reason."""
    if isinstance(parent, (cst.If, cst.While, cst.IfExp, cst.Assert)) and parent.test is use or isinstance(
        parent, (cst.BooleanOperation, cst.UnaryOperation)
    ):
        return "is tested for truth (a requests response is false for 4xx/5xx, an httpx one never is)"
    if isinstance(parent, cst.Return):
        return "is returned to callers asyncmig cannot see (they may use .ok, .iter_content, ...)"
    if isinstance(parent, cst.Arg):
        return "is passed to code asyncmig cannot see (it may use .ok, .iter_content, ...)"
    return "escapes to code asyncmig cannot see (stored, yielded or passed on)"


def _is_none(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "None"


def _is_none_test(comparison: cst.Comparison, use: cst.CSTNode) -> bool:
    if comparison.left is not use or len(comparison.comparisons) != 1:
        return False
    target = comparison.comparisons[0]
    return (
        isinstance(target.operator, (cst.Is, cst.IsNot))
        and isinstance(target.comparator, cst.Name)
        and target.comparator.value == "None"
    )


def _uses_attribute(body: cst.CSTNode, name: str, attr: str) -> bool:
    found = []

    class Finder(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> None:
            if isinstance(node.value, cst.Name) and node.value.value == name and node.attr.value == attr:
                found.append(node)

    body.visit(Finder())
    return bool(found)


def _not_fits(parent: cst.CSTNode | None, node: cst.CSTNode) -> bool:
    """``not x`` needs no parentheses where ``node`` stands."""
    if isinstance(parent, (cst.If, cst.While)) and parent.test is node:
        return True
    if isinstance(parent, (cst.Return, cst.Assign, cst.AnnAssign, cst.Arg, cst.Element, cst.Expr)):
        return True
    if isinstance(parent, (cst.BooleanOperation, cst.UnaryOperation)):
        return True
    if isinstance(parent, cst.Assert) and parent.test is node:
        return True
    if isinstance(parent, cst.IfExp) and parent.test is node:
        return True
    return False


def _is_close(line: cst.SimpleStatementLine) -> bool:
    statement = line.body[0]
    return (
        isinstance(statement, cst.Expr)
        and isinstance(statement.value, cst.Call)
        and isinstance(statement.value.func, cst.Attribute)
        and statement.value.func.attr.value == "close"
    )
