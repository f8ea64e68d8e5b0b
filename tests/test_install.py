"""Both an editable and a wheel install import asyncmig.codemods and expose `asyncmig`."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import asyncmig.codemods, asyncmig.codemods.sleep_to_asyncio as m; "
    "from asyncmig import registry; "
    "import importlib.resources as r; "
    "assert r.files('asyncmig.codemods.templates').joinpath('http_clients.py.tmpl').is_file(); "
    "print(asyncmig.codemods.__file__); print(','.join(registry.codemods()))"
)


def venv_with_deps(path: Path) -> Path:
    """A fresh venv that sees this environment's dependencies but not its asyncmig."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    purelib = Path(
        subprocess.run(
            [str(path / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    )
    # The dependencies, without the editable finder of the outer checkout.
    (purelib / "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return path / "bin" / "python"


def pip(python: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--no-build-isolation", *args],
        check=True, capture_output=True, timeout=300,
    )


def probe(venv: Path) -> list[str]:
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-c", PROBE], capture_output=True, text=True, cwd=venv
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


@pytest.mark.slow
def test_wheel_install(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = wheels.glob("asyncmig-*.whl")
    venv = tmp_path / "wheel-venv"
    pip(venv_with_deps(venv), str(wheel))
    location, names = probe(venv)
    assert location.startswith(str(venv)) and location.endswith("asyncmig/codemods/__init__.py")
    assert "sleep-to-asyncio" in names.split(",")
    script = subprocess.run([str(venv / "bin" / "asyncmig"), "codemods"], capture_output=True, text=True)
    assert script.returncode == 0 and "sleep-to-asyncio" in script.stdout


@pytest.mark.slow
def test_editable_install(tmp_path: Path) -> None:
    venv = tmp_path / "editable-venv"
    pip(venv_with_deps(venv), "-e", str(ROOT))
    location, names = probe(venv)
    assert Path(location) == ROOT / "codemods" / "__init__.py"
    assert "sleep-to-asyncio" in names.split(",")
    script = subprocess.run([str(venv / "bin" / "asyncmig"), "codemods"], capture_output=True, text=True)
    assert script.returncode == 0 and "sleep-to-asyncio" in script.stdout
