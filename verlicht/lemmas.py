"""Dutch lemmas from spaCy's own lookup table, shared by the coding suggestions and the indicator proposals.

``spacy-lookups-data`` ships ``nl_lemma_lookup``, the table that the lemmatizer of ``spacy.blank("nl")``
reads in lookup mode (no model download): ``gingen`` → ``gaan``, ``liep`` → ``lopen``, ``armen`` →
``arm``, ``opgeknapt`` → ``opknappen``. Forms and lemmas are kept without accents, since both callers
compare accent-free words. A word the table does not hold comes back as it is.

>>> lemma("gingen"), lemma("liep"), lemma("heerlen")
('gaan', 'lopen', 'heerlen')
"""

from __future__ import annotations

import unicodedata
from functools import cache


def plain(word: str) -> str:
    """Lower case without accents: ``Ééntje`` → ``eentje``."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


@cache
def _lookup() -> dict[str, str]:
    from verlicht.anonymise.lexicon import _table

    table: dict[str, str] = {}
    for form, found in sorted(_table("lemma_lookup").items()):
        table.setdefault(plain(form), plain(found))
    return table


def lemma(word: str) -> str:
    """The lemma of a lower-case, accent-free Dutch word, or the word itself when the table lacks it."""
    return _lookup().get(word, word)
