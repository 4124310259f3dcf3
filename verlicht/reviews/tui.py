"""Interactive screening on a terminal (prompt_toolkit, as the coder), or line by line from a pipe.

One record at a time: title, authors, year, journal, abstract, with the stopping aid (how many records
in a row were excluded) and, once prioritised, the predicted relevance. Answers:

    i            include            e CODE      exclude with a criterion code of the protocol
    m            maybe              s           skip for now (stays unscreened)
    u            undo the last      ? / q       help / quit (Ctrl-D quits too)

Every decision is saved at once; quitting or killing the session loses nothing decided before.
"""

from __future__ import annotations

import html
import shutil
import sys
import textwrap

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.completion import WordCompleter
from prompt_toolkit.formatted_text import HTML

from verlicht.errors import VerlichtError
from verlicht.reviews.folder import ReviewFolder
from verlicht.reviews.queue import screening_queue
from verlicht.reviews.screening import consecutive_irrelevant, decide, undo_last

RERANK_EVERY = 1  # decisions between re-ranking (ASReview retrains after every label)
LARGE = 5000  # above this many records re-rank every 10 decisions: training then takes a while


def _e(text: str) -> str:
    return html.escape(text, quote=False)


class Screen:
    def __init__(self, interactive: bool, codes: list[str]):
        self.interactive = interactive
        self.session = PromptSession() if interactive else None
        self.completer = WordCompleter(["i", "m", "s", "u", "q", "?", *(f"e {c}" for c in codes)], sentence=True)

    def ask(self, message: str) -> str:
        if self.session is not None:
            return self.session.prompt(HTML(message), completer=self.completer)
        self.show(message)
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.strip()

    def show(self, markup: str) -> None:
        if self.interactive:
            print_formatted_text(HTML(markup))
        else:
            import re

            print(html.unescape(re.sub(r"<[^>]+>", "", markup)), flush=True)


def run(
    review: ReviewFolder,
    screener: str,
    stage: str = "title-abstract",
    all_rounds: bool = False,
    interactive: bool | None = None,
) -> dict[str, int]:
    """Screen until the queue is empty, ``q`` or end of input; returns counts of what was decided."""
    if interactive is None:
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
    codes = review.protocol.exclusion_codes
    screen = Screen(interactive, list(codes))
    done = {"include": 0, "exclude": 0, "maybe": 0, "skipped": 0}
    skipped: set[str] = set()
    since_rank = 0
    queue = screening_queue(review, screener, stage, all_rounds)
    size = len(review.records)
    screen.show(f"<b>{_e(review.protocol.question)}</b>  ({stage}, screener {_e(screener)}; ? for help)")
    while True:
        todo = [r for r in queue.records if r.id not in skipped]
        if not todo:
            screen.show("nothing left to screen here" + (" (some skipped)" if skipped else ""))
            older = [] if all_rounds else screening_queue(review, screener, stage, True, prioritise=False).records
            if older:  # a round imported before the last one was screened: say so rather than look finished
                screen.show(
                    f"<ansiyellow>{len(older)} record(s) of earlier rounds not screened by {_e(screener)} yet "
                    f"({', '.join(r.id for r in older[:5])}{' …' if len(older) > 5 else ''}): "
                    "screen them with --all-rounds</ansiyellow>"
                )
            break
        record = todo[0]
        score = None if queue.scores is None else queue.scores[queue.records.index(record)]
        run_length = consecutive_irrelevant(review, screener, None if all_rounds else review.current_round, stage)
        left = len(todo)
        order = "prioritised" if queue.scores is not None else "import order"
        width = max(40, min(100, shutil.get_terminal_size((100, 24)).columns) - 2)
        lines = [
            "",
            f"<b>[{record.id}]</b> {left} to screen ({order}"
            + (f", relevance {score:.2f}" if score is not None else "")
            + f"; {run_length} irrelevant in a row)",
            f"<b>{_e(record.title)}</b>",
            _e(
                f"{'; '.join(record.authors[:6])}{' …' if len(record.authors) > 6 else ''} ({record.year or 'n.d.'})"
                f"{' — ' + record.journal if record.journal else ''}"
            ),
        ]
        if record.doi:
            lines.append(_e(f"doi:{record.doi}"))
        lines.append(_e("\n".join(textwrap.wrap(record.abstract, width)) if record.abstract else "(no abstract)"))
        screen.show("\n".join(lines))
        try:
            answer = screen.ask("<b>i / e CODE / m / s / u / q&gt;</b> ")
        except KeyboardInterrupt:
            screen.show("<ansiyellow>(cancelled; nothing changed — q quits)</ansiyellow>")
            continue
        except EOFError:
            break
        words = answer.split()
        command = words[0].lower() if words else ""
        try:
            if command in ("q", "quit"):
                break
            if command in ("?", "h", "help"):
                screen.show(
                    _e(__doc__.split("Answers:")[1].split("Every decision")[0].rstrip())
                    + "\ncriteria: "
                    + _e("; ".join(f"{c} {t}" for c, t in codes.items()))
                )
                continue
            if command == "s":
                skipped.add(record.id)
                done["skipped"] += 1
                continue
            if command == "u":
                in_scope = {r.id for r in screening_queue(review, "", stage, all_rounds, prioritise=False).records}
                undone = undo_last(review, screener, stage, in_scope)
                screen.show(
                    f"<ansiyellow>undid {undone.decision} of {undone.record}</ansiyellow>"
                    if undone
                    else "nothing to undo (in this round and stage)"
                )
                queue = screening_queue(review, screener, stage, all_rounds)
                continue
            if command in ("i", "include"):
                decide(review, record.id, "include", None, screener, stage)
                done["include"] += 1
                said = "include"
            elif command in ("m", "maybe"):
                decide(review, record.id, "maybe", None, screener, stage)
                done["maybe"] += 1
                said = "maybe"
            elif command in ("e", "exclude"):
                if len(words) < 2:
                    screen.show("<ansired>exclude with a criterion code: e " + _e(" | e ".join(codes)) + "</ansired>")
                    continue
                code = next((c for c in codes if c.lower() == words[1].lower()), words[1])
                decide(review, record.id, "exclude", code, screener, stage)
                done["exclude"] += 1
                said = f"exclude {code}"
            else:
                screen.show("<ansired>answer i, e CODE, m, s, u or q (? for help)</ansired>")
                continue
        except VerlichtError as exc:
            screen.show(f"<ansired>{_e(str(exc))}</ansired>")
            continue
        screen.show(f"<ansigreen>saved {record.id}: {_e(said)}</ansigreen>")
        since_rank += 1
        if since_rank >= (10 if size > LARGE else RERANK_EVERY):
            queue = screening_queue(review, screener, stage, all_rounds)
            since_rank = 0
        else:
            queue.records = [r for r in queue.records if r.id != record.id] if queue.scores is None else queue.records
            if queue.scores is not None:
                index = queue.records.index(record)
                del queue.records[index]
                del queue.scores[index]
    screen.show(
        f"decided {done['include']} include, {done['exclude']} exclude, {done['maybe']} maybe; "
        f"{len(screening_queue(review, screener, stage, all_rounds, prioritise=False).records)} left"
    )
    return done
