"""The pseudonym key: which pseudonym stands for which person, address or number, locked with a passphrase.

The key is the one file that can re-identify respondents, so it is encrypted
(scrypt-derived key, Fernet: AES-128-CBC + HMAC-SHA256, from the
``cryptography`` package), written atomically, kept outside the workspace by
default, and never read by the build, exports or the graph.

Inside, a JSON document holds, per category, numbered entries with their
canonical text and the normalised forms (aliases) that map to them; the case
id and first anonymisation date per raw transcript (so a re-run gives the
same bytes); review decisions; and the remove-list.
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from verlicht.errors import KeyFileError, Location

FORMAT = "verlicht-key"
VERSION = 1
PASSPHRASE_ENV = "VERLICHT_KEY_PASSPHRASE"
NEW_PASSPHRASE_ENV = "VERLICHT_NEW_KEY_PASSPHRASE"
SCRYPT_N = 2**15
MIN_PASSPHRASE = 8
TITLE_WORDS = re.compile(
    r"^(?:(?:meneer|mijnheer|mevrouw|mevr\.?|mw\.?|dhr\.?|dokter|dr\.?|juf|juffrouw|meester|wijkagent|"
    r"huisarts|zuster|opa|oma|tante|oom|ome)\s+)+", re.IGNORECASE
)


def normalise_value(category: str, text: str) -> str:
    """The form under which a value is recognised again: same person, same number, however written."""
    value = text.replace("’", "'").strip()
    if category in ("TELEFOON",):
        digits = re.sub(r"\D", "", value)
        digits = re.sub(r"^(?:0031|31)(?:0)?", "0", digits)
        return digits
    if category in ("IBAN", "BSN", "KENTEKEN", "POSTCODE"):
        return re.sub(r"[^0-9a-z]", "", value.casefold())
    if category == "PERSOON":
        value = TITLE_WORDS.sub("", value)
        value = re.sub(r"['’]s$", "", value)
    return re.sub(r"\s+", " ", value).casefold()


@dataclass(frozen=True, slots=True)
class Entry:
    category: str
    number: int
    canonical: str
    aliases: tuple[str, ...]

    @property
    def pseudonym(self) -> str:
        return f"[{self.category}-{self.number}]"


class KeyStore:
    """The decrypted key in memory; :meth:`save` locks it again."""

    def __init__(self, path: Path, passphrase: str, data: dict, salt: bytes):
        self.path = path
        self._passphrase = passphrase
        self.data = data
        self._salt = salt
        self._index: dict[tuple[str, str], int] = {}
        for category, entries in self.data["entries"].items():
            for number, entry in entries.items():
                for alias in entry["aliases"]:
                    self._index[(category, alias)] = int(number)

    # --- opening and saving ---------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str) -> KeyStore:
        if len(passphrase) < MIN_PASSPHRASE:
            raise KeyFileError(f"passphrase is shorter than {MIN_PASSPHRASE} characters", Location(str(path)),
                               "choose a longer passphrase; the key can re-identify every respondent")
        data = {"version": VERSION, "created": date.today().isoformat(), "counters": {}, "entries": {},
                "documents": {}, "decisions": {"reject": [], "keep": [], "missed": []}, "remove": [],
                "forgotten": 0}
        return cls(path, passphrase, data, os.urandom(16))

    @classmethod
    def open(cls, path: Path, passphrase: str) -> KeyStore:
        shown = str(path)
        try:
            envelope = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise KeyFileError("key file does not exist", Location(shown),
                               "check --key, or run 'verlicht anonymise' to create it") from None
        except (OSError, ValueError) as exc:
            raise KeyFileError(f"not a VERLICHT key file ({exc.__class__.__name__})", Location(shown),
                               "point --key at the .verlicht-key file") from None
        if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
            raise KeyFileError("not a VERLICHT key file", Location(shown), "point --key at the .verlicht-key file")
        if envelope.get("version") != VERSION:
            raise KeyFileError(f"key file version {envelope.get('version')} is not supported", Location(shown),
                               "use the VERLICHT version that wrote it")
        try:
            salt = base64.b64decode(envelope["kdf"]["salt"])
            token = envelope["token"].encode("ascii")
            fernet = Fernet(_derive(passphrase, salt, envelope["kdf"].get("n", SCRYPT_N)))
            data = json.loads(fernet.decrypt(token))
        except InvalidToken:
            raise KeyFileError("wrong passphrase for the key file (or the file was altered)", Location(shown),
                               f"check {PASSPHRASE_ENV}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise KeyFileError(f"key file is damaged ({exc.__class__.__name__})", Location(shown),
                               "restore it from your backup") from None
        return cls(path, passphrase, data, salt)

    @classmethod
    def open_or_create(cls, path: Path, passphrase: str) -> KeyStore:
        return cls.open(path, passphrase) if path.exists() else cls.create(path, passphrase)

    def save(self) -> None:
        """Encrypt and write atomically, readable by the owner only."""
        plain = json.dumps(self.data, ensure_ascii=False, sort_keys=True).encode("utf-8")
        token = Fernet(_derive(self._passphrase, self._salt, SCRYPT_N)).encrypt(plain)
        envelope = {
            "format": FORMAT, "version": VERSION,
            "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": 8, "p": 1,
                    "salt": base64.b64encode(self._salt).decode("ascii")},
            "cipher": "fernet", "token": token.decode("ascii"),
        }
        from verlicht.anonymise.keyfile import default_key_dir
        from verlicht.anonymise.private import write_private

        # Owner-only from the first byte (no moment where the new key is readable by others); the default
        # key folder is tightened to 0700 too (see verlicht.anonymise.private).
        ours = self.path.parent.resolve() == default_key_dir().resolve()
        write_private(self.path, json.dumps(envelope, indent=1).encode("utf-8") + b"\n", folder_is_ours=ours)

    def rotate(self, new_passphrase: str) -> None:
        """Lock the key with a new passphrase (and a new salt)."""
        if len(new_passphrase) < MIN_PASSPHRASE:
            raise KeyFileError(f"new passphrase is shorter than {MIN_PASSPHRASE} characters", Location(str(self.path)),
                               "choose a longer passphrase")
        self._passphrase = new_passphrase
        self._salt = os.urandom(16)
        self.save()

    # --- pseudonyms -----------------------------------------------------------------------------------------

    def lookup(self, category: str, text: str) -> Entry | None:
        number = self._index.get((category, normalise_value(category, text)))
        return self.entry(category, number) if number is not None else None

    def entry(self, category: str, number: int) -> Entry | None:
        raw = self.data["entries"].get(category, {}).get(str(number))
        if raw is None:
            return None
        return Entry(category, number, raw["canonical"], tuple(raw["aliases"]))

    def entries(self) -> list[Entry]:
        return [
            Entry(category, int(number), raw["canonical"], tuple(raw["aliases"]))
            for category in sorted(self.data["entries"])
            for number, raw in sorted(self.data["entries"][category].items(), key=lambda kv: int(kv[0]))
        ]

    def pseudonym(self, category: str, text: str, same_as: str | None = None) -> str:
        """The pseudonym for ``text``; a new number when it is new. ``same_as``: a longer form already known
        in this document ("Ploumen" for "Mia Ploumen"), whose entry this text joins as an alias."""
        alias = normalise_value(category, text)
        number = self._index.get((category, alias))
        if number is None and same_as is not None:
            number = self._index.get((category, normalise_value(category, same_as)))
        if number is None:
            number = self._next(category)
            self.data["entries"].setdefault(category, {})[str(number)] = {"canonical": text, "aliases": []}
        entry = self.data["entries"][category][str(number)]
        if alias not in entry["aliases"]:
            entry["aliases"].append(alias)
            self._index[(category, alias)] = number
        return f"[{category}-{number}]"

    def fresh(self, category: str) -> str:
        """A pseudonym linked to no one: what a forgotten person's mentions become."""
        return f"[{category}-{self._next(category)}]"

    def _next(self, category: str) -> int:
        counters = self.data["counters"]
        counters[category] = counters.get(category, 0) + 1
        return counters[category]

    def forget(self, category: str, number: int) -> Entry:
        """Drop an entry and every trace of it (aliases, remove-list items, speaker names)."""
        raw = self.data["entries"].get(category, {}).pop(str(number), None)
        if raw is None:
            raise KeyFileError(f"no [{category}-{number}] in the key", Location(str(self.path)),
                               "list pseudonyms with 'verlicht key show'")
        aliases = set(raw["aliases"])
        self._index = {k: v for k, v in self._index.items() if not (k[0] == category and v == number)}
        self.data["remove"] = [r for r in self.data["remove"] if normalise_value(category, r) not in aliases]
        for document in self.data["documents"].values():
            document["remove"] = [r for r in document.get("remove", []) if normalise_value(category, r) not in aliases]
        self.data["forgotten"] = self.data.get("forgotten", 0) + 1
        return Entry(category, number, raw["canonical"], tuple(raw["aliases"]))

    def find(self, who: str) -> Entry:
        """An entry named by pseudonym (``PERSOON-7``, ``[PERSOON-7]``) or by one of its names."""
        match = re.fullmatch(r"\[?([A-Z]+)-(\d+)\]?", who.strip())
        if match:
            entry = self.entry(match.group(1), int(match.group(2)))
            if entry:
                return entry
        else:
            found = {e for e in self.entries() if normalise_value(e.category, who) in e.aliases}
            if len(found) == 1:
                return found.pop()
            if len(found) > 1:
                raise KeyFileError(f"'{who}' matches {len(found)} entries", Location(str(self.path)),
                                   "name the pseudonym instead, e.g. PERSOON-7")
        raise KeyFileError(f"'{who}' is not in the key", Location(str(self.path)),
                           "list entries with 'verlicht key show'")

    # --- documents and decisions ----------------------------------------------------------------------------

    def document(self, digest: str) -> dict:
        """What the key remembers of one raw transcript (by content hash): case id, first date, remove-list."""
        return self.data["documents"].setdefault(digest, {"date": date.today().isoformat(), "remove": []})

    def person_names(self) -> list[str]:
        """Every person name the key knows, for the residual scan at build time."""
        return [raw["canonical"] for raw in self.data["entries"].get("PERSOON", {}).values()]


def _derive(passphrase: str, salt: bytes, n: int) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=n, r=8, p=1)
    return base64.urlsafe_b64encode(kdf.derive(passphrase.encode("utf-8")))


def passphrase_from_env_or_prompt(path: Path, creating: bool, env: str = PASSPHRASE_ENV) -> str:
    """The passphrase from the environment, else asked on the terminal (twice when a key is made)."""
    value = os.environ.get(env)
    if value:
        return value
    import sys

    import click

    if not sys.stdin.isatty():
        raise KeyFileError(f"no passphrase: {env} is not set and there is no terminal to ask on",
                           Location(str(path)), f"export {env}=… (never pass it as an argument)")
    return click.prompt(f"passphrase for {path}", hide_input=True, confirmation_prompt=creating)
