"""Reading a graph page's embedded data back, as the page's own script does."""

from __future__ import annotations

import json
import re
from typing import Any

DATA = re.compile(r'<script id="verlicht-data" type="application/json">(.*?)</script>', re.S)


def page_data(html: str) -> dict[str, Any]:
    found = DATA.search(html)
    assert found, "the page has no verlicht-data script"
    return json.loads(found.group(1))


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}
