"""Dutch compounds split into the words they are made of, by word frequency: *jeugdwerkloosheid* → *jeugd* +
*werkloosheid*, *buurthuis* → *buurt* + *huis*, *stadsdeel* → *stad* + *deel* (a linking *s*).

No well-kept offline splitter for Dutch exists on PyPI (``compound-split`` 1.0.2, of 2020, takes 26 s to
import its n-gram tables and splits *buurthuis* into *buur* + *thuis*), so this is the frequency method of
Koehn and Knight (2003) over ``wordfreq``'s Dutch list: a word is cut where both parts are common Dutch words
(Zipf ≥ :data:`MIN_ZIPF`, at least :data:`MIN_PART` letters, the first part with or without a linking *s*,
*e* or *en*), the best cut being the one whose parts are most frequent on average, and only when that average
beats the frequency of the whole word: *onderwijs* is more common than *onder* and *wijs* together, so it
stays whole. A head that is itself a compound is split again. Derivational endings (*-heid*, *-ing*) are no
parts, so *werkloosheid* stays whole. Short, rare-part and non-alphabetic words come back unsplit.

>>> parts("jeugdwerkloosheid"), parts("stadsdeel"), parts("onderwijs"), parts("gemeente")
(('jeugd', 'werkloosheid'), ('stad', 'deel'), (), ())
"""

from __future__ import annotations

from functools import cache

MIN_WORD = 8  # shorter words are not split (wijkteam is the shortest kind: 4 + 4)
MIN_PART = 4  # so 'ver', 'gem', 'arm' never become parts of verhuurder, gemeente, armoede
MIN_ZIPF = 3.0  # a part must be a common Dutch word: about once per million words or more
LINKS = ("", "s", "e", "en")  # the linking sounds between the parts: stadsdeel, ziekenhuis
SUFFIXES = frozenset({
    "heid", "heden", "ing", "ingen", "lijk", "lijke", "schap", "isme", "baar", "bare", "loos", "loze", "achtig",
    "ster", "aar", "erij", "ling", "lingen", "tjes", "tje", "sel", "nis",
})  # word endings, not words: werkloos+heid is one word


@cache
def zipf(word: str) -> float:
    """How common a Dutch word is (``wordfreq``'s Zipf scale: 3 is once per million words, 6 once per thousand)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl")


@cache
def parts(word: str) -> tuple[str, ...]:
    """The words a lower-case Dutch compound is made of, first part first; ``()`` when it is no compound."""
    if len(word) < MIN_WORD or not word.isalpha():
        return ()
    best: tuple[float, str, str] | None = None
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head = word[cut:]
        if head in SUFFIXES or zipf(head) < MIN_ZIPF:
            continue
        for link in LINKS:
            first = word[:cut]
            if link:
                if not first.endswith(link):
                    continue
                first = first[: -len(link)]
            if len(first) < MIN_PART or first in SUFFIXES or zipf(first) < MIN_ZIPF:
                continue
            score = (zipf(first) + zipf(head)) / 2
            if best is None or score > best[0]:
                best = (score, first, head)
    if best is None or best[0] <= zipf(word):
        return ()
    _score, first, head = best
    return (first, *(parts(head) or (head,)))
