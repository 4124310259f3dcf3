"""Turn a transcript (or an existing ROCK source) into an anonymised ROCK source, with pseudonyms from the key.

Output is deterministic: the same raw bytes with the same key give the same
bytes (uids come from the content hash, the date from the key's memory of
the first run). Every utterance line starts with ``[[uid=…]]``, so no text can
be mistaken for a comment, a YAML delimiter or a section break.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

import yaml

from verlicht import __version__
from verlicht.anonymise.caseids import next_free_case
from verlicht.anonymise.keystore import KeyStore
from verlicht.anonymise.pipeline import Detector
from verlicht.anonymise.rules import PERSOON, Found
from verlicht.anonymise.transcript import GENERIC_WORDS, INTERVIEWER_LABELS, Transcript
from verlicht.errors import Location, VerlichtWarning

MARKER = "VERLICHT_anonymised"
INTERVIEWER_CID = "interviewer"
MAX_UTTERANCE = 320  # characters; longer sentences are split at a comma or conjunction
BRACKETS = re.compile(r"\[\[[^\[\]]*\]\]|--\+-\{[^}]*\}-\+--")


@dataclass(slots=True)
class Replacement:
    """One replaced span, for the audit report and the review (holds the original: never in the workspace)."""

    line: int
    category: str
    original: str
    pseudonym: str
    by: str
    before: str
    after: str


@dataclass(slots=True)
class Result:
    source: str
    output_name: str
    text: str
    case_id: str
    utterances: int
    replacements: list[Replacement] = field(default_factory=list)
    warnings: list[VerlichtWarning] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.replacements:
            counts[r.category] = counts.get(r.category, 0) + 1
        return dict(sorted(counts.items()))


@dataclass(frozen=True, slots=True)
class CaseInfo:
    """What a run knows about the respondent of a transcript (options or the attributes CSV)."""

    case_id: str | None = None
    group: str | None = None
    role: str | None = None
    wijk: str | None = None
    date: str | None = None
    interviewer: str | None = None
    remove: tuple[str, ...] = ()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_uid(seed: str, index: int) -> str:
    """A stable 8-character ROCK uid from the raw file's hash and the utterance's place in it."""
    raw = hashlib.sha256(f"{seed}:{index}".encode()).digest()
    return base64.b32encode(raw).decode("ascii").lower()[:8]


def settings_hash(detector: Detector, extra: str = "") -> str:
    keep = "\n".join(sorted(detector.settings.keep))
    basis = f"{__version__}|{detector.model_name}|{'deduce' if detector.nlp.has_pipe('verlicht_deduce') else ''}|"
    return hashlib.sha256(f"{basis}|{keep}|{extra}|{MAX_UTTERANCE}".encode()).hexdigest()[:16]


class Pseudonymiser:
    """Replaces the spans of one document with pseudonyms; a short name joins the full name said elsewhere
    in the same document ("Ploumen" and "Mia Ploumen" get one pseudonym)."""

    def __init__(self, key: KeyStore, person_names: list[str]):
        self.key = key
        full = [n for n in person_names if len(n.split()) > 1]
        self.short_to_full: dict[str, str | None] = {}
        for name in full:
            parts = name.split()
            for short in {parts[0].casefold(), parts[-1].casefold(), " ".join(parts[1:]).casefold()}:
                known = self.short_to_full.get(short, name)
                self.short_to_full[short] = name if known == name else None  # ambiguous: two full names

    def __call__(self, category: str, text: str) -> str:
        same_as = self.short_to_full.get(text.casefold()) if category == PERSOON else None
        return self.key.pseudonym(category, text, same_as)


def replace_spans(text: str, spans: list[Found], pseudonymise: Pseudonymiser, line: int,
                  replacements: list[Replacement], escape: bool = True) -> str:
    """``text`` with every span replaced by its pseudonym; ``escape``: also defuse ROCK syntax in the text."""
    out: list[str] = []
    last = 0
    for span in spans:
        original = text[span.start:span.end]
        pseudonym = pseudonymise(span.label, original)
        if span.start > 0 and text[span.start - 1] == "[":
            pseudonym = " " + pseudonym  # never "[[" around a pseudonym: it would read as a code
        if span.end < len(text) and text[span.end] == "]":
            pseudonym += " "
        out.append(text[last:span.start])
        out.append(pseudonym)
        last = span.end
        replacements.append(Replacement(line, span.label, original, pseudonym, span.by,
                                        text[max(0, span.start - 60):span.start], text[span.end:span.end + 60]))
    out.append(text[last:])
    joined = "".join(out)
    return _rock_safe(joined) if escape else joined


def _rock_safe(text: str) -> str:
    """Text that cannot be read as a ROCK code, anchor or id once written on an utterance line."""
    for seq, safe in (("[[", "[ ["), ("]]", "] ]"), ("--+-{", "--+- {")):
        while seq in text:  # "[[[[" needs more than one pass
            text = text.replace(seq, safe)
    stripped = text.lstrip()
    if stripped.startswith("~"):  # would read as a nesting marker: keep the sign, not the meaning
        text = "∼" + stripped[1:]
    return text


def assign_speakers(transcript: Transcript, info: CaseInfo, case_id: str) -> tuple[dict[str | None, str], list]:
    """Case ids per speaker label: interviewers share ``interviewer``; respondents get the case id
    (a second respondent ``R07_2``). Without any interviewer label, the first speaker asked the questions."""
    warnings = []
    labels = transcript.speakers
    interviewers = {
        label for label in labels
        if label.casefold() in INTERVIEWER_LABELS
        or (info.interviewer and label.casefold() == info.interviewer.casefold())
    }
    if not interviewers and len(labels) > 1:
        interviewers = {labels[0]}
        warnings.append(VerlichtWarning(
            f"no interviewer label; '{labels[0]}' (the first speaker) is taken as the interviewer",
            Location(transcript.path), "say who it is with --interviewer LABEL",
        ))
    if not labels:
        warnings.append(VerlichtWarning(
            f"no speaker labels; every line is attributed to {case_id}", Location(transcript.path),
            "mark interviewer lines by hand, or export the transcript with speaker names",
        ))
    mapping: dict[str | None, str] = {None: case_id}
    respondents = [label for label in labels if label not in interviewers]
    for label in interviewers:
        mapping[label] = INTERVIEWER_CID
    for i, label in enumerate(respondents):
        mapping[label] = case_id if i == 0 else f"{case_id}_{i + 1}"
    return mapping, warnings


def name_labels(transcript: Transcript) -> list[str]:
    """Speaker labels that are names ("Truus", "Jo Lemmens"): personal data wherever they occur."""
    return [
        label for label in transcript.speakers
        if label.casefold() not in INTERVIEWER_LABELS and label.split()[0].casefold() not in GENERIC_WORDS
    ]


def split_long(sentence: str, limit: int = MAX_UTTERANCE) -> list[str]:
    """A very long spoken sentence cut at the comma, semicolon or conjunction nearest its middle."""
    if len(sentence) <= limit:
        return [sentence]
    cuts = [m.end() for m in re.finditer(r"[,;:]\s+|\s(?=(?:en|maar|want|dus|omdat|toen|en dan)\s)", sentence)]
    cuts = [c for c in cuts if 40 <= c <= len(sentence) - 40]
    if not cuts:
        words = [m.start() for m in re.finditer(r"\s", sentence)]
        cuts = [w for w in words if 40 <= w <= len(sentence) - 40]
        if not cuts:
            return [sentence]
    cut = min(cuts, key=lambda c: abs(c - len(sentence) / 2))
    return split_long(sentence[:cut].strip(), limit) + split_long(sentence[cut:].strip(), limit)


def front_matter(marker: dict, attributes: list[dict]) -> str:
    data = {MARKER: marker}
    if attributes:
        data["ROCK_attributes"] = attributes
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return f"---\n{body}---\n"


def anonymise_transcript(transcript: Transcript, detector: Detector, key: KeyStore, info: CaseInfo,
                         settings: str, taken: dict[str, list] | None = None) -> Result:
    """A raw transcript as an anonymised ROCK source, ready to code.

    Without a case id given or remembered by the key, it gets the key's next one that is not in ``taken``
    (case-folded ids used by other sources; see :mod:`verlicht.anonymise.caseids`), which then is taken.
    """
    seed = digest(transcript.raw)
    document = key.document(seed)
    case_id = info.case_id or document.get("case") or next_free_case(key, taken if taken is not None else {})
    if taken is not None:
        taken.setdefault(case_id.casefold(), [])
    document["case"] = case_id
    remove = sorted(set(document.get("remove", [])) | set(info.remove) | set(name_labels(transcript)))
    document["remove"] = remove
    speakers, warnings = assign_speakers(transcript, info, case_id)

    # The whole interview is one document: names said once are found again in later turns, and a question
    # ("hoe oud is ze?") gives its answer a meaning. Turns are lines, so no span or sentence crosses them.
    full = "\n".join(turn.text for turn in transcript.turns)
    doc = detector(full, remove=remove)
    bounds = []
    at = 0
    for turn in transcript.turns:
        bounds.append((at, at + len(turn.text)))
        at += len(turn.text) + 1
    pii = [piece for f in doc._.pii for piece in _clip(f, bounds)]
    names = [full[f.start:f.end] for f in pii if f.label == PERSOON]
    pseudonymise = Pseudonymiser(key, names + remove)
    sentences = [(s.start_char, s.end_char) for s in doc.sents]

    lines: list[str] = []
    replacements: list[Replacement] = []
    index = 0
    for turn, (turn_start, turn_end) in zip(transcript.turns, bounds, strict=True):
        cid = speakers.get(turn.speaker, case_id)
        first = True
        in_turn = [f for f in pii if turn_start <= f.start and f.end <= turn_end]
        for start, end in _sentence_spans(sentences, in_turn, turn_start, turn_end, full):
            for piece_start, piece_end in _pieces(full, start, end):
                spans = [
                    Found(f.start - piece_start, f.end - piece_start, f.label, f.by)
                    for f in in_turn if f.start >= piece_start and f.end <= piece_end
                ]
                text = full[piece_start:piece_end]
                ids = f"[[uid={make_uid(seed, index)}]]" + (f" [[cid={cid}]]" if first else "")
                number = len(lines) + 1  # line within the body; shifted by the header below
                anonymised = replace_spans(text, spans, pseudonymise, number, replacements)
                lines.append(f"{ids} {anonymised}")
                index += 1
                first = False
    attributes = _attributes(info, case_id, speakers)
    marker = {"tool": f"verlicht {__version__}", "date": document["date"], "settings": settings,
              "pipeline": detector.model_name + (" + deduce" if detector.nlp.has_pipe("verlicht_deduce") else "")}
    header = front_matter(marker, attributes)
    header_lines = header.count("\n")
    for r in replacements:
        r.line += header_lines
    text = header + "\n".join(lines) + "\n"
    name = f"{case_id.lower()}.rock"
    return Result(transcript.path, name, text, case_id, len(lines), replacements, transcript.warnings + warnings)


def _attributes(info: CaseInfo, case_id: str, speakers: dict[str | None, str]) -> list[dict]:
    records = []
    for cid in sorted(set(speakers.values()), key=lambda c: (c == INTERVIEWER_CID, c)):
        if cid == INTERVIEWER_CID:
            records.append({"caseId": cid, "group": "interviewer", "role": "interviewer"})
            continue
        record = {"caseId": cid}
        for name in ("group", "role", "wijk", "date"):
            value = getattr(info, name)
            if value:
                record[name] = value
        records.append(record)
    return records


def _clip(span: Found, bounds: list[tuple[int, int]]) -> list[Found]:
    """A span cut at turn boundaries (a name at the end of one turn and the start of the next is two)."""
    return [
        Found(max(span.start, s), min(span.end, e), span.label, span.by)
        for s, e in bounds if span.start < e and s < span.end and min(span.end, e) > max(span.start, s)
    ]


def _sentence_spans(sentences: list[tuple[int, int]], pii: list[Found], turn_start: int, turn_end: int,
                    text: str) -> list[tuple[int, int]]:
    """The sentences of one turn, never cutting through a personal-data span."""
    spans = [
        (max(s, turn_start), min(e, turn_end)) for s, e in sentences
        if s < turn_end and turn_start < e and text[max(s, turn_start):min(e, turn_end)].strip()
    ]
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and any(f.start < start < f.end for f in pii):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Offsets of a sentence cut into utterances of reasonable length."""
    sentence = text[start:end]
    out = []
    offset = start
    for piece in split_long(sentence.strip()):
        at = text.index(piece, offset)
        out.append((at, at + len(piece)))
        offset = at + len(piece)
    return out


def anonymise_rock(path: str, data: bytes, detector: Detector, key: KeyStore, settings: str,
                   remove: tuple[str, ...] = ()) -> Result:
    """An existing ROCK source with only its utterance text (and comments) anonymised.

    Codes, uids, class instance ids, anchors, YAML fragments and section breaks stay exactly as they were;
    an earlier marker is replaced by this run's.
    """
    from verlicht.rock.reader import parse_bytes

    source = parse_bytes(data, path)  # a malformed source is a located error before anything is changed
    text = data.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    raw_lines = text.split(newline)
    trailing = raw_lines and raw_lines[-1] == ""
    if trailing:
        raw_lines.pop()
    seed = digest(data)
    document = key.document(seed)
    remove = tuple(sorted(set(document.get("remove", [])) | set(remove)))
    document["remove"] = list(remove)
    in_yaml = False
    marker_fragment: tuple[int, int] | None = None
    fragment_start = 0
    replacements: list[Replacement] = []
    out: list[str] = []
    todo: list[tuple[int, str]] = []
    for number, line in enumerate(raw_lines, 1):
        if line.rstrip() == "---":
            in_yaml = not in_yaml
            if in_yaml:
                fragment_start = number
            elif any(raw_lines[i].startswith(MARKER) for i in range(fragment_start, number - 1)):
                marker_fragment = (fragment_start, number)
            out.append(line)
            continue
        if in_yaml or not line.strip() or line.strip().startswith("---<<"):
            out.append(line)
            continue
        todo.append((len(out), line))
        out.append(line)
    docs = []
    for position, line in todo:
        masked = BRACKETS.sub(lambda m: " " * len(m.group()), line)
        if masked.startswith("#"):
            masked = " " + masked[1:]
        docs.append((position, line, detector(masked, remove=remove)))
    names = [d.text[f.start:f.end] for _, _, d in docs for f in d._.pii if f.label == PERSOON]
    pseudonymise = Pseudonymiser(key, names + list(remove))
    for position, line, doc in docs:
        codes = [m.span() for m in BRACKETS.finditer(line)]
        # Codes, ids and anchors are masked with spaces before detection; a span touching one is left alone.
        spans = [f for f in doc._.pii if not any(f.start < e and s < f.end for s, e in codes)]
        if spans:
            out[position] = replace_spans(line, spans, pseudonymise, position + 1, replacements, escape=False)
    if marker_fragment:
        del out[marker_fragment[0] - 1: marker_fragment[1]]
        shift = marker_fragment[1] - marker_fragment[0] + 1
        for r in replacements:
            if r.line > marker_fragment[1]:
                r.line -= shift
    marker = {"tool": f"verlicht {__version__}", "date": document["date"], "settings": settings,
              "pipeline": detector.model_name + (" + deduce" if detector.nlp.has_pipe("verlicht_deduce") else ""),
              "input": "rock"}
    header = front_matter(marker, []).split("\n")[:-1]
    for r in replacements:
        r.line += len(header)
    body = newline.join(header + out) + (newline if trailing or not out else "")
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    utterances = len(source.utterances)
    interviewers = {cid for cid, attrs in source.attributes.items()
                    if str(attrs.get("group", attrs.get("role", ""))).casefold() == "interviewer"}
    case = next((u.case_id for u in source.utterances if u.case_id and u.case_id not in interviewers), "") or ""
    return Result(path, name, body, case, utterances, replacements, list(source.warnings))
