"""The typed exceptions and warnings of VERLICHT.

Library code raises these; the command line turns them into one-line messages
(``path:line:col: message — hint``) in exactly one place (``verlicht.cli``).
Anything else escaping to the user is a bug in VERLICHT, not a user mistake.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """Where in which file something was found (1-based line and column)."""

    path: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


def _format(location: Location | None, message: str, hint: str | None, prefix: str = "") -> str:
    text = f"{prefix}{message}"
    if hint:
        text = f"{text} — {hint}"
    return f"{location}: {text}" if location else text


class VerlichtError(Exception):
    """A user-facing problem with input, with where it is and how to fix it."""

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        return _format(self.location, self.message, self.hint)


class RockSyntaxError(VerlichtError):
    """A ROCK source that cannot be read as written."""


class CodebookError(VerlichtError):
    """A codebook or catalogue file that is malformed or inconsistent."""


class IndicatorError(VerlichtError):
    """An indicator catalogue or observation file that is malformed."""


class WorkspaceError(VerlichtError):
    """A workspace that is missing, incomplete or misconfigured."""


class TranscriptError(VerlichtError):
    """A raw transcript that cannot be read (encoding, format)."""


class KeyFileError(VerlichtError):
    """A pseudonym key that cannot be opened, written or used as asked (wrong passphrase, missing file)."""


class AnonymiseError(VerlichtError):
    """An anonymisation run that cannot go ahead (output would overwrite coding, key inside the workspace)."""


class PrivacyError(VerlichtError):
    """A source that may still hold personal data: no anonymisation marker, or a residual finding."""


class CodingError(VerlichtError):
    """A coding action that cannot be done as asked (unknown uid, malformed code, another coder's file)."""


class LogicModelError(VerlichtError):
    """An intervention logic model (``logic/*.yaml``) that is malformed or names unknown things."""


class ReviewError(VerlichtError):
    """A living review's files or an action on them that is malformed or cannot be done as asked."""


class QueryError(VerlichtError):
    """A query that cannot be answered as asked (unknown concept, bad pattern)."""


class BuildError(VerlichtError):
    """A build that failed; carries every error found, not just the first.

    Its text names the first located errors (a notebook prints only the exception), then how many more;
    the command line prints up to :data:`SHOWN_ERRORS` of them, one per line, and :attr:`summary`.
    """

    def __init__(self, errors: list[VerlichtError], message: str | None = None,
                 hint: str | None = "the previous graph was left untouched"):
        self.errors = [e for error in errors for e in (error.errors if isinstance(error, BuildError) else [error])]
        first = self.errors[0] if self.errors else None
        super().__init__(message or f"build failed with {len(self.errors)} error(s)", None, hint)
        self.first = first

    @property
    def summary(self) -> str:
        """One line: how many errors, and that nothing was replaced."""
        return _format(None, self.message, self.hint)

    def __str__(self) -> str:
        return "\n  ".join([self.summary + ":", *shown_errors(self.errors, IN_MESSAGE)])


SHOWN_ERRORS = 50  # errors of one build the command line prints before "… and N more"
IN_MESSAGE = 5  # errors a BuildError's text names


class IndicatorErrors(BuildError, IndicatorError):
    """Several mistakes in the indicator files, reported together; located at the first."""

    def __init__(self, errors: list[VerlichtError], message: str | None = None, hint: str | None = None):
        super().__init__(errors, message, hint)
        self.location = self.first.location if self.first is not None else None


def raise_all(errors: list[VerlichtError], what: str, kind: type[BuildError] = BuildError) -> None:
    """Raise the errors found in one go: one as itself, several as a ``kind`` (a :class:`BuildError`) saying
    ``what`` held them (``"the indicator catalogue"``). Nothing when there are none."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise kind(errors, f"{len(errors)} errors in {what}", None)


def shown_errors(errors: list[VerlichtError], limit: int = SHOWN_ERRORS) -> list[str]:
    """The first ``limit`` errors as lines, then "… and N more" when there are more."""
    lines = [str(error) for error in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"… and {len(errors) - limit} more")
    return lines


@dataclass(frozen=True, slots=True)
class VerlichtWarning:
    """A problem that does not stop a build unless ``--strict`` is given."""

    message: str
    location: Location | None = None
    hint: str | None = None
    kind: str = "warning"

    def __str__(self) -> str:
        return _format(self.location, self.message, self.hint, prefix="warning: ")

    def to_error(self) -> VerlichtError:
        return VerlichtError(self.message, self.location, self.hint)

    def to_dict(self) -> dict:
        loc = self.location
        return {
            "kind": self.kind,
            "message": self.message,
            "path": loc.path if loc else None,
            "line": loc.line if loc else None,
            "col": loc.col if loc else None,
            "hint": self.hint,
        }


class ExportError(VerlichtError):
    """An export, validation or SPARQL query that cannot be done as asked (unknown format, bad query)."""
class GraphDatabaseError(VerlichtError):
    """A Neo4j server that cannot be reached, refuses the login, or rejects a statement."""


class ExchangeFormatError(VerlichtError):
    """A file in an exchange format (REFI-QDA codebook or project) that cannot be read or written as asked."""
