"""The detection pipeline: spaCy components that find personal data in Dutch transcript text.

A trained Dutch spaCy model is used when one is installed (its sentence
boundaries and person/place entities); otherwise ``spacy.blank("nl")`` with a
sentencizer. On top come our components, registered by name like any spaCy
component:

``verlicht_rules``    our patterns (:mod:`verlicht.anonymise.rules`)
``verlicht_deduce``   the ``deduce`` de-identifier for Dutch text
``verlicht_ner``      the model's PER/LOC entities, when the model has an ``ner``
``verlicht_resolve``  keep-list, remove-list and review decisions; overlaps merged

The result of a document is ``doc._.pii``: sorted, non-overlapping
:class:`~verlicht.anonymise.rules.Found` spans over ``doc.text``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from verlicht.anonymise import rules
from verlicht.anonymise.rules import (
    ADRES,
    DATUM,
    INSTELLING,
    LEEFTIJD,
    PERSOON,
    PLAATS,
    STRUCTURED,
    Found,
)

TRAINED_MODELS = ("nl_core_news_lg", "nl_core_news_md", "nl_core_news_sm")
DEDUCE_LABELS = {
    "persoon": PERSOON, "patient": PERSOON, "ziekenhuis": INSTELLING, "zorginstelling": INSTELLING,
    "datum": DATUM, "leeftijd": LEEFTIJD, "bsn": rules.BSN, "id": "ID", "telefoonnummer": rules.TELEFOON,
    "emailadres": rules.EMAIL, "url": rules.URL,
}
# Which label wins when spans overlap: the remove-list, then exact formats, then the rest.
PRIORITY = {label: i for i, label in enumerate((
    "ID", rules.EMAIL, rules.URL, rules.IBAN, rules.BSN, rules.TELEFOON, rules.KENTEKEN, rules.POSTCODE,
    ADRES, DATUM, LEEFTIJD, PERSOON, INSTELLING, PLAATS,
))}
LEADING_JUNK = re.compile(rf"^(?:(?i:{rules._TITLE})\.?\s+|[\s,.;:!?()'\"‘’“”-]+)")
TRAILING_JUNK = re.compile(r"(?:\s+(?i:van|bij|en|of|uit|aan|voor|met|op|in|de|het|der|den|ten|ter)|[\s,.;:!?()\"‘“”-]+"
                           r"|['’]s|\s+d['’]r|\s+z['’]n)$")

for _name in ("pii", "pii_candidates", "pii_settings"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@dataclass(frozen=True)
class Settings:
    """What a workspace and a run decide: terms to keep, terms to remove, review decisions."""

    keep: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    reject: frozenset[str] = field(default_factory=frozenset)  # normalised texts a reviewer said are not personal
    missed: tuple[tuple[str, str], ...] = ()  # (text, label) a reviewer marked as missed


def default_keep_terms() -> tuple[str, ...]:
    """The public actors and areas shipped with VERLICHT (``verlicht/data/keep.txt``)."""
    text = resources.files("verlicht").joinpath("data/keep.txt").read_text(encoding="utf-8")
    return tuple(read_term_lines(text))


def read_term_lines(text: str) -> list[str]:
    """Terms from a keep- or remove-list file: one per line, ``#`` starts a comment."""
    terms = []
    for line in text.splitlines():
        term = line.split("#", 1)[0].strip()
        if term:
            terms.append(term)
    return terms


def normalise(text: str) -> str:
    """Case- and spacing-insensitive form used to recognise the same value again."""
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().casefold()


@cache
def _deduce():
    # deduce logs an INFO line about building lookup structures on first use; keep the terminal clean.
    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    from deduce import Deduce

    return Deduce()


@Language.component("verlicht_rules")
def rules_component(doc: Doc) -> Doc:
    _candidates(doc).extend(rules.find_all(doc.text))
    return doc


@Language.component("verlicht_deduce")
def deduce_component(doc: Doc) -> Doc:
    found = _candidates(doc)
    for ann in _deduce().deidentify(doc.text).annotations:
        label = DEDUCE_LABELS.get(ann.tag)
        if ann.tag == "locatie" or "locatie" in ann.tag:
            label = ADRES if any(c.isdigit() for c in ann.text) else PLAATS
        elif label is None:
            label = PERSOON if "persoon" in ann.tag else "ID"
        if label == DATUM and not any(True for _ in rules.find_dates(ann.text)):
            continue  # deduce marks every date; only personal ones go (see rules.find_dates)
        if label == PERSOON and _sentence_word(doc.text, ann.start_char, ann.end_char):
            continue  # "Niks", "Jongens", "Zelfs" opening a sentence: words that happen to be surnames
        found.append(Found(ann.start_char, ann.end_char, label, "deduce"))
    return doc


def _sentence_word(text: str, start: int, end: int) -> bool:
    word = text[start:end]
    return " " not in word and rules.at_sentence_start(text, start) and word.casefold() in rules.SPOKEN_WORDS


@Language.component("verlicht_ner")
def ner_component(doc: Doc) -> Doc:
    found = _candidates(doc)
    for ent in doc.ents:
        if ent.label_ in ("PER", "PERSON"):
            found.append(Found(ent.start_char, ent.end_char, PERSOON, "spacy"))
        elif ent.label_ in ("LOC", "GPE"):
            found.append(Found(ent.start_char, ent.end_char, PLAATS, "spacy"))
    return doc


@Language.component("verlicht_resolve")
def resolve_component(doc: Doc) -> Doc:
    settings: Settings = doc._.pii_settings or Settings()
    doc._.pii = resolve(doc.text, _candidates(doc), settings)
    return doc


def _candidates(doc: Doc) -> list[Found]:
    if doc._.pii_candidates is None:
        doc._.pii_candidates = []
    return doc._.pii_candidates


def build_nlp(model: str | None = "auto", use_deduce: bool = True) -> Language:
    """The spaCy pipeline: a trained Dutch model if installed (or named), else ``spacy.blank("nl")``."""
    nlp = None
    names = TRAINED_MODELS if model == "auto" else (() if model in (None, "", "blank") else (model,))
    for name in names:
        if spacy.util.is_package(name):
            nlp = spacy.load(name, exclude=["lemmatizer"])
            break
    if nlp is None:
        nlp = spacy.blank("nl")
    if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")):
        nlp.add_pipe("sentencizer")
    nlp.add_pipe("verlicht_rules")
    if use_deduce:
        nlp.add_pipe("verlicht_deduce")
    if nlp.has_pipe("ner"):
        nlp.add_pipe("verlicht_ner")
    nlp.add_pipe("verlicht_resolve")
    return nlp


class Detector:
    """Finds personal data in text with one spaCy pipeline; reuse it, loading deduce takes seconds."""

    def __init__(self, settings: Settings | None = None, model: str | None = "auto", use_deduce: bool = True):
        self.settings = settings or Settings(keep=default_keep_terms())
        self.nlp = build_nlp(model, use_deduce)

    @property
    def model_name(self) -> str:
        meta = self.nlp.meta
        if meta.get("name") and meta.get("name") != "pipeline":
            return f"{meta.get('lang', 'nl')}_{meta['name']}-{meta.get('version', '')}"
        return "spacy.blank(nl)"

    def __call__(self, text: str, remove: Iterable[str] = ()) -> Doc:
        doc = self.nlp.make_doc(text)
        extra = tuple(t for t in remove if t.strip())
        doc._.pii_settings = (
            Settings(self.settings.keep, self.settings.remove + extra, self.settings.reject, self.settings.missed)
            if extra else self.settings
        )
        return self.nlp(doc)

    def find(self, text: str, remove: Iterable[str] = ()) -> list[Found]:
        return list(self(text, remove)._.pii)


# --- resolution ------------------------------------------------------------------------------------------------

def term_spans(text: str, terms: Iterable[str], case_sensitive: bool = True) -> list[tuple[int, int]]:
    """Where whole-word occurrences of ``terms`` are, longest terms first, not overlapping each other."""
    spans: list[tuple[int, int]] = []
    taken = bytearray(len(text))
    for term in sorted(set(terms), key=len, reverse=True):
        flags = 0 if case_sensitive else re.IGNORECASE
        for m in re.finditer(rf"(?<![\w@./-]){re.escape(term)}(?![\w@]|[./-]\w)", text, flags):
            if not any(taken[m.start():m.end()]):
                spans.append(m.span())
                taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return sorted(spans)


def resolve(text: str, candidates: Iterable[Found], settings: Settings) -> list[Found]:
    """Turn overlapping candidates into the final spans.

    Precedence: the remove-list always goes; a keep-list term stays unless it lies inside contact data or an
    address with a number (``chantal.houben@alcander.nl``, ``Op de Vrieheide 31a``); a reviewer's rejection
    drops a span; overlapping spans are merged, the strongest label naming the union.
    """
    removed = [Found(s, e, PERSOON, "remove") for s, e in term_spans(text, settings.remove, case_sensitive=False)]
    missed = [
        Found(s, e, label, "review")
        for term, label in settings.missed
        for s, e in term_spans(text, [term], case_sensitive=False)
    ]
    keep = term_spans(text, settings.keep)
    spans: list[Found] = []
    for cand in candidates:
        for piece in _trim(text, cand, keep):
            if settings.reject and normalise(text[piece.start:piece.end]) in settings.reject:
                continue
            spans.append(piece)
    spans = _propagate_names(text, spans, keep) + removed + missed
    return _merge(spans)


def _trim(text: str, cand: Found, keep: list[tuple[int, int]]) -> list[Found]:
    """Cut keep-list terms, titles and trailing function words out of a soft span."""
    pieces = [(cand.start, cand.end)]
    if cand.label not in STRUCTURED:
        for ks, ke in keep:
            if cand.label == ADRES and any(c.isdigit() for c in text[ke:cand.end]):
                continue  # part of a street name with a house number after it: "Op de Vrieheide 31a"
            if cand.label == INSTELLING and cand.by == "rules" and cand.start < ks < cand.end and not re.search(
                r"(?i)\b(?:van|bij|in|uit|te|aan)\s+$", text[cand.start:ks]
            ):
                continue  # part of the institution's own name: "Uitzendbureau Flexwerk Parkstad"
            next_pieces = []
            for s, e in pieces:
                if ke <= s or ks >= e:
                    next_pieces.append((s, e))
                    continue
                if ks > s:
                    next_pieces.append((s, ks))
                if ke < e:
                    next_pieces.append((ke, e))
            pieces = next_pieces
    out = []
    for s, e in pieces:
        s, e = _clean(text, s, e, cand.label)
        if e > s and any(c.isalnum() for c in text[s:e]):
            out.append(Found(s, e, cand.label, cand.by))
    return out


def _clean(text: str, s: int, e: int, label: str) -> tuple[int, int]:
    if label in STRUCTURED:
        return s, e
    while True:
        piece = text[s:e]
        lead = LEADING_JUNK.match(piece)
        if lead and lead.end() < len(piece) and (label in (PERSOON, PLAATS) or not lead.group().strip()):
            s += lead.end()
            continue
        trail = TRAILING_JUNK.search(piece)
        if trail and trail.start() > 0:
            e = s + trail.start()
            continue
        return s, e


def _propagate_names(text: str, spans: list[Found], keep: list[tuple[int, int]]) -> list[Found]:
    """Every other mention of a name found once: "Pierre Hendrikx … Pierre is goud waard"."""
    names: set[str] = set()
    for span in spans:
        if span.label != PERSOON:
            continue
        name = text[span.start:span.end]
        names.add(name)
        tokens = name.split()
        for i in range(1, len(tokens)):  # "Mathieu Op den Buijs" -> "Op den Buijs", "den Buijs"
            if tokens[i].casefold() in rules._PREFIX_WORDS or i == len(tokens) - 1:
                names.add(" ".join(tokens[i:]))
        for word in re.findall(r"[^\W\d_][\w'’-]*", name):
            if len(word) > 2 and word.casefold() not in rules._PREFIX_WORDS and word.casefold() not in COMMON_WORDS:
                names.add(word)
    if not names:
        return spans
    kept = {(s, e) for s, e in keep}
    extra = [
        Found(s, e, PERSOON, "propagated")
        for s, e in term_spans(text, names)
        if (s, e) not in kept
    ]
    # A name repeated in lower case in a stutter or self-correction: "Die visser, eh, Visser bedoel ik".
    for s, e in term_spans(text, names, case_sensitive=False):
        word = text[s:e].casefold()
        if (s, e) in kept or word in COMMON_WORDS:
            continue
        if any(abs(s - f.start) <= STUTTER_WINDOW and f.start != s and text[f.start:f.end].casefold() == word
               for f in extra + spans):
            extra.append(Found(s, e, PERSOON, "propagated"))
    return spans + extra


STUTTER_WINDOW = 40


def _merge(spans: list[Found]) -> list[Found]:
    """Union of overlapping spans; the label of the strongest one names the union."""
    merged: list[Found] = []
    for span in sorted(spans, key=lambda f: (f.start, -f.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            label = min((last, span), key=lambda f: (0 if f.by == "remove" else 1, PRIORITY.get(f.label, 99))).label
            by = last.by if last.label == label else span.by
            merged[-1] = Found(last.start, max(last.end, span.end), label, by)
        else:
            merged.append(span)
    return merged


def _common_words() -> frozenset[str]:
    """Ordinary Dutch words that are also names ("bakker", "roos"): never propagated on their own."""
    try:
        base = resources.files("deduce").joinpath("data/lookup/src/whitelist/lst_common_word/items.txt")
        words = base.read_text(encoding="utf-8").split()
    except (FileNotFoundError, ModuleNotFoundError):  # a deduce without its lists: be conservative
        words = []
    return frozenset(w.casefold() for w in words) | rules._NOT_NAME


COMMON_WORDS = _common_words()
