"""Living reviews as graph records: Review, ReviewRound, Study and Finding nodes and their edges.

Edge kinds (see :mod:`verlicht.graph.schema`): Review −HAS_ROUND→ ReviewRound; ReviewRound −IDENTIFIED→
Study (the round that first found it); Review −INCLUDES→ Study; Study −REPORTS→ Finding; Finding
−SUPPORTS / CONTRADICTS / MIXED / NO_EFFECT→ Assumption (every held assumption on the finding's
cause→effect pair); Finding −CONCERNS→ Concept (its cause and effect, or the one concept it is about);
Review −COVERS→ Concept (the protocol's linked concepts and the ends of its linked assumptions).

A finding's direction is stated against its target's polarity (``+`` unless the target ends in ``:-``).
Against an assumption of the opposite polarity 'supports' becomes CONTRADICTS and 'contradicts'
SUPPORTS; mixed and null stay as they are; an unsigned assumption (``?``) takes the direction as stated.

Reading a review is cached in ``graphs/.cache/reviews.json`` by the bytes of its files (the exports in
``searches/`` excepted: ``records.jsonl`` holds what was kept of them), so a build after editing one
review reads that review again and no other. Concept codes are checked against the codebook on every
build, since the codebook may change while the review does not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from verlicht import __version__
from verlicht.errors import Location, ReviewError, VerlichtError
from verlicht.graph import schema as s
from verlicht.reviews.findings import read_findings
from verlicht.reviews.folder import SEARCHES, ReviewFolder, review_slugs
from verlicht.reviews.screening import final_decisions
from verlicht.reviews.status import add_months
from verlicht.workspace import Layout

CACHE_FILE = ".cache/reviews.json"
VERSION = 1
DIRECTION_EDGES = {"supports": "SUPPORTS", "contradicts": "CONTRADICTS", "mixed": "MIXED", "null": "NO_EFFECT"}
FLIPPED = {"SUPPORTS": "CONTRADICTS", "CONTRADICTS": "SUPPORTS", "MIXED": "MIXED", "NO_EFFECT": "NO_EFFECT"}


@dataclass(slots=True)
class ReviewSet:
    """What the build needs of every review: plain records, the errors found, the cache file's new bytes."""

    reviews: list[dict[str, Any]] = field(default_factory=list)
    errors: list[VerlichtError] = field(default_factory=list)
    cache: bytes | None = None
    read: int = 0  # reviews read from their files this build (the others came from the cache)


def review_key(folder: Path) -> str:
    digest = hashlib.sha256(f"{VERSION} {__version__}".encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and SEARCHES not in p.relative_to(folder).parts):
        digest.update(b"\0" + path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def read_review(layout: Layout, slug: str) -> dict[str, Any]:
    """One review as plain data for the graph (raises on a malformed file)."""
    review = ReviewFolder(layout, slug)
    protocol = review.protocol
    rounds = review.rounds()
    finals = final_decisions(review)
    included = {rec for (rec, stage), d in finals.items() if stage == "full-text" and d.decision == "include"}
    findings = read_findings(review, None, included)
    records = review.by_id()
    last = max((r.date for r in rounds), default=None)
    numbers = sorted({r.round for r in rounds})
    return {
        "slug": slug,
        "question": protocol.question,
        "type": protocol.type,
        "path": protocol.path,
        "framework": protocol.framework,
        "elements": protocol.elements,
        "concepts": list(protocol.concepts),
        "assumptions": list(protocol.assumptions),
        "interval_months": protocol.interval_months,
        "last_search": last,
        "next_due": add_months(_date(last), protocol.interval_months).isoformat() if last else None,
        "records": len(records),
        "rounds": [
            {
                "number": n,
                "date": min(r.date for r in rounds if r.round == n),
                "databases": sorted({r.database for r in rounds if r.round == n}),
                "identified": sum(r.found for r in rounds if r.round == n),
                "duplicates": sum(r.duplicates_within + r.duplicates_earlier for r in rounds if r.round == n),
                "new": sum(r.new for r in rounds if r.round == n),
            }
            for n in numbers
        ],
        "studies": [
            {
                "record": rid,
                "title": records[rid].title,
                "authors": records[rid].authors,
                "year": records[rid].year,
                "journal": records[rid].journal,
                "doi": records[rid].doi,
                "pmid": records[rid].pmid,
                "round": records[rid].round,
                "label": records[rid].label(),
            }
            for rid in sorted(included, key=lambda r: int(r[1:]))
        ],
        "findings": [asdict(f) for f in findings],
    }


def _date(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)


def load_reviews(layout: Layout, concepts: set[str], graphs: Path) -> ReviewSet:
    """Every review of the workspace, from the cache where its files are unchanged; every error collected."""
    result = ReviewSet()
    try:
        cached = orjson.loads((graphs / CACHE_FILE).read_bytes())
        if cached.get("version") != VERSION:
            cached = {}
    except (OSError, orjson.JSONDecodeError, AttributeError):
        cached = {}
    entries: dict[str, Any] = {}
    for slug in review_slugs(layout):
        folder = ReviewFolder(layout, slug).path
        try:
            key = review_key(folder)
            entry = (cached.get("reviews") or {}).get(slug)
            if entry is None or entry.get("key") != key:
                entry = {"key": key, "review": read_review(layout, slug)}
                result.read += 1
            entries[slug] = entry
        except VerlichtError as exc:
            result.errors.append(exc)
            continue
        data = entry["review"]
        for finding in data["findings"]:
            for code in (finding["cause"], finding["effect"], finding["concept"]):
                if code and code not in concepts:
                    result.errors.append(
                        ReviewError(
                            f"unknown concept '{code}' in target '{finding['target']}'",
                            Location(finding["path"], finding["line"]),
                            "use a concept code of ontology/codebook.yaml (verlicht query concepts lists them)",
                        )
                    )
        for code in [*data["concepts"], *(c for a in data["assumptions"] for c in a.split("->"))]:
            if code not in concepts:
                result.errors.append(
                    ReviewError(
                        f"the protocol links unknown concept '{code}'",
                        Location(data["path"]),
                        "use a concept code of the codebook",
                    )
                )
        result.reviews.append(data)
    fresh = orjson.dumps({"version": VERSION, "reviews": entries}, option=orjson.OPT_SORT_KEYS)
    if result.read or set(entries) != set(cached.get("reviews") or {}):
        result.cache = fresh
    return result


def study_id(slug: str, study: dict[str, Any]) -> str:
    return s.study_id(study["doi"], f"{slug}/{study['record']}")


def add_reviews(
    reviews: Iterable[dict[str, Any]],
    node: Callable[..., dict[str, Any]],
    edge: Callable[..., dict[str, Any]],
    by_pair: dict[tuple[str, str], list[str]],
) -> None:
    """Add every review through ``node(id, kind, **attrs)`` and ``edge(source, target, kind, **attrs)``;
    ``by_pair`` gives the assumption ids of each (cause, effect) that respondents hold."""
    for review in reviews:
        slug = review["slug"]
        ident = s.review_id(slug)
        findings = review["findings"]
        node(
            ident,
            "Review",
            key=slug,
            question=review["question"],
            review_type=review["type"],
            path=review["path"],
            framework=review["framework"],
            elements=review["elements"],
            interval_months=review["interval_months"],
            last_search=review["last_search"],
            next_due=review["next_due"],
            records=review["records"],
            rounds=len(review["rounds"]),
            studies=len(review["studies"]),
            findings=len(findings),
        )
        linked = set(review["concepts"]) | {c for a in review["assumptions"] for c in a.split("->")}
        for code in sorted(linked):
            edge(ident, s.concept_id(code), "COVERS")
        studies: dict[str, str] = {}
        for rnd in review["rounds"]:
            round_ident = s.review_round_id(slug, rnd["number"])
            node(round_ident, "ReviewRound", review=slug, **rnd)
            edge(ident, round_ident, "HAS_ROUND")
        for study in review["studies"]:
            sid = studies[study["record"]] = study_id(slug, study)
            node(
                sid,
                "Study",
                **{k: v for k, v in study.items() if k not in ("record", "round")},
                records={**(_existing(node, sid).get("records") or {}), slug: study["record"]},
            )
            edge(ident, sid, "INCLUDES")
            edge(s.review_round_id(slug, study["round"]), sid, "IDENTIFIED")
        for finding in findings:
            sid = studies[finding["study"]]
            fid = s.finding_id(slug, finding["study"], finding["number"])
            node(
                fid,
                "Finding",
                review=slug,
                study=sid,
                label=_label(review, finding["study"]),
                **{k: v for k, v in finding.items() if k not in ("review", "study", "number")},
            )
            edge(sid, fid, "REPORTS")
            kind = DIRECTION_EDGES[finding["direction"]]
            if finding["cause"]:
                for code in (finding["cause"], finding["effect"]):
                    edge(fid, s.concept_id(code), "CONCERNS")
                for target in by_pair.get((finding["cause"], finding["effect"]), []):
                    polarity = target.rsplit(":", 1)[1]
                    same = polarity in (finding["polarity"], "?")
                    edge(fid, target, kind if same else FLIPPED[kind])
            else:
                edge(fid, s.concept_id(finding["concept"]), "CONCERNS", direction=finding["direction"])


def _existing(node: Callable[..., dict[str, Any]], ident: str) -> dict[str, Any]:
    """The node's attributes so far (a study may be in two reviews)."""
    return node(ident, "Study")


def _label(review: dict[str, Any], record: str) -> str:
    for study in review["studies"]:
        if study["record"] == record:
            return study["label"]
    return record
