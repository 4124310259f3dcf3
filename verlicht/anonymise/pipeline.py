"""The detection pipeline: spaCy components that find personal data in Dutch transcript text.

A trained Dutch spaCy model is used when one is installed (its sentence
boundaries and person/place entities); otherwise ``spacy.blank("nl")`` with a
lean tokenizer that marks sentence starts by the rule of spaCy's sentencizer.
On top come our components, registered by name like any spaCy component:

``verlicht_rules``    our patterns (:mod:`verlicht.anonymise.rules`)
``verlicht_deduce``   the ``deduce`` de-identifier for Dutch text
``verlicht_ner``      the model's PER/LOC entities, when the model has an ``ner``
``verlicht_resolve``  keep-list, remove-list and review decisions; overlaps merged

The result of a document is ``doc._.pii``: sorted, non-overlapping
:class:`~verlicht.anonymise.rules.Found` spans over ``doc.text``.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import spacy
from spacy.attrs import IS_PUNCT
from spacy.lang.lex_attrs import is_punct
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from verlicht.anonymise import lowercase, rules
from verlicht.anonymise.cued import CUED
from verlicht.anonymise.finders import find_all
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
# Contact data, identifiers, dates, ages, addresses, places and institutions are our own rules' work (deduce's
# versions were made for clinical notes: they mark programme dates, durations and public places); deduce does
# person names, which is what it is best at. Its lexicons of names and places serve our rules too.
# Its redactor writes a de-identified text we never read, and its patient-name annotator needs a patient's name in
# the document's metadata, which a transcript never has: both are skipped too (no detection changes).
DEDUCE_DISABLED = frozenset({
    "dates", "ages", "identifiers", "phone_numbers", "email_addresses", "urls", "locations", "institutions",
    "redactor", "patient_name",
})
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


def deduce_tables_cached() -> bool:
    """Whether deduce has built its lookup tables already (its pickled cache in its own data folder). The first
    run builds them, which takes minutes: the commands say so instead of staying silent."""
    try:
        from deduce import deduce as module
        from deduce.lookup_structs import _CACHE_FILE, _CACHE_SUBDIR
    except ImportError:  # another deduce layout: assume the tables are there rather than warn every run
        return True
    return (Path(module._LOOKUP_LIST_PATH) / _CACHE_SUBDIR / _CACHE_FILE).is_file()


FIRST_RUN = "deduce is building its lookup tables (first run only; this takes a few minutes)"


@Language.component("verlicht_rules")
def rules_component(doc: Doc) -> Doc:
    _candidates(doc).extend(find_all(_text(doc)))
    return doc


@Language.component("verlicht_deduce")
def deduce_component(doc: Doc) -> Doc:
    found = _candidates(doc)
    text = _text(doc)
    for ann in _deduce().deidentify(text, disabled=DEDUCE_DISABLED).annotations:
        label = DEDUCE_LABELS.get(ann.tag)
        if ann.tag == "locatie" or "locatie" in ann.tag:
            label = ADRES if any(c.isdigit() for c in ann.text) else PLAATS
        elif label is None:
            label = PERSOON if "persoon" in ann.tag else "ID"
        if label == DATUM and not any(True for _ in rules.find_dates(ann.text)):
            continue  # deduce marks every date; only personal ones go (see rules.find_dates)
        if label == PERSOON and _sentence_word(text, ann.start_char, ann.end_char):
            continue  # "Niks", "Jongens", "Zelfs" opening a sentence: words that happen to be surnames
        found.append(Found(ann.start_char, ann.end_char, label, "deduce"))
    return doc


def _sentence_word(text: str, start: int, end: int) -> bool:
    word = text[start:end]
    if " " in word or not rules.at_sentence_start(text, start):
        return False
    if word.casefold() in _sentence_words():
        return True
    # "Lieve mensen hoor": an inflected adjective before a lower-case word opens the sentence, not a name.
    from verlicht.anonymise.lexicon import is_adjective

    return word.endswith("e") and is_adjective(word) and bool(re.match(r" [a-z]", text[end:end + 2]))


@cache
def _sentence_words() -> frozenset[str]:
    """Words that open a sentence far more often than a surname does ("Pas", "Groen", "Niks")."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    return rules._union("common", "stop", extra=rules.SPOKEN_WORDS | frozenset(STOP_WORDS))


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
    doc._.pii = resolve(_text(doc), _candidates(doc), settings)
    return doc


def _text(doc: Doc) -> str:
    """The document's text, kept once: ``Doc.text`` rebuilds it from the tokens on every access."""
    text = doc.user_data.get("verlicht_text")
    if text is None:
        text = doc.user_data["verlicht_text"] = doc.text
    return text


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
        # Detection works on characters and the sentencizer needs only words and end marks; spaCy's full
        # Dutch tokenizer (exceptions, infixes) costs more than all our rules together, so use a lean one.
        nlp.tokenizer = SpeechTokenizer(nlp.vocab)
    if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")
            or isinstance(nlp.tokenizer, SpeechTokenizer)):  # the lean tokenizer marks sentences itself
        nlp.add_pipe("sentencizer")
    nlp.add_pipe("verlicht_rules")
    if use_deduce:
        nlp.add_pipe("verlicht_deduce")
    if nlp.has_pipe("ner"):
        nlp.add_pipe("verlicht_ner")
    nlp.add_pipe("verlicht_resolve")
    return nlp


class SpeechTokenizer:
    """Words, numbers and punctuation marks as tokens, with their trailing spaces, and where sentences start."""

    SENTENCE_MARKS = frozenset(Sentencizer.default_punct_chars)

    TOKEN = re.compile(r"\w+(?:['’.\-@/]\w+)*|[^\w\s]")
    PIECE = re.compile(r"(\w+(?:['’.\-@/]\w+)*|[^\w\s])|(\s+)")

    def __init__(self, vocab):
        self.vocab = vocab
        self._kinds: dict[str, int] = {}  # token -> 2 sentence mark, 1 other punctuation, 0 anything else
        self._is_punct = vocab.lex_attr_getters.get(IS_PUNCT, is_punct)

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        # Between two tokens stands only white space: one space is the previous token's trailing space, more
        # is a token of its own. One pass of findall, no match objects: this runs on every transcript.
        for token, between in self.PIECE.findall(text):
            if token:
                words.append(token)
                spaces.append(False)
                continue
            if words and between[0] == " ":
                spaces[-1] = True
                between = between[1:]
            if between:
                words.append(between)
                spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces, sent_starts=self.sentence_starts(words))

    def sentence_starts(self, words: list[str]) -> list[int]:
        """Where sentences start, by the rule of spaCy's sentencizer (its default marks), while the words are at
        hand: running the sentencizer afterwards makes a Token object for every word, which costs more than
        building the document. 1 opens a sentence, -1 does not."""
        starts = [-1] * len(words)
        if not words:
            return starts
        starts[0] = 1
        start, seen_mark = 0, False
        kinds = self._kinds
        for i, word in enumerate(words):
            kind = 0 if word[0].isalnum() else kinds.get(word)
            if kind is None:
                kind = kinds[word] = 2 if word in self.SENTENCE_MARKS else 1 if self._is_punct(word) else 0
            if seen_mark and kind == 0:
                starts[start] = 1
                start, seen_mark = i, False
            elif kind == 2:
                seen_mark = True
        starts[start] = 1
        return starts

    def to_bytes(self, **_):  # spaCy asks tokenizers to serialise; this one has no state
        return b""

    def from_bytes(self, _data, **_):
        return self


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
        doc.user_data["verlicht_text"] = text
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
    """Where whole-word occurrences of ``terms`` are; where several start at one place the longest wins.

    Looked up through an index of the text's words rather than a regular expression: the terms differ per
    document (the names found in it), and compiling an alternation per document costs more than the search.
    """
    by_head: dict[str, list[str]] = {}
    for term in {t for t in terms if t}:
        head = rules.TOKEN.match(term)
        if head:
            by_head.setdefault(head.group() if case_sensitive else head.group().casefold(), []).append(term)
    if not by_head:
        return []
    index = rules.word_index(text)
    found: list[tuple[int, int]] = []
    for head, candidates in by_head.items():
        starts = index.exact.get(head, ()) if case_sensitive else index.folded.get(head, ())
        for i in starts:
            best = 0
            for term in candidates:
                piece = text[i:i + len(term)]
                if (piece == term if case_sensitive else piece.casefold() == term.casefold()) and \
                        _ends_word(text, i + len(term)) and len(term) > best:
                    best = len(term)
            if best:
                found.append((i, i + best))
    found.sort(key=lambda span: (span[0], -span[1]))
    out: list[tuple[int, int]] = []
    for span in found:
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out


def _ends_word(text: str, end: int) -> bool:
    if end >= len(text):
        return True
    c = text[end]
    if c.isalnum() or c in "_@":
        return False
    return not (c in "./-" and end + 1 < len(text) and text[end + 1].isalnum())


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
    spans = _propagate_names(text, spans, keep)
    spans = spans + lowercase.propagate(text, spans, keep) + removed + missed
    return _merge(spans)


MAX_TERM = 200  # no keep term is longer: where to start looking among the sorted keep spans


def _trim(text: str, cand: Found, keep: list[tuple[int, int]]) -> list[Found]:
    """Cut keep-list terms, titles and trailing function words out of a soft span."""
    pieces = [(cand.start, cand.end)]
    if cand.label not in STRUCTURED:
        first = bisect.bisect_left(keep, (cand.start - MAX_TERM, 0))
        for ks, ke in keep[first:]:
            if ks >= cand.end:
                break
            if ke <= cand.start:
                continue
            if cand.label == ADRES and rules.DIGIT.search(text, ke, cand.end):
                continue  # part of a street name with a house number after it: "Op de Vrieheide 31a"
            named_after_area = ke == cand.end and " " not in text[cand.start:ks].strip()  # "basisschool GMS"
            if cand.label == INSTELLING and cand.by == "rules" and cand.start < ks < cand.end and \
                    not named_after_area and not re.search(r"(?i)\b(?:van|bij|in|uit|te|aan)\s+$", text[cand.start:ks]):
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
        if cand.label == INSTELLING and text[s:e].casefold() in rules.INSTITUTION_WORDS:
            continue  # only the type word left once the public name was cut out: "basisschool [GMS]"
        if cand.label == PERSOON and text[s:e].casefold() in _function_words() and \
                not (cand.by == CUED and (s, e) == (cand.start, cand.end)):
            # Only "de", "van", "aan" left once a public name was cut out: "[de] Rijke Schooldag"; a name that is
            # a function word too stays where a rule read a person around it ("mijn kleindochter, door, hè").
            continue
        if e > s and any(c.isalnum() for c in text[s:e]):
            out.append(Found(s, e, cand.label, cand.by))
    return out


@cache
def _function_words() -> frozenset[str]:
    """Words that are never a name on their own: deduce's stop words, surname prefixes, our function words."""
    return rules._union("stop", extra=rules._PREFIX_WORDS | rules._NOT_NAME)


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
        if name.islower():
            continue  # a name typed in lower case recurs where a person stands: lowercase.propagate looks there
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
    starts: dict[str, list[int]] = {}
    for f in extra + spans:
        starts.setdefault(text[f.start:f.end].casefold(), []).append(f.start)
    for s, e in term_spans(text, names, case_sensitive=False):
        word = text[s:e].casefold()
        if (s, e) in kept or word in COMMON_WORDS:
            continue
        if any(abs(s - other) <= STUTTER_WINDOW and other != s for other in starts.get(word, ())):
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
