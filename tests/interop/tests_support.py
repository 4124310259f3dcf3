"""Small helpers for the interop tests."""

from __future__ import annotations

from pathlib import Path

from helpers import DATA, copy_workspace

import verlicht


def mini_built(tmp_path: Path, base_iri: str | None = None) -> verlicht.Workspace:
    """The mini test workspace, with ``base_iri`` set in its verlicht.toml, built."""
    root = copy_workspace(DATA / "workspaces" / "mini", tmp_path / "mini")
    if base_iri:
        toml = root / "verlicht.toml"
        text = toml.read_text(encoding="utf-8")
        assert "base_iri" not in text
        toml.write_text(text.replace("[workspace]\n", f'[workspace]\nbase_iri = "{base_iri}"\n'), encoding="utf-8")
    ws = verlicht.open(root)
    ws.build()
    return ws
