"""The codebook as text: edited line by line so comments, order and layout stay, and a merge's synonyms.

A merge offers the folded concept's Dutch label (without qualifiers such as "(thema)") and synonyms
as synonyms of the concept it is folded into, never one it already has (case aside); its English label
only when the codebook already keeps English labels as synonyms (see :func:`merged_synonyms`; "Dutch"
is the workspace's ``language``).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from verlicht.codebook import Codebook
from verlicht.errors import CodebookError, Location
from verlicht.yamlio import LineDict, load_yaml


class BookText:
    """The codebook's lines, edited in place so that comments, order and layout stay as they are."""

    def __init__(self, path: Path, shown: str):
        self.path, self.shown = path, shown
        self.data = load_yaml(path, shown) if path.exists() else None
        # The bytes as they are (read_text would turn CRLF into LF): apply compares them with the disk, and the
        # rewritten codebook keeps the file's line ends.
        self.original = path.read_bytes().decode("utf-8") if path.exists() else ""
        self.lines = self.original.splitlines(keepends=True)
        if self.data is not None and not isinstance(self.data, dict):
            raise CodebookError("the codebook must be a mapping", Location(shown, 1))

    def render(self) -> str:
        return "".join(self.lines)

    def _newline(self) -> str:
        return "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"

    def _section(self, section: str) -> Any:
        return (self.data or {}).get(section) or {}

    def _entries(self, section: str) -> list[tuple[str, int, Any]]:
        """``(name, first line, spec)`` of each entry, in file order (1-based lines)."""
        data = self._section(section)
        if isinstance(data, LineDict):
            return sorted(((str(k), data.lines[k], v) for k, v in data.items()), key=lambda e: e[1])
        entries = []
        keys = ("code", "id", "name") if section == "concepts" else ("type", "id", "name")
        for spec in data if isinstance(data, list) else []:
            name = next((str(spec[k]) for k in keys if isinstance(spec, dict) and spec.get(k) is not None), None)
            if name is not None and isinstance(spec, LineDict):
                first = spec.line
                if not self.lines[first - 1].lstrip().startswith("-"):
                    first -= 1  # "-" alone on the line above the entry's first key
                entries.append((name, first, spec))
        return entries

    def _entry(self, section: str, name: str) -> tuple[int, int, Any]:
        """The first and last line (1-based, comments and blank lines after it left out) of an entry."""
        entries = self._entries(section)
        for i, (entry, first, spec) in enumerate(entries):
            if entry == name:
                last = entries[i + 1][1] - 1 if i + 1 < len(entries) else self._section_end(section)
                while last > first and (not self.lines[last - 1].strip()
                                        or self.lines[last - 1].lstrip().startswith("#")):
                    last -= 1
                return first, last, spec
        raise CodebookError(f"'{name}' not found under {section}", Location(self.shown))

    def _section_end(self, section: str) -> int:
        start = self.data.lines[section]
        later = [line for line in self.data.lines.values() if line > start]
        return min(later) - 1 if later else len(self.lines)

    def _replace_on(self, line: int, pattern: str, new: str, what: str) -> None:
        text = self.lines[line - 1]
        match = re.search(pattern, text)
        if not match:
            raise CodebookError(f"cannot find {what} on this line", Location(self.shown, line),
                                "edit the codebook by hand")
        self.lines[line - 1] = text[: match.start(1)] + new + text[match.end(1) :]

    def rename_key(self, section: str, old: str, new: str) -> None:
        first, _last, spec = self._entry(section, old)
        name = rf"({re.escape(old)})(?![A-Za-z0-9_])"
        if isinstance(self._section(section), LineDict):
            self._replace_on(first, rf"^\s*['\"]?{name}", new, f"the key '{old}'")
        else:
            key = next(k for k in ("code", "type", "id", "name") if str(spec.get(k)) == old)
            self._replace_on(spec.lines[key], rf"\b{key}\s*:\s*['\"]?{name}", new, f"'{key}: {old}'")

    def retype(self, section: str, name: str, old: str, new: str) -> None:
        first, _last, spec = self._entry(section, name)
        line = spec.lines.get("type", first) if isinstance(spec, LineDict) else first
        self._replace_on(line, rf"\btype\s*:\s*['\"]?({re.escape(old)})(?![A-Za-z0-9_])", new, f"'type: {old}'")

    def remove_entry(self, section: str, name: str) -> None:
        first, last, _spec = self._entry(section, name)
        if first > 1 and not self.lines[first - 2].strip() and last < len(self.lines) and (
                not self.lines[last].strip()):
            last += 1  # one blank line between the neighbours, not two
        del self.lines[first - 1 : last]
        self.data = None if not self.lines else _reload(self.render(), self.shown)

    def add_synonyms(self, section: str, name: str, words: list[str]) -> None:
        if not words:
            return
        first, last, spec = self._entry(section, name)
        items = ", ".join(_flow_scalar(w) for w in words)
        synonyms = spec.get("synonyms") if isinstance(spec, dict) else None
        if first == last and "{" in self.lines[first - 1]:
            raise CodebookError(f"cannot add synonyms to '{name}', written on one line", Location(self.shown, first),
                                "write the concept as a block (one key per line) and run this again")
        if "synonyms" in spec.lines:
            line = spec.lines["synonyms"]
            text = self.lines[line - 1]
            flow = re.match(r"^(\s*synonyms\s*:\s*\[)(.*)\](\s*(?:#.*)?\r?\n?)$", text)
            if flow:
                inside = flow.group(2).rstrip()
                joined = f"{inside}, {items}" if inside.strip() else items
                self.lines[line - 1] = f"{flow.group(1)}{joined}]{flow.group(3)}"
            elif isinstance(synonyms, list) and synonyms:
                end = line
                while end < last and self.lines[end].lstrip().startswith("-"):
                    end += 1
                item = self.lines[end - 1]
                indent = item[: len(item) - len(item.lstrip())]
                self.lines[end:end] = [f"{indent}- {_flow_scalar(w)}{self._newline()}" for w in words]
            else:
                indent = text[: len(text) - len(text.lstrip())]
                old = [] if synonyms in (None, []) else [str(synonyms)]
                self.lines[line - 1] = (f"{indent}synonyms: [{', '.join([*map(_flow_scalar, old), items])}]"
                                        f"{self._newline()}")
        else:
            below = self.lines[first] if first < len(self.lines) else "    "
            indent = below[: len(below) - len(below.lstrip())] or "    "
            self.lines[last:last] = [f"{indent}synonyms: [{items}]{self._newline()}"]
        self.data = _reload(self.render(), self.shown)

    def add_edge_type(self, name: str, kind: Any) -> None:
        """Write a definition of edge type ``name`` like ``kind`` at the end of ``edge_types``."""
        parts = [f"kind: {kind.kind}"]
        if kind.kind == "causal":
            parts.append(f'polarity: "{kind.polarity or "?"}"')
        parts.append(f"label: {{nl: {_flow_scalar(kind.label_nl)}, en: {_flow_scalar(kind.label_en)}}}")
        if kind.color:
            parts.append(f'color: "{kind.color}"')
        nl = self._newline()
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += nl
        section = self._section("edge_types")
        if self.data and "edge_types" in self.data and isinstance(section, LineDict) and section:
            entries = self._entries("edge_types")
            _first, last, _spec = self._entry("edge_types", entries[-1][0])
            sample = self.lines[entries[-1][1] - 1]
            indent = sample[: len(sample) - len(sample.lstrip())]
            self.lines[last:last] = [f"{indent}{name}: {{{', '.join(parts)}}}{nl}"]
        elif self.data and isinstance(section, list) and self._entries("edge_types"):
            entries = self._entries("edge_types")
            _first, last, _spec = self._entry("edge_types", entries[-1][0])
            sample = self.lines[entries[-1][1] - 1]
            indent = sample[: len(sample) - len(sample.lstrip())]
            self.lines[last:last] = [f"{indent}- type: {name}{nl}"] + [
                f"{indent}  {part}{nl}" for part in parts]
        elif self.data and "edge_types" in self.data:
            raise CodebookError("cannot add an edge type to this 'edge_types' section by text",
                                Location(self.shown, self.data.lines["edge_types"]), "add it by hand and run again")
        else:
            self.lines.append(f"edge_types:{nl}  {name}: {{{', '.join(parts)}}}{nl}")
        self.data = _reload(self.render(), self.shown)


def _reload(text: str, shown: str) -> Any:
    with tempfile.TemporaryDirectory(prefix="verlicht-codebook-") as folder:
        probe = Path(folder) / "codebook.yaml"
        probe.write_bytes(text.encode("utf-8"))
        return load_yaml(probe, shown)


_PLAIN = re.compile(r"[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9 _.'()/-]*")


def _flow_scalar(word: str) -> str:
    """A word as a YAML flow-sequence item: plain when that reads back as the same text, else quoted."""
    import yaml

    if _PLAIN.fullmatch(word) and not word.endswith(" "):
        try:
            if yaml.safe_load(f"[{word}]") == [word]:
                return word
        except yaml.YAMLError:
            pass
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


QUALIFIER = re.compile(r"\s*\([^()]*\)\s*")


def bare_label(label: str) -> str:
    """A label without its parenthesised qualifiers: "Instroom (thema)" -> "Instroom"."""
    return " ".join(QUALIFIER.sub(" ", label or "").split())


def merged_synonyms(codebook: Codebook, gone: Any, kept: Any, language: str = "nl") -> tuple[list[str], list[str]]:
    """The words a merge of concept ``gone`` into ``kept`` offers as ``kept``'s synonyms, and the labels left out.

    Synonyms are what interviewees say, matched in the interviews (the suggester reads them with the
    Dutch labels), so a synonym is a word in the workspace's language. Offered: ``gone``'s label in that
    language without its parenthesised qualifiers ("Instroom (thema)" -> "Instroom": the qualifier
    tells coders apart in a list, nobody says it), then its synonyms as they are. Its label in the other
    language only when the codebook already keeps such labels as synonyms (some concept's synonyms hold
    a concept's label in that language that differs from its label in the workspace's language): a team
    that codes English interviews does, a Dutch codebook does not get "Inflow" from a merge.
    """
    other = "en" if language != "en" else "nl"
    words = [bare_label(gone.label(language)), *gone.synonyms]
    foreign = bare_label(gone.label(other))
    left_out: list[str] = []
    if foreign and foreign.casefold() != bare_label(gone.label(language)).casefold():
        if keeps_labels_as_synonyms(codebook, other, language):
            words.insert(1, foreign)
        else:
            left_out.append(gone.label(other))
    return words, left_out


def keeps_labels_as_synonyms(codebook: Codebook, lang: str, language: str = "nl") -> bool:
    """Whether a synonym anywhere in the codebook is a concept's label in ``lang`` (qualifiers aside) that
    differs from its label in ``language`` — the codebook's own sign that such words are wanted."""
    synonyms = {" ".join(str(w).split()).casefold() for c in codebook.concepts.values() for w in c.synonyms}
    for concept in codebook.concepts.values():
        label = bare_label(concept.label(lang)).casefold()
        if label and label in synonyms and label != bare_label(concept.label(language)).casefold():
            return True
    return False


def new_synonyms(words: list[str], existing: list[str]) -> list[str]:
    """``words`` that are not among ``existing`` or earlier in ``words`` (case and spacing aside)."""
    seen = {" ".join(w.split()).casefold() for w in existing}
    result = []
    for word in words:
        word = " ".join(word.split())
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            result.append(word)
    return result
