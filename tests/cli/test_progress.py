"""The one progress helper: a bar on a terminal, nothing (and no progress work) when piped or quiet."""

from __future__ import annotations

from verlicht.cli.progress import Bar, progress_bar, shown, working


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    with progress_bar("building") as bar:
        assert bar is None
    assert not shown()


def test_no_bar_when_quiet_even_on_a_terminal(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    with progress_bar("building", quiet=True) as bar:
        assert bar is None
    assert not shown(quiet=True)


def test_on_a_terminal_the_bar_takes_the_library_callbacks_progress(monkeypatch, capsys):
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert shown()
    with progress_bar("building", total=3) as bar:
        assert isinstance(bar, Bar)
        task = bar._progress.tasks[0]
        bar(1, 3, "interviews/r01.rock")
        assert (task.completed, task.total, task.description) == (1, 3, "interviews/r01.rock")
        bar(advance=2)
        assert task.completed == 3 and task.finished
    with working("querying"):
        pass
    assert capsys.readouterr().out == ""  # progress never goes to stdout, where the rows are
