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


QUESTIONS = False  # an answer's first line is read after the interviewer's question


def previous_texts(source: Source) -> list[str]:
    """For each utterance, what the same speaker said just before it, or, for the first line of an answer,
    the interviewer's question it answers (empty after any other change of speaker)."""
    out = []
    asking = interviewer_cases(source) if QUESTIONS else set()
    last: Utterance | None = None
    for utterance in source.utterances:
        same = last is not None and last.section == utterance.section and (
            last.case_id == utterance.case_id or (last.case_id in asking and utterance.case_id not in asking))
        out.append(last.text if same else "")
        last = utterance
    return out
