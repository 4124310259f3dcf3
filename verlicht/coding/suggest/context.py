"""What an utterance is read with: who the interviewers are and what the same speaker said just before.

Its own module because both the rows of suggestions and the learning from a workspace's coding need it,
and learning must not import the suggester (the suggester imports learning).
"""

from __future__ import annotations

from verlicht.rock.model import Source, Utterance


def interviewer_cases(source: Source) -> set[str]:
    """Case ids whose group or role is ``interviewer`` in the source's ``ROCK_attributes`` (the coder's one rule)."""
    from verlicht.coding.edit import interviewers

    return interviewers(source)


def previous_texts(source: Source) -> list[str]:
    """For each utterance, what the same speaker said just before it (empty after a change of speaker)."""
    out = []
    last: Utterance | None = None
    for utterance in source.utterances:
        same = last is not None and last.case_id == utterance.case_id and last.section == utterance.section
        out.append(last.text if same else "")
        last = utterance
    return out
