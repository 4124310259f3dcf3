"""``verlicht code``: the interactive coder, and ``code add|remove|list|copy`` for scripts."""

from __future__ import annotations

import getpass
import re
from pathlib import Path

import click

from verlicht.cli import Context, cli, pass_ctx
from verlicht.cli.output import format_option, render
from verlicht.errors import CodingError, Location, WorkspaceError
from verlicht.fsio import folder_lock
from verlicht.workspace import Layout, open_layout

CODER_HELP = "Your coder id, written as [[coderId=…]] (default: $VERLICHT_CODER, the file's coder, your login)."


class _CodeGroup(click.Group):
    """``verlicht code SOURCE`` opens the coder; ``verlicht code add …`` etc. are subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["open", *args]
        return super().parse_args(ctx, args)


source_argument = click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
coder_option = click.option("--coder", envvar="VERLICHT_CODER", help=CODER_HELP)


def utterance_codes(command):
    """SOURCE, CODES… and which utterance (--uid or --line): what 'code add' and 'code remove' take."""
    for decorate in reversed((
        source_argument,
        click.argument("codes", nargs=-1, required=True),
        click.option("--uid", help="The utterance's uid."),
        click.option("--line", "line", type=int, help="The utterance's line (instead of --uid)."),
    )):
        command = decorate(command)
    return command


def _layout(ctx: Context, source: Path) -> Layout:
    """The workspace: -w, else the one around the source, else the one around the current folder."""
    if ctx.workspace_path:
        return open_layout(ctx.workspace_path)
    try:
        return open_layout(source.resolve().parent)
    except WorkspaceError:
        return open_layout(None)


def _login() -> str:
    return re.sub(r"[^a-zA-Z0-9_]", "_", getpass.getuser()) or "coder"


def _coder(explicit: str | None, file_coder: str | None) -> str:
    if explicit:
        return explicit
    if file_coder:
        return file_coder
    return _login()


def _line(source, uid: str | None, line: int | None) -> int:
    if (uid is None) == (line is None):
        raise CodingError("say which utterance: --uid UID or --line N", Location(source.shown),
                          "'verlicht code list SOURCE' shows the uids")
    return source.line_of_uid(uid) if uid is not None else source.utterance_at(line).line


@cli.group(cls=_CodeGroup, invoke_without_command=False)
def code() -> None:
    """Code a source: 'verlicht code SOURCE' opens the interactive coder (same as 'code open SOURCE').

    \b
    The coder: verlicht code SOURCE [--coder ID] [--uid UID | --line N] [--uncoded] [--no-suggest]
    (type ? inside it for its keys). Scripted:
      verlicht code add interviews/r07.rock --uid 7ddr5tye "goedkope_woningen->instroom_kwetsbaren||causal_pos"
      verlicht code remove interviews/r07.rock --uid 7ddr5tye 'goedkope_woningen->instroom_kwetsbaren'
      verlicht code list interviews/r07.rock --format csv
      verlicht code copy interviews/r07.rock --coder bram      (a second coder's own copy)
    """


@code.command("open")
@source_argument
@coder_option
@click.option("--uid", help="Start at this utterance.")
@click.option("--line", "line", type=int, help="Start at this line.")
@click.option("--uncoded", is_flag=True, help="Show only uncoded utterances.")
@click.option("--no-suggest", is_flag=True, help="Do not compute suggestions.")
@click.option("--claim", is_flag=True,
              help="The file's codes without a coder id are yours: mark the file with your id without asking.")
@pass_ctx
def open_(ctx: Context, source: Path, coder: str | None, uid: str | None, line: int | None, uncoded: bool,
          no_suggest: bool, claim: bool) -> None:
    """Open the interactive coder on SOURCE."""
    from verlicht.coding.concepts import CodebookWriter
    from verlicht.coding.edit import EditableSource
    from verlicht.coding.refactor import changelog_file
    from verlicht.coding.rejections import Rejections, rejections_file
    from verlicht.coding.session import CodingSession
    from verlicht.coding.tui import run
    from verlicht.graph.build import load_inputs

    layout = _layout(ctx, source)
    catalogue, codebook = load_inputs(layout)
    shown = layout.shown(source.resolve())
    file_coder = EditableSource.load(source, shown).coder
    who = _coder(coder, file_coder)
    session = CodingSession.open(source, codebook, who, shown,
                                 suggester=None if no_suggest else _suggester(codebook))
    if claim and session.unclaimed:
        session.claim()
    session.layout = layout  # memos (m TEXT) are kept in the workspace
    book_path = layout.ontology / "codebook.yaml"
    session.concepts = CodebookWriter(book_path, changelog_file(layout), who, set(catalogue.themes),
                                      layout.shown(book_path))
    session.rejections = Rejections(rejections_file(layout.root), shown)
    if uid or line:
        try:
            session.goto(uid or str(line))
        except CodingError as exc:
            raise CodingError(exc.message, Location(shown), f"'verlicht code list {shown}' shows the uids") from None
    if uncoded:
        session.toggle_uncoded()
    # Only someone who named themselves is asked whether earlier codes are theirs; a login name never claims.
    run(session, ask_claim=bool(coder))


def _suggester(codebook):
    """The suggestion engine, or None when it cannot start (the coder works without it)."""
    import logging

    try:
        from verlicht.coding.suggest import Suggester
    except ImportError:
        return None
    suggester = Suggester(codebook)
    # deduce (imported on the way) sets up root logging at DEBUG on stdout; the coder's screen is no log.
    logging.getLogger().setLevel(logging.WARNING)
    return suggester


@code.command("add")
@utterance_codes
@coder_option
@click.option("--allow-undefined", is_flag=True,
              help="Add codes naming concepts or edge types the codebook lacks (a warning instead of an error).")
@click.option("--claim", is_flag=True,
              help="Mark a file holding codes without a coder id as yours (those codes become yours too).")
@pass_ctx
def add(ctx: Context, source: Path, codes: tuple[str, ...], uid: str | None, line: int | None,
        coder: str | None, allow_undefined: bool, claim: bool) -> None:
    """Add CODES to one utterance of SOURCE (saved at once)."""
    from verlicht.graph.build import load_inputs

    layout = _layout(ctx, source)
    _, codebook = load_inputs(layout)
    with folder_lock(source.resolve().parent):  # parallel 'code add' runs on one file each see the other's codes
        _add(source, layout, codebook, codes, uid, line, coder, allow_undefined, claim)


def _add(source: Path, layout: Layout, codebook, codes: tuple[str, ...], uid: str | None, line: int | None,
         coder: str | None, allow_undefined: bool, claim: bool = False) -> None:
    from verlicht.coding.edit import EditableSource, contradiction, parse_code

    editable = EditableSource.load(source, layout.shown(source.resolve()))
    before = editable.snapshot()
    number = _line(editable, uid, line)
    undefined = []
    for c in codes:  # every code checked before anything changes, with the line as it is now
        parse_code(c, Location(editable.shown, number))
        undefined += _unknown(codebook, c)
    if undefined and not allow_undefined:
        raise CodingError(undefined[0], Location(editable.shown, number),
                          "add it to the codebook first, or pass --allow-undefined")
    for warning in undefined:
        click.echo(f"warning: {editable.shown}:{number}: {warning}", err=True)
    for c in codes:
        opposite = contradiction(editable.codes_on(number), c, codebook.edge_types)
        if opposite:
            raise CodingError(f"the line already holds [[{opposite}]], the opposite of [[{c.strip()}]]",
                              Location(editable.shown, number), f"remove it first: verlicht code remove "
                              f"{editable.shown} --line {number} '{opposite}'")
    earlier = sum(len(u.codes) + len(u.network) + len(u.values) for u in editable.utterances)
    if editable.coder or not earlier or claim:
        editable.set_coder(_coder(coder, editable.coder))  # on the first utterance's line: no line moves
    elif coder:
        click.echo(f"warning: {editable.shown}: not marked as coded by {coder}: the file holds {earlier} code(s) "
                   f"without a coder id, which would count as {coder}'s — pass --claim if they are yours, or code "
                   f"your own copy: verlicht code copy {editable.shown} --coder {coder}", err=True)
    added = [c for c in codes if editable.add(number, c)]
    if not added:
        editable.restore(before)
    editable.save()
    for c in codes:
        state = "added" if c in added else "already there"
        click.echo(f"{editable.shown}:{number}: {state}: [[{c.strip()}]]")


def _unknown(codebook, code: str) -> list[str]:
    from verlicht.coding.edit import parse_code

    kind = parse_code(code)
    names = [kind[1], kind[2]] if kind[0] == "network" else [">".join(kind[1]) if kind[0] == "code" else kind[1]]
    found = [f"'{n.rsplit('>', 1)[-1]}' is not in the codebook"
             for n in names if n.rsplit(">", 1)[-1] not in codebook.concepts]
    if kind[0] == "network" and kind[3] not in codebook.edge_types:
        found.append(f"edge type '{kind[3]}' is not in the codebook")
    return found


@code.command("remove")
@utterance_codes
@pass_ctx
def remove(ctx: Context, source: Path, codes: tuple[str, ...], uid: str | None, line: int | None) -> None:
    """Remove CODES from one utterance ('a->b' without a type removes the one edge a->b)."""
    from verlicht.coding.edit import EditableSource

    layout = _layout(ctx, source)
    with folder_lock(source.resolve().parent):
        editable = EditableSource.load(source, layout.shown(source.resolve()))
        number = _line(editable, uid, line)
        missing = [c for c in codes if not editable.remove(number, c)]
        if missing:
            raise CodingError(f"not on this line: {', '.join(missing)}; nothing was removed",
                              Location(editable.shown, number),
                              "'verlicht code list SOURCE --uid UID' shows its codes")
        editable.save()
    for c in codes:
        click.echo(f"{editable.shown}:{number}: removed: [[{c.strip()}]]")


LIST_COLUMNS = ["line", "uid", "case", "coder", "kind", "code", "text"]


@code.command("list")
@source_argument
@click.option("--uid", help="Only this utterance.")
@click.option("--uncoded", is_flag=True, help="List the utterances without codes instead.")
@format_option
@pass_ctx
def list_(ctx: Context, source: Path, uid: str | None, uncoded: bool, fmt: str) -> None:
    """The codes of SOURCE, one row per code, with line, uid, case and coder."""
    from verlicht.coding.edit import EditableSource, code_rows

    layout = _layout(ctx, source)
    editable = EditableSource.load(source, layout.shown(source.resolve()))
    rows = code_rows(editable, uid=uid, uncoded=uncoded)
    render(rows, fmt, LIST_COLUMNS if fmt != "json" else None)


@code.command("copy")
@source_argument
@click.option("--coder", required=True, help="The second coder's id.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the copy (default: coders/CODER/<name> in the workspace).")
@click.option("--keep-codes", is_flag=True, help="Keep the existing codes (default: start uncoded).")
@click.option("--force", is_flag=True, help="Overwrite an existing copy.")
@pass_ctx
def copy(ctx: Context, source: Path, coder: str, out: Path | None, keep_codes: bool, force: bool) -> None:
    """Make CODER's own copy of SOURCE (same text and uids), for independent double coding."""
    from verlicht.coding.edit import EditableSource

    layout = _layout(ctx, source)
    editable = EditableSource.load(source, layout.shown(source.resolve()))
    missing = [u for u in editable.utterances if not u.uid]
    if missing:
        raise CodingError(f"{len(missing)} utterance(s) have no uid, so copies could not be matched line by line",
                          Location(editable.shown, missing[0].line),
                          f"give every line a uid first: verlicht anonymise {editable.shown} --out DIR "
                          "(it keeps codes and adds uids)")
    removed = 0 if keep_codes else editable.strip_codes()
    if keep_codes:
        editable.strip_coders()
    editable.set_coder(coder)
    target = out or layout.root / "coders" / coder / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not force:
        raise CodingError(f"{layout.shown(target.resolve())} exists", None,
                          "pass --force to start that copy again, or --out another path")
    editable.write_to(target, overwrite=True)
    click.echo(f"{layout.shown(target.resolve())}: copy for {coder}"
               + (f" ({removed} codes left out)" if removed else ""))
