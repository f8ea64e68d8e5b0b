"""New imports go to their sorted place when the file's imports are sorted (isort / ruff I),
and long new lines wrap as ruff format would; unsorted files keep AddImportsVisitor's place."""

from __future__ import annotations

import libcst as cst
import pytest

from asyncmig.imports import place_new_imports

SORTED = '''\
"""Doc."""

import logging
import time

import requests

from app.core import settings
from app.db import session

LOG = logging.getLogger(__name__)
'''


def placed(before: str, added: list[str], first_party=("app",), line_length=None) -> str:
    """``added`` put after the last import (where AddImportsVisitor puts them), then placed."""
    tree = cst.parse_module(before)
    body = list(tree.body)
    last = max(i for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine) and isinstance(s.body[0], (cst.Import, cst.ImportFrom)))
    new = [cst.parse_statement(line + "\n") for line in added]
    after = tree.with_changes(body=[*body[: last + 1], *new, *body[last + 1 :]])
    return place_new_imports(tree, after, first_party=first_party, line_length=line_length).code


@pytest.mark.parametrize(
    ("added", "expected"),
    [
        (["import asyncio"], SORTED.replace("import logging\n", "import asyncio\nimport logging\n")),
        (["import anyio"], SORTED.replace("import requests\n", "import anyio\nimport requests\n")),
        (
            ["from app.http_clients import get_client"],
            SORTED.replace("from app.db import session\n", "from app.db import session\nfrom app.http_clients import get_client\n"),
        ),
        (
            ["from .http_clients import get_client"],
            SORTED.replace("from app.db import session\n", "from app.db import session\n\nfrom .http_clients import get_client\n"),
        ),
    ],
)
def test_a_new_import_joins_its_group_in_sorted_order(added, expected):
    assert placed(SORTED, added) == expected


def test_a_section_the_file_lacks_becomes_its_own_group_in_section_order():
    before = "from app.core import settings\n\nX = 1\n"
    assert placed(before, ["import asyncio"]) == "import asyncio\n\nfrom app.core import settings\n\nX = 1\n"


def test_unsorted_imports_are_left_where_add_imports_put_them():
    before = "import time\nimport logging\n\nX = 1\n"
    assert placed(before, ["import asyncio"]) == "import time\nimport logging\nimport asyncio\n\nX = 1\n"


def test_a_comment_heading_the_block_stays_first():
    header = "# stdlib\nimport logging\n\nX = 1\n"  # the module's header comment
    assert placed(header, ["import asyncio"]) == "# stdlib\nimport asyncio\nimport logging\n\nX = 1\n"
    above = '"""Doc."""\n\n# stdlib\nimport logging\n\nX = 1\n'  # a comment on the first import
    assert placed(above, ["import asyncio"]) == '"""Doc."""\n\n# stdlib\nimport logging\nimport asyncio\n\nX = 1\n'


def test_a_new_line_past_the_line_length_is_wrapped_like_ruff_format():
    before = "import logging\n\nfrom app.core import settings\n"
    got = placed(before, ["from app.services.notifications.http_clients import get_client"], line_length=50)
    assert got == (
        "import logging\n\nfrom app.core import settings\n"
        "from app.services.notifications.http_clients import (\n    get_client,\n)\n"
    )
    short = placed(before, ["from app.services.notifications.http_clients import get_client"])
    assert "import (" not in short  # within the default 88


def test_nothing_added_changes_nothing():
    tree = cst.parse_module(SORTED)
    assert place_new_imports(tree, tree) is tree


BEFORE = '''\
async def callback(data, headers):
    response = requests.post("https://api.notion.com/v1/oauth/token", data=json.dumps(data), headers=headers)
    unchanged = some_function_with_a_long_name("an argument that is long", "and another one that is longer")
    return response
'''
AFTER = BEFORE.replace(
    'requests.post("https://api.notion.com/v1/oauth/token", data=',
    'await get_client("default").post("https://api.notion.com/v1/oauth/token", content=',
)


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (
            120,
            '    response = await get_client("default").post(\n'
            '        "https://api.notion.com/v1/oauth/token", content=json.dumps(data), headers=headers\n'
            "    )\n",
        ),
        (
            88,
            '    response = await get_client("default").post(\n'
            '        "https://api.notion.com/v1/oauth/token",\n'
            "        content=json.dumps(data),\n"
            "        headers=headers,\n"
            "    )\n",
        ),
    ],
)
def test_a_rewritten_line_past_the_limit_is_split_like_ruff_format(width, expected):
    from asyncmig.imports import wrap_long_lines

    got = wrap_long_lines(cst.parse_module(BEFORE), cst.parse_module(AFTER), width).code
    assert got == AFTER.replace(AFTER.splitlines(keepends=True)[1], expected)  # the long old line stays


def test_lines_within_the_limit_are_left_alone():
    from asyncmig.imports import wrap_long_lines

    after = cst.parse_module(AFTER)
    assert wrap_long_lines(cst.parse_module(BEFORE), after, 200) is after
