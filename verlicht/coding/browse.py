"""The coder's code browser: how often each code is used in a source, and every quote for a code or an edge.

Pure functions over an :class:`~verlicht.coding.edit.EditableSource`; the coder numbers what they
return so that one keystroke jumps to a quote.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from verlicht.coding.edit import EditableSource, canonical, parse_code, tokens


@dataclass(frozen=True, slots=True)
class Quote:
    """One coded utterance: its position among the utterances, and the code that matched."""

    index: int
    line: int
    uid: str | None
    case: str | None
    code: str
    text: str


def _unweighted(code: str) -> str:
    return code.rsplit("||", 1)[0] if "->" in code and code.count("||") == 2 else code


def coded(source: EditableSource) -> list[tuple[int, str]]:
    """(utterance position, code without weight) for every code in the source, in file order."""
    found = []
    for index, utterance in enumerate(source.utterances):
        for token in tokens(source.lines[utterance.line - 1]):
            if token.is_code:
                found.append((index, _unweighted(canonical(token.kind))))
    return found


def frequencies(source: EditableSource) -> list[tuple[str, int]]:
    """Each code (weights left out) and the number of utterances holding it, most used first, then by code."""
    counts = Counter(code for _, code in dict.fromkeys(coded(source)))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def quotes(source: EditableSource, query: str) -> list[Quote]:
    """Every utterance coded with ``query``, in file order.

    ``query`` is a code (``wonen`` also finds ``wonen>instroom``), an edge ``a->b`` (any type) or
    ``a->b||causal_pos`` (any weight), or a concept, which finds its plain codes and the edges it is
    an end of.
    """
    query = query.strip().removeprefix("[[").removesuffix("]]").strip()
    typed = "||" in query
    kind = parse_code(query if typed or "->" not in query else query + "||causal")  # a->b: any type
    if kind.tag == "network":
        ends = (kind.source, kind.target)

        def matches(code: str) -> bool:
            found = parse_code(code)
            if found.tag != "network" or (found.source, found.target) != ends:
                return False
            return not typed or found.type == kind.type
    else:
        wanted = canonical(kind)
        leaf = wanted.rsplit(">", 1)[-1]

        def matches(code: str) -> bool:
            if code == wanted or code.startswith(wanted + ">"):
                return True
            if ">" not in wanted:
                found = parse_code(code)
                if found[0] == "network":
                    return leaf in (found[1].rsplit(">", 1)[-1], found[2].rsplit(">", 1)[-1])
                if found[0] == "code":
                    return leaf in found[1]
            return False

    utterances = source.utterances
    return [Quote(index, utterances[index].line, utterances[index].uid, utterances[index].case_id, code,
                  utterances[index].text)
            for index, code in coded(source) if matches(code)]
