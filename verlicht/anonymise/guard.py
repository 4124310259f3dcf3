"""The privacy guard of ``verlicht build``: only anonymised sources go in, and nothing identifying slips through.

Two checks per source. The *marker*: a ``VERLICHT_anonymised`` YAML fragment,
written by ``verlicht anonymise`` (teams that anonymise elsewhere switch the
requirement off per run or per workspace). The *residual scan*, always on:
phone numbers, e-mail addresses, postcodes, IBANs and BSNs in utterance text,
and, when the key can be opened, the names the key holds. Any finding fails
the build with ``path:line``.

Both are cheap byte scans, and their result per file is cached by size and
modification time, so a rebuild scans only what changed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from verlicht.anonymise.check_digits import elfproef, iban_valid
from verlicht.errors import Location, PrivacyError
from verlicht.fsio import atomic_write_text

MARKER = b"VERLICHT_anonymised:"
CACHE_VERSION = 2  # 2: undecodable files
RESIDUAL = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<phone>(?<![\w+])(?:(?:\+|00)\s?31[\s.-]*(?:\(0\)[\s.-]*)?|\(?0)[1-9](?:\)?[\s.-]{0,3}\d){8}(?!\d))"
    r"|(?P<iban>(?<![\w])[A-Z]{2}\d{2}[\s.]?[A-Z]{4}(?:[\s.]?\d){10}(?!\d))"
    r"|(?P<bsn>(?<![\d.,-])\d{9}(?![\d]|[.,]\d))"
    r"|(?P<postcode>(?<![\w-])[1-9]\d{3}[ \t]?[A-Z]{2}(?![\w-]))"
)
LABELS = {"email": "an e-mail address", "phone": "a phone number", "iban": "an IBAN", "bsn": "a BSN",
          "postcode": "a postcode", "name": "a name from the pseudonym key"}


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    kind: str


def has_marker(data: bytes) -> bool:
    """Whether a YAML fragment of the source carries the anonymisation marker."""
    return data.startswith(MARKER) or b"\n" + MARKER in data


CODES = re.compile(rb"\[\[[^\[\]\n]*\]\]")
RESIDUAL_BYTES = re.compile(RESIDUAL.pattern.encode())
DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")


def residual_findings(data: bytes, path: str, names: Iterable[str] = ()) -> list[Finding]:
    """Personal data left in utterance text: never inside codes, ids or YAML fragments.

    Works on the bytes: codes and ids are cut out (they hold no newline, so line numbers stay), then the
    full patterns run only in small windows around digits and '@' signs, found with C-speed searches.
    """
    text = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if b"[[" in text:
        text = CODES.sub(b"", text)
    zeros = text.translate(DIGITS_TO_ZERO)
    windows: list[tuple[int, int]] = []
    for marker, back in ((b"0", 8), (b"@", 64)):
        at = zeros.find(marker)
        while at != -1:
            lo = max(0, at - back)
            hi = min(len(text), at + 64)
            if windows and lo <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
            else:
                windows.append((lo, hi))
            # A window reaches 64 bytes past a digit; the next one may start within it (windows merge).
            at = zeros.find(marker, at + (56 if marker == b"0" else 1))
    hits: dict[tuple[int, int], tuple[str, bytes]] = {}
    for lo, hi in _merged(windows):
        for m in RESIDUAL_BYTES.finditer(text, lo, hi):
            hits.setdefault(m.span(), (m.lastgroup or "?", m.group()))
    names = sorted({n for n in names if len(n) > 2}, key=len, reverse=True)
    if names:
        alternation = "|".join(re.escape(n) for n in names)
        for m in re.finditer(rf"(?<!\w)(?:{alternation})(?!\w)".encode(), text):
            hits.setdefault(m.span(), ("name", m.group()))
    accepted: list[tuple[int, int, str]] = []
    for (start, end), (kind, value) in sorted(hits.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if accepted and start < accepted[-1][1]:
            continue  # inside a longer, earlier finding (a phone-like run inside an IBAN)
        if _is_real(kind, value.decode("ascii", errors="replace")):
            accepted.append((start, end, kind))
    if not accepted:
        return []
    yaml_lines = _yaml_lines(text.decode("utf-8", errors="replace"))
    findings = []
    for start, _, kind in accepted:
        line = text.count(b"\n", 0, start) + 1
        if line not in yaml_lines:
            findings.append(Finding(path, line, kind))
    return findings


def _undecodable(data: bytes) -> list[int] | None:
    """``[line, column, byte]`` of the first byte that is not UTF-8 (as the ROCK reader reports it), or None."""
    if data.isascii():
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        start = exc.start
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    line_start = max(data.rfind(b"\n", 0, start) + 1, bom)
    return [data.count(b"\n", 0, start) + 1, len(data[line_start:start].decode("utf-8")) + 1, data[start]]


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(windows):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _is_real(kind: str, value: str) -> bool:
    if kind == "bsn":
        return elfproef(value)
    if kind == "iban":
        return iban_valid(value)
    return True


def _yaml_lines(text: str) -> set[int]:
    inside = False
    lines: set[int] = set()
    for number, line in enumerate(text.split("\n"), 1):
        if line.rstrip("\r").rstrip() == "---":
            inside = not inside
            lines.add(number)
        elif inside:
            lines.add(number)
    return lines


class Guard:
    """Checks a workspace's sources, re-scanning only files whose size or time changed."""

    def __init__(self, cache_file: Path, require_marker: bool, names: Iterable[str] = ()):
        self.cache_file = cache_file
        self.require_marker = require_marker
        self.names = sorted(set(names))
        self._names_key = (hashlib.sha256("\0".join(self.names).encode()).hexdigest()[:16]
                           if self.names else "")  # hash() of text differs per process: not a cache key
        self._cache = self._load()
        self._dirty = False

    def _load(self) -> dict:
        try:
            data = json.loads(self.cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data.get("files", {}) if data.get("version") == CACHE_VERSION else {}

    def check(self, files: list[tuple[Path, str]]) -> list[PrivacyError]:
        """Errors for every source lacking the marker (when required) or holding residual personal data."""
        errors: list[PrivacyError] = []
        seen = set()
        for path, shown in files:
            seen.add(shown)
            stat = path.stat()
            stamp = [stat.st_size, stat.st_mtime_ns, self._names_key]
            cached = self._cache.get(shown)
            if cached and cached["stamp"] == stamp:
                marker, findings = cached["marker"], [Finding(shown, line, kind) for line, kind in cached["findings"]]
                undecodable = cached.get("undecodable")
            else:
                data = path.read_bytes()
                undecodable = _undecodable(data)
                # A file that is not text (a binary named x.rock) is reported as such, not as holding e-mail
                # addresses found in random bytes.
                marker = has_marker(data) if undecodable is None else True
                findings = residual_findings(data, shown, self.names) if undecodable is None else []
                self._cache[shown] = {"stamp": stamp, "marker": marker,
                                      "findings": [[f.line, f.kind] for f in findings], "undecodable": undecodable}
                self._dirty = True
            if undecodable is not None:
                line, col, byte = undecodable
                errors.append(PrivacyError(
                    f"byte 0x{byte:02x} is not valid UTF-8: not a text file, so not checked for personal data",
                    Location(shown, line, col),
                    "save the file as UTF-8 (Word and Windows tools often write cp1252), or move it out of the "
                    "sources folder if it is not a source"))
                continue
            if self.require_marker and not marker:
                errors.append(PrivacyError(
                    "source was not written by 'verlicht anonymise' (no VERLICHT_anonymised marker)",
                    Location(shown, 1),
                    "anonymise it first, or pass --allow-unanonymised (or set require_marker = false under "
                    "[anonymise] in verlicht.toml) if your team anonymises elsewhere",
                ))
            for f in findings:
                errors.append(PrivacyError(
                    f"utterance text still holds {LABELS.get(f.kind, f.kind)}", Location(shown, f.line),
                    "anonymise the source again or replace it by hand; the build refuses personal data",
                ))
        for gone in set(self._cache) - seen:
            del self._cache[gone]
            self._dirty = True
        return errors

    def save(self) -> None:
        if self._dirty:
            atomic_write_text(self.cache_file, json.dumps({"version": CACHE_VERSION, "files": self._cache},
                                                          sort_keys=True))


GUARD_CACHE = ".cache/privacy.json"


def check_privacy(layout, allow_unanonymised: bool | None = None, key_names: Iterable[str] = ()) -> None:
    """Raise a :class:`BuildError` listing every privacy finding in the workspace's sources."""
    from verlicht.errors import BuildError

    allowed = (not layout.config.anonymise.require_marker) if allow_unanonymised is None else allow_unanonymised
    guard = Guard(layout.graphs / GUARD_CACHE, require_marker=not allowed, names=key_names)
    errors = guard.check([(path, layout.shown(path)) for path in layout.source_files()])
    guard.save()
    from verlicht.coding.memos import privacy_errors  # memos are researcher text: the same residual scan

    errors += privacy_errors(layout, guard.names)
    if errors:
        raise BuildError(errors)
