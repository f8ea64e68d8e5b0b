"""The project call graph: module names, resolution across modules, contexts."""

from __future__ import annotations

import textwrap

import pytest

from asyncmig.callgraph import CallGraph, Edge, extract, module_name


def graph(modules: dict[str, str]) -> CallGraph:
    """A graph from ``{relative path: source}``, module names from the paths."""
    folders = {path.rsplit("/", 1)[0] for path in modules if path.endswith("/__init__.py")}
    summaries = []
    for path, source in modules.items():
        name, is_package = module_name(path, folders.__contains__)
        summaries.append(extract(textwrap.dedent(source).encode(), name, path, is_package))
    return CallGraph.build(summaries)


@pytest.mark.parametrize(
    ("path", "packages", "expected"),
    [
        ("pkg/sub/mod.py", {"pkg", "pkg/sub"}, ("pkg.sub.mod", False)),
        ("pkg/sub/__init__.py", {"pkg", "pkg/sub"}, ("pkg.sub", True)),
        ("src/pkg/mod.py", {"src/pkg"}, ("pkg.mod", False)),  # src layout
        ("scripts/tool.py", set(), ("tool", False)),  # flat layout
        ("main.py", set(), ("main", False)),
    ],
)
def test_module_names(path: str, packages: set[str], expected: tuple[str, bool]) -> None:
    assert module_name(path, packages.__contains__) == expected


PROJECT = {
    "src/shop/__init__.py": "from .api.views import index as index_view\n",
    "src/shop/api/__init__.py": "",
    "src/shop/api/views.py": """
        from .. import db
        from ..db import Repo as R
        from ..services.mail import send
        import shop.services.mail as mail_mod
        from shop.services import mail

        async def index():
            repo = R()
            repo.load()
            db.connect()
            send()
            mail_mod.render()
            mail.render()

        async def other():
            await index()
    """,
    "src/shop/db.py": """
        class Base:
            def load(self):
                self._read()

            def _read(self):
                pass

        class Repo(Base):
            def __init__(self):
                self.ready = True

            @classmethod
            def create(cls):
                return cls.build()

            @classmethod
            def build(cls):
                return cls()

        def connect():
            pass
    """,
    "src/shop/services/__init__.py": "",
    "src/shop/services/mail.py": """
        import threading

        def send():
            threading.Thread(target=deliver).start()

        def deliver():
            pass

        def render():
            pass
    """,
}


def test_functions_are_keyed_by_module_and_qualname() -> None:
    g = graph(PROJECT)
    assert {"shop.api.views.index", "shop.db.Repo.create", "shop.db.Base._read", "shop.services.mail.send"} <= set(g.functions)
    fn = g.functions["shop.db.Repo.create"]
    assert (fn.module, fn.path, fn.info.qualname, fn.info.line, fn.info.is_async) == (
        "shop.db", "src/shop/db.py", "Repo.create", 14, False,
    )
    assert fn.info.decorators == ("builtins.classmethod",)


def test_resolution_across_modules() -> None:
    g = graph(PROJECT)
    callees = sorted((e.callee, e.how) for e in g.calls_of("shop.api.views.index"))
    assert callees == [
        ("shop.db.Base.load", "call"),  # method of a local instance, inherited
        ("shop.db.Repo.__init__", "call"),  # a class call runs __init__
        ("shop.db.connect", "call"),  # through a module imported relatively
        ("shop.services.mail.render", "call"),  # import a.b as m
        ("shop.services.mail.render", "call"),  # from a import b (a module)
        ("shop.services.mail.send", "call"),  # from ..x import y
    ]
    assert g.resolve("shop.index_view") == "shop.api.views.index"  # a re-export
    assert g.resolve("shop.db.Repo().load") == "shop.db.Base.load"
    assert g.resolve("requests.get") is None


def test_self_and_cls_calls() -> None:
    g = graph(PROJECT)
    assert [e.callee for e in g.calls_of("shop.db.Base.load")] == ["shop.db.Base._read"]
    assert [e.callee for e in g.calls_of("shop.db.Repo.create")] == ["shop.db.Repo.build"]
    assert [e.callee for e in g.calls_of("shop.db.Repo.build")] == ["shop.db.Repo.__init__"]


def test_contexts_and_thread_targets() -> None:
    g = graph(PROJECT)
    assert g.context_of("shop.api.views.index") == "async"
    assert g.context_of("shop.db.Base._read") == "reached"  # index → load → _read
    assert g.context_of("shop.services.mail.send") == "reached"
    assert g.context_of("shop.services.mail.deliver") == "offloaded"  # a thread target of reached code
    assert g.offloaded == frozenset({"shop.services.mail.deliver"})
    assert g.context_of("shop.db.Repo.create") == "sync"
    assert g.context_of("no.such.function") == "sync"
    assert g.reached == frozenset(
        {
            "shop.db.Base.load", "shop.db.Base._read", "shop.db.Repo.__init__", "shop.db.connect",
            "shop.services.mail.send", "shop.services.mail.render",
        }
    )


def test_callers_of_and_reaching() -> None:
    g = graph(PROJECT)
    assert g.callers_of("shop.services.mail.deliver") == [
        Edge("shop.services.mail.send", "shop.services.mail.deliver", 5, 29, "thread")
    ]
    assert [e.caller for e in g.callers_of("shop.api.views.index")] == ["shop.api.views.other"]
    # sync functions through which a blocking _read runs: load only (index is async)
    assert g.reaching(["shop.db.Base._read"]) == frozenset({"shop.db.Base.load"})
    # a thread edge does not carry blocking work back to the caller
    assert g.reaching(["shop.services.mail.deliver"]) == frozenset()


def test_handlers_and_request_path() -> None:
    g = graph(
        {
            "app.py": """
            from fastapi import FastAPI
            from aiohttp import web

            app = FastAPI()

            @app.post("/items")
            async def create():
                await save()

            async def save():
                pass

            async def cron():
                pass

            async def legacy(request):
                pass

            web_app = web.Application()
            web_app.router.add_get("/legacy", legacy)
            """
        }
    )
    assert g.handlers == frozenset({"app.create", "app.legacy"})
    assert g.request_path == frozenset({"app.create", "app.save", "app.legacy"})


def test_shadowed_names_do_not_resolve() -> None:
    g = graph(
        {
            "a.py": "def helper():\n    pass\n",
            "b.py": """
            from a import helper

            async def uses_import():
                helper()

            async def shadows():
                helper = print
                helper()

            async def parameter(helper):
                helper()
            """,
        }
    )
    assert [e.callee for e in g.calls_of("b.uses_import")] == ["a.helper"]
    assert g.calls_of("b.shadows") == []
    assert g.calls_of("b.parameter") == []


def test_relative_import_beyond_top_level_is_ignored() -> None:
    g = graph({"pkg/__init__.py": "", "pkg/m.py": "from ... import x\n\nasync def f():\n    x()\n"})
    assert g.calls_of("pkg.m.f") == []


def test_super_calls_reach_the_base_method() -> None:
    g = graph(
        {
            "base.py": "class Base:\n    def save(self):\n        pass\n",
            "child.py": """
            from base import Base

            class Child(Base):
                def save(self):
                    super().save()

            async def handler():
                Child().save()
            """,
        }
    )
    assert [e.callee for e in g.calls_of("child.Child.save")] == ["base.Base.save"]
    assert g.context_of("base.Base.save") == "reached"


def test_a_call_result_passed_on_is_not_a_reference_to_the_function() -> None:
    g = graph(
        {
            "m.py": """
            def helper(y):
                return y

            class Repo:
                pass

            def main(y):
                v = helper(y)
                print(v)
                repo = Repo()
                keep(repo)
                keep(helper)

            def keep(x):
                return x
            """
        }
    )
    assert [(e.callee, e.how) for e in g.calls_of("m.main")] == [
        ("m.helper", "call"),
        ("m.keep", "call"),
        ("m.keep", "call"),
        ("m.helper", "value"),  # the function itself, passed on
    ]


def test_a_function_passed_to_a_helper_that_calls_it_runs_there() -> None:
    g = graph(
        {
            "pkg/__init__.py": "",
            "pkg/retry.py": """
            import asyncio

            def with_retry(func, attempts=3):
                return func()

            def forward(op):
                return with_retry(op)

            def later(callback):
                HOOKS.append(callback)

            async def in_worker(fn, *args):
                return await asyncio.get_running_loop().run_in_executor(None, fn, *args)

            class Runner:
                def run(self, job):
                    return job()

                @staticmethod
                def run_static(job):
                    return job()
            """,
            "pkg/app.py": """
            from pkg.retry import Runner, forward, in_worker, later, with_retry

            async def main():
                def a():
                    pass
                def b():
                    pass
                def c():
                    pass
                def d():
                    pass
                def e():
                    pass
                def f():
                    pass
                with_retry(a)
                forward(op=b)
                later(c)
                await in_worker(d, 1)
                Runner().run(e)
                Runner.run_static(f)
            """,
        }
    )
    hows = {e.callee.rpartition(".")[2]: e.how for e in g.calls_of("pkg.app.main") if e.callee.startswith("pkg.app.main.")}
    assert hows == {"a": "callback", "b": "callback", "c": "value", "d": "offload", "e": "callback", "f": "callback"}
    assert {g.context_of(f"pkg.app.main.{n}") for n in "abef"} == {"reached"}
    assert g.context_of("pkg.app.main.c") == "sync"
    assert g.context_of("pkg.app.main.d") == "offloaded"


def test_offloaded_work_and_what_it_calls() -> None:
    g = graph(
        {
            "m.py": """
            import asyncio
            import threading
            from concurrent.futures import ThreadPoolExecutor

            EXECUTOR = ThreadPoolExecutor(4)

            def fetch(url):
                return parse(url)

            def parse(url):
                return url

            def both():
                pass

            def job():
                pass

            def background():
                pass

            def from_sync_only():
                pass

            async def handler(loop, url):
                await loop.run_in_executor(EXECUTOR, fetch, url)
                EXECUTOR.submit(job)
                threading.Thread(target=background, daemon=True).start()
                await asyncio.to_thread(both)
                both()

            def cli():
                threading.Thread(target=from_sync_only).start()
            """
        }
    )
    assert g.offloaded == frozenset({"m.fetch", "m.parse", "m.job", "m.background"})
    assert g.context_of("m.both") == "reached"  # the loop runs it too
    assert g.context_of("m.from_sync_only") == "sync"
