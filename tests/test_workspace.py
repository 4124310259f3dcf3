"""Finding and reading a workspace: verlicht.toml errors are located, init never overwrites."""

from __future__ import annotations

import pytest

from verlicht.errors import WorkspaceError
from verlicht.workspace import find_root, init_workspace, load_config


def test_root_is_found_from_a_subfolder(gapcase):
    assert find_root(gapcase / "interviews") == gapcase.resolve()


@pytest.mark.parametrize("text, message", [
    ("[workspace\nname = 1\n", "does not parse"),
    ("workspace = 3\n", "[workspace] must be a table"),
    ("[paths]\ninterviews = 3\n", "unknown path setting 'interviews'"),
    ("[paths]\ntranscripts = 'x'\n", "unknown path setting 'transcripts'"),
    ("[workspace]\nstrict = 'ja'\n", "strict must be true or false"),
    ("[workspace]\nsource_extensions = '.rock'\n", "source_extensions must be a list"),
])
def test_bad_config_is_a_workspace_error(tmp_path, text, message):
    (tmp_path / "verlicht.toml").write_text(text)
    with pytest.raises(WorkspaceError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(tmp_path)


def test_config_syntax_error_has_a_line(tmp_path):
    (tmp_path / "verlicht.toml").write_text("[workspace]\nname = \n")
    with pytest.raises(WorkspaceError) as caught:
        load_config(tmp_path)
    assert caught.value.location.line == 2


def test_init_keeps_existing_files(tmp_path):
    (tmp_path / "interviews").mkdir()
    mine = tmp_path / "interviews" / "voorbeeld.rock"
    mine.write_text("mijn eigen tekst\n")
    init_workspace(tmp_path, "x")
    assert mine.read_text() == "mijn eigen tekst\n"
    assert load_config(tmp_path).name == "x"
