"""Module names from import roots (asyncmig.importroots)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from asyncmig.cli.app import app
from asyncmig.config import load_plan
from asyncmig.errors import ConfigError
from asyncmig.importroots import imported_names, module_names


def names(files: dict[str, str], **kwargs) -> dict[str, str]:
    rels = sorted(files)
    imports = {rel: imported_names(text.encode()) for rel, text in files.items()}
    result = module_names(rels, imports, **kwargs)
    return {rel: result[rel][0] for rel in rels}


def test_imported_names() -> None:
    source = b"""
import os, requests as rq
import a.b.c  # comment
from x.y import (
    z,  # first
    w as v,
)
from . import sibling
from .rel import thing
from m import *
    from late import f; g()
"""
    assert imported_names(source) == (
        "os", "requests", "a.b.c", "x.y", "x.y.z", "x.y.w", "m", "late", "late.f",
    )
    assert imported_names(b"print('no imports here')") == ()


def test_a_namespace_portion_inside_a_package_is_named_from_the_import_root() -> None:
    files = {
        "backend/utils/__init__.py": "",
        "backend/utils/conversations/location.py": "import requests\n",
        "backend/routers/pusher.py": "from utils.conversations.location import get\n",
        "backend/routers/other.py": "",
    }
    assert names(files) == {
        "backend/routers/other.py": "other",  # nobody imports it: the __init__ climb
        "backend/routers/pusher.py": "pusher",
        "backend/utils/__init__.py": "utils",
        "backend/utils/conversations/location.py": "utils.conversations.location",
    }


def test_without_imports_the_init_climb_passes_over_portions() -> None:
    files = {
        "svc/pkg/__init__.py": "",
        "svc/pkg/portion/mod.py": "",
        "scripts/tool.py": "",
        "main.py": "",
    }
    assert names(files) == {
        "main.py": "main",
        "scripts/tool.py": "tool",
        "svc/pkg/__init__.py": "pkg",
        "svc/pkg/portion/mod.py": "pkg.portion.mod",
    }


def test_src_layout_and_tests_package() -> None:
    files = {
        "src/shop/__init__.py": "",
        "src/shop/api.py": "",
        "tests/__init__.py": "",
        "tests/test_api.py": "from shop.api import app\nfrom tests.helpers import make\n",
        "tests/helpers.py": "",
    }
    assert names(files) == {
        "src/shop/__init__.py": "shop",
        "src/shop/api.py": "shop.api",
        "tests/__init__.py": "tests",
        "tests/helpers.py": "tests.helpers",
        "tests/test_api.py": "tests.test_api",
    }


def test_the_root_most_imports_resolve_from_wins() -> None:
    # app/config.py is "app.config" to three imports and "config" to one: app's parent wins
    files = {
        "app/__init__.py": "",
        "app/config.py": "",
        "app/core.py": "from app.config import settings\n",
        "app/api.py": "from app.config import settings\nimport app.core\n",
        "app/legacy.py": "import config\n",
    }
    assert names(files)["app/config.py"] == "app.config"


def test_import_roots_override_detection() -> None:
    files = {
        "services/api/handlers.py": "from services.api.db import q\n",
        "services/api/db.py": "",
        "other/x.py": "",
    }
    assert names(files)["services/api/db.py"] == "services.api.db"
    assert names(files, import_roots=["services/api"]) == {
        "other/x.py": "x",  # outside the configured roots: detected
        "services/api/db.py": "db",
        "services/api/handlers.py": "handlers",
    }


def test_two_files_never_share_a_name_silently() -> None:
    files = {"jobs/a/memories.py": "", "jobs/b/memories.py": "", "pkg/mod.py": "", "pkg/mod/__init__.py": ""}
    result = module_names(sorted(files), {rel: () for rel in files})
    assert result["jobs/a/memories.py"] == ("memories", False)
    assert result["jobs/b/memories.py"] == ("jobs.b.memories", False)
    # Python prefers the package to the module of the same name
    assert result["pkg/mod/__init__.py"] == ("mod", True)
    assert result["pkg/mod.py"] == ("pkg.mod", False)
    assert result.collisions == (
        ("memories", "jobs/a/memories.py", ("jobs/b/memories.py",)),
        ("mod", "pkg/mod/__init__.py", ("pkg/mod.py",)),
    )


def test_import_roots_config_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    api = tmp_path / "services" / "api"
    api.mkdir(parents=True)
    (api / "db.py").write_text("import requests\n\ndef load():\n    return requests.get('http://db')\n")
    (api / "handlers.py").write_text("import db\n\nasync def index():\n    return db.load()\n")
    (tmp_path / "migrations.toml").write_text(
        '[migration]\nimport_roots = ["services/api"]\n\n[[phases]]\nname = "http"\ncodemods = ["requests-to-httpx"]\n'
    )
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(app, ["scan", "--format", "json", "--no-cache"])
    assert out.exit_code == 0, out.output
    assert '"function": "db.load"' in out.stdout and '"context": "reached"' in out.stdout
    (tmp_path / "migrations.toml").write_text('[migration]\nimport_roots = ["nowhere"]\n')
    with pytest.raises(ConfigError) as error:
        load_plan(tmp_path / "migrations.toml")
    assert error.value.key == "migration.import_roots"
    assert "'nowhere' does not exist" in str(error.value)
