"""check's next steps: the dry pass on a focused view answers as on the whole file."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from asyncmig import checkhints
from asyncmig.scan import scan

CASES = Path(__file__).parent / "fixtures" / "scan" / "cases"


def test_focus_keeps_what_a_codemod_needs_and_maps_lines_back() -> None:
    source = textwrap.dedent(
        '''\
        """Module docstring."""
        import time
        import requests

        SESSION = requests.Session()
        LIMIT = 3


        def unrelated():
            return 1


        class Service:
            timeout: float = 5.0

            def __init__(self):
                self.http = requests.Session()

            def configure(self):
                self.retries = 2

            def other(self):
                return 2

            async def handler(self):
                time.sleep(1)
        '''
    ).encode()
    view, numbers = checkhints.focus(source, [26])
    assert view.decode().splitlines() == [
        "import time",
        "import requests",
        "SESSION = requests.Session()",
        "class Service:",
        "    timeout: float = 5.0",
        "    def __init__(self):",
        "        self.http = requests.Session()",
        "    async def handler(self):",
        "        time.sleep(1)",
    ]
    assert numbers == [2, 3, 5, 13, 14, 16, 17, 25, 26]
    view, _ = checkhints.focus(source, [26], attributes=True)
    assert "self.retries = 2" in view.decode()
    assert checkhints.focus(b"def broken(:\n", [1]) == (b"def broken(:\n", [1, 2])


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if (p / "check.txt").exists()))
def test_the_focused_dry_pass_answers_as_the_whole_file(name: str, tmp_path: Path, monkeypatch) -> None:
    import shutil

    shutil.copytree(CASES / name / "project", tmp_path / "p")
    result = scan(["."], tmp_path / "p", use_cache=False, jobs=1, on_loop_only=True)
    failing = [f for f in result.findings if f.context == "async"]
    focused = checkhints.hints(failing, tmp_path / "p", None, use_cache=False, jobs=1)
    monkeypatch.setattr(checkhints, "focus", lambda source, keep, attributes=False: (source, None))
    whole = checkhints.hints(failing, tmp_path / "p", None, use_cache=False, jobs=1)
    assert focused == whole
