"""Suggested codes for a Dutch interview utterance: causal statements turned into QNA network codes.

A :class:`Suggester` is built once from a codebook and then asked, utterance by
utterance, for :class:`Suggestion` objects::

    >>> suggester = Suggester(codebook)
    >>> [s.code for s in suggester.suggest("Omdat de huizen goedkoop zijn, komen hier veel spoedzoekers.")]
    ['goedkope_woningen->instroom_kwetsbaren||causal_pos', 'instroom_kwetsbaren', 'goedkope_woningen']

How it works, in three steps over one spaCy ``Doc``:

1. **Cues.** A ``Matcher`` over the lower-cased tokens finds causal cues of spoken
   Dutch (:data:`CUES`): connectives (*omdat*, *doordat*, *want*, *waardoor*,
   *daardoor*, *dus*, *zodat*, *daarom*), verbs (*leidt tot*, *zorgt (ervoor) voor*,
   *komt door*, *veroorzaakt*, *voorkomt*), prepositions (*door*, *vanwege*,
   *dankzij*), conditionals (*als … (dan)*), scales (*hoe meer …, hoe minder …*) and
   the narrative *en dan*. Fillers (*ehm*, *nou*, *hè*, *zeg maar*) and repeated
   words may sit between the words of a cue. Each cue kind says on which side of
   it the cause and the effect are; the spans end at the sentence (spaCy's
   sentencizer) or at the next cue, and a span that holds only *dat* or *dit*
   reaches back to the previous sentence.
2. **Concepts.** A ``PhraseMatcher`` over a normalised form of each token
   (:func:`normal_form`: lower case, no diacritics, spaCy's Dutch lookup lemma,
   then plural, diminutive and inflection endings stripped) finds the codebook's
   labels, synonyms and code words; single words of multi-word terms count too,
   weaker, and weaker still when several concepts share them. Words the
   workspace's coders linked to a concept elsewhere count as its terms
   (:mod:`.learn`), and a side of a statement that names nothing gets its nearest
   concept by TF-IDF, weakly (:mod:`.profiles`).
3. **Polarity.** Words such as *meer*, *minder*, *stijgt*, *daalt*, *niet*,
   *geen*, *weinig* and comparatives in the clause part (between commas) of a
   concept mention set its sign; the edge type is the product of the cause's
   sign, the effect's sign and the cue's own (*voorkomt* is negative):
   ``causal_pos`` or ``causal_neg``, or ``causal`` when the speaker hedges
   (*misschien*, *weet ik niet*) without saying which way.

Scores are heuristics between 0 and 1 (cue reliability × how well both spans
map onto concepts); ``docs/DESIGN.md`` records how precise and complete the
suggestions are on the demo interviews and on a held-out coded set.

One module per job: :mod:`.pipeline` (spaCy pipeline, normal forms), :mod:`.cues`
(cue matcher, cause and effect spans), :mod:`.concepts` (spans onto codebook
concepts), :mod:`.learn` and :mod:`.profiles` (vocabulary from the workspace's coding,
nearest concept), :mod:`.scoring` (scores, polarity, ranking), :mod:`.suggester` (the
three put together), :mod:`.rows` (rows for ``verlicht suggest`` and the
utterance context); :mod:`verlicht.coding.suggest_eval` scores them against coded
sources and imports from here, never the other way round.
"""

from verlicht.coding.suggest.cues import CUES, Cue
from verlicht.coding.suggest.learn import teaching_sources
from verlicht.coding.suggest.pipeline import build_nlp, normal_form
from verlicht.coding.suggest.rows import interviewer_cases, previous_texts, suggestion_rows
from verlicht.coding.suggest.scoring import DEFAULT_MIN_SCORE, MAX_TEXT, NEAR_BEST, Statement, Suggestion
from verlicht.coding.suggest.suggester import Suggester

__all__ = [
    "CUES", "DEFAULT_MIN_SCORE", "MAX_TEXT", "NEAR_BEST", "Cue", "Statement", "Suggester", "Suggestion", "build_nlp",
    "interviewer_cases", "normal_form", "previous_texts", "suggestion_rows", "teaching_sources",
]
