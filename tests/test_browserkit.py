"""The page-test harness itself: a local page opens offline, and a request to the network is caught."""

from __future__ import annotations

from pathlib import Path

from browserkit import open_page


def test_local_page_opens_and_runs_its_script(browser, tmp_path: Path):
    page_file = tmp_path / "p.html"
    page_file.write_text("<!doctype html><title>t</title><p id=x>a</p><script>x.textContent='b'</script>")
    with open_page(browser, page_file, name="harness") as session:
        assert session.page.text_content("#x") == "b"
        assert session.errors == []


def test_a_request_to_the_network_is_reported(browser, tmp_path: Path):
    page_file = tmp_path / "p.html"
    page_file.write_text('<!doctype html><title>t</title><script src="https://cdn.example.org/x.js"></script>')
    with open_page(browser, page_file, name="harness-cdn") as session:
        session.page.wait_for_load_state("load")
        assert any("cdn.example.org" in e for e in session.errors)
