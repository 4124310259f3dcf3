"""The order records are offered in: most likely relevant first, once the review has both labels.

As ASReview does by default: TF-IDF features of title and abstract, a naive Bayes classifier (scikit-
learn's ``MultinomialNB``) trained on the records decided so far — included (or maybe) as relevant,
excluded as irrelevant, over every round of the review — and the unscreened records ranked by the
predicted probability of relevance. Until both an include and an exclude exist there is nothing to
learn from, and records come in import order.

Relevant records are few (often one in a hundred or fewer), and naive Bayes trained on them as they
are learns almost nothing about them: its smoothing swamps their counts. So the relevant ones are
weighted up until both classes weigh the same (``sample_weight``), as ASReview's default 'balanced'
training data does; on the Cohen et al. (2006) ADHD set this moves the relevant records from the
back half of the order to the first few percent (see ``bench/wss.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from verlicht.reviews.records import Record


def text_of(record: Record) -> str:
    return f"{record.title} {record.title} {record.abstract} {' '.join(record.keywords)}"


def rank(
    candidates: Sequence[Record], labelled: Sequence[tuple[Record, bool]]
) -> tuple[list[Record], list[float] | None]:
    """``candidates`` most relevant first and their scores; import order (and None) without both labels."""
    labels = [relevant for _record, relevant in labelled]
    if not candidates or not (any(labels) and not all(labels)):
        return list(candidates), None
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import MultinomialNB

    vectoriser = TfidfVectorizer(stop_words="english", min_df=1, sublinear_tf=True)
    train = vectoriser.fit_transform([text_of(r) for r, _ in labelled] + [text_of(r) for r in candidates])
    known = train[: len(labelled)]
    model = MultinomialNB(alpha=3.822)  # ASReview's default smoothing for its NB model
    relevant_count = sum(labels)
    weight = (len(labels) - relevant_count) / relevant_count
    model.fit(known, labels, sample_weight=[weight if y else 1.0 for y in labels])
    relevant = list(model.classes_).index(True)
    scores = model.predict_proba(train[len(labelled) :])[:, relevant]
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
    return [candidates[i] for i in order], [float(scores[i]) for i in order]
