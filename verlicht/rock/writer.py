"""Writing ROCK codes: the other half of the reader's grammar (:mod:`verlicht.rock.reader`).

Every module that spells a QNA network code (provenance files, ``verlicht parse``, the coder's one
spelling of a code, agreement keys) calls :func:`network_code`, so what VERLICHT writes is always
what it reads back: ``tests/rock/test_writer.py`` checks write → read for any valid ids, types and
weights.
"""

from __future__ import annotations


def network_code(source: str, target: str, type: str, weight: float | None = None) -> str:
    """The inside of ``[[source->target||type]]``, or ``[[source->target||type||weight]]`` with a weight.

    Without the brackets, as provenance rows and code listings show it. A weight is written as
    Python's shortest round-trip spelling (``2``, ``0.5``, ``1e-07``), which the reader reads back as
    the same number (whole numbers as ints).

    >>> network_code("goedkope_woningen", "instroom_kwetsbaren", "causal_pos")
    'goedkope_woningen->instroom_kwetsbaren||causal_pos'
    >>> network_code("a", "wonen>b", "causal_neg", 0.5)
    'a->wonen>b||causal_neg||0.5'
    """
    text = f"{source}->{target}||{type}"
    return text if weight is None else f"{text}||{weight}"
