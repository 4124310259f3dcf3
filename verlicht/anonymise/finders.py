"""All our rules together: the candidates the spaCy pipeline adds to deduce's and its own.

Its own module because the lower-case and cued name finders build on :mod:`rules` (its word lists and
``Found``), so the list of every finder cannot live in ``rules`` without an import round.
"""

from __future__ import annotations

from verlicht.anonymise.cued import find_cued_names
from verlicht.anonymise.lowercase import find_slot_names
from verlicht.anonymise.rules import (
    Found,
    find_addresses,
    find_first_names,
    find_institutions,
    find_lowercase_first_names,
    find_lowercase_names,
    find_names,
    find_places,
    find_structured,
)
from verlicht.anonymise.unlisted import find_unlisted_names

FINDERS = (find_structured, find_addresses, find_names, find_places, find_institutions, find_lowercase_names,
           find_lowercase_first_names, find_first_names, find_slot_names, find_cued_names, find_unlisted_names)


def find_all(text: str) -> list[Found]:
    """Every candidate our rules see in ``text``."""
    found: list[Found] = []
    for finder in FINDERS:
        found.extend(finder(text))
    return found
