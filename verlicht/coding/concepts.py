"""Adding a concept to the codebook while coding, keeping the file's comments and layout."""

from __future__ import annotations

import json
import re
from pathlib import Path

from verlicht.codebook import CONCEPT_TYPES, Codebook, load_codebook
from verlicht.errors import CodebookError, CodingError, Location
from verlicht.fsio import atomic_write_text


def add_concept(path: Path, code: str, kind: str, label_nl: str, label_en: str = "",
                themes: set[str] | None = None, shown: str | None = None) -> Codebook:
    """Append ``code`` to the ``concepts:`` block of the codebook file and return the re-read codebook.

    The block is inserted as text after the last concept, so comments and the order of
    the file stay as the team wrote them; the result is validated before it is written.
    """
    shown = shown or str(path)
    book = load_codebook(path, shown, themes)
    if code in book.concepts:
        raise CodingError(f"concept '{code}' is already in the codebook", Location(shown, book.concepts[code].line),
                          "use it as it is, or rename it with 'verlicht codebook rename'")
    if kind not in CONCEPT_TYPES:
        raise CodingError(f"'{kind}' is not a concept type", Location(shown), f"use one of: {', '.join(CONCEPT_TYPES)}")
    data = path.read_bytes() if path.exists() else b"version: 1\nconcepts:\n"
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    block = [f"  {code}:", f"    type: {kind}",
             f"    label: {{nl: {_scalar(label_nl or code)}, en: {_scalar(label_en or label_nl or code)}}}"]
    start = next((i for i, line in enumerate(lines) if line.rstrip() == "concepts:"), None)
    if start is None:
        if any(line.startswith("concepts:") for line in lines):
            raise CodingError("the codebook's 'concepts:' is written inline", Location(shown),
                              "write 'concepts:' on its own line with one block per concept, then try again")
        lines[-1:] = ["concepts:", *block, ""] if lines[-1] == "" else [lines[-1], "concepts:", *block]
    else:
        end = start + 1
        last = start
        while end < len(lines):
            line = lines[end]
            if line and not line[0].isspace() and not line.startswith("#"):
                break  # the next top-level section
            if line.strip() and not line.lstrip().startswith("#"):
                last = end
            end += 1
        lines[last + 1:last + 1] = block
    new_text = ("\ufeff" if bom else "") + newline.join(lines)  # the file's own line ends and BOM
    tmp = path.with_name(f".{path.name}.check")
    try:
        tmp.write_text(new_text, encoding="utf-8")
        checked = load_codebook(tmp, shown, themes)
    except CodebookError as exc:
        raise CodingError(f"adding '{code}' would break the codebook: {exc.message}", Location(shown),
                          "fix the codebook by hand first") from None
    finally:
        tmp.unlink(missing_ok=True)
    atomic_write_text(path, new_text)
    return checked


_PLAIN = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9 ()/.-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}


def _scalar(text: str) -> str:
    """A label as a YAML flow scalar: plain when it cannot mean anything else, else double-quoted (JSON quoting
    is valid YAML), so 't Loon, 'no' or a label with a comma or colon reads back as written."""
    plain = _PLAIN.fullmatch(text) and text.strip() == text and text.lower() not in _YAML_WORDS
    return text if plain else json.dumps(text, ensure_ascii=False)
