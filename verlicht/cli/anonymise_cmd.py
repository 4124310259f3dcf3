"""Privacy commands: ``anonymise`` (raw transcripts → ROCK sources) and ``key`` (the pseudonym key).

Thin shells over :mod:`verlicht.anonymise.service` (re-exported by :mod:`verlicht.api`), which imports spaCy,
deduce and cryptography only when called: every other command starts without them.
"""

from __future__ import annotations

from pathlib import Path

import click

from verlicht import api
from verlicht.cli import cli
from verlicht.cli.output import format_option, render
from verlicht.cli.progress import progress_bar

key_option = click.option(
    "--key", "key_path", type=click.Path(dir_okay=False, path_type=Path), envvar="VERLICHT_KEY_FILE",
    help="Pseudonym key file (default: [anonymise] key in verlicht.toml, else "
         "~/.config/verlicht/keys/<workspace>.verlicht-key). Kept outside the workspace.",
)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the ROCK sources (default: the workspace's interviews/).")
@key_option
@click.option("--attributes", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with file,case_id,role,group,wijk,date per transcript.")
@click.option("--case-id", help="Case id of the respondent (e.g. R07); default from the CSV or the next free one.")
@click.option("--group", type=click.Choice(("bewoner", "professional", "bestuurder", "resident", "administrator")),
              help="Respondent group.")
@click.option("--role", help="Respondent role (e.g. huurder, wijkverpleegkundige).")
@click.option("--wijk", help="Wijk the respondent lives or works in.")
@click.option("--date", "interview_date", help="Interview date (YYYY-MM-DD).")
@click.option("--interviewer", help="Speaker label of the interviewer, if not I/Interviewer/Onderzoeker.")
@click.option("--remove", multiple=True, metavar="TEXT",
              help="Always replace TEXT (e.g. the respondent's own name); wins over the keep-list. Repeatable.")
@click.option("--keep", multiple=True, metavar="TEXT", help="Never replace TEXT (a public actor). Repeatable.")
@click.option("--review", is_flag=True, help="Walk every replacement on the terminal before writing.")
@click.option("--audit-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the audit report goes (default: an 'audit' folder next to the key).")
@click.option("--model", default=None, help="spaCy pipeline: auto (a trained Dutch model if installed), blank, "
                                             "or a package name.")
@click.option("--force", is_flag=True, help="Replace outputs that exist and differ.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings.")
@format_option
@click.pass_obj
def anonymise(ctx, inputs: tuple[Path, ...], out: Path | None, key_path: Path | None, attributes: Path | None,
              case_id: str | None, group: str | None, role: str | None, wijk: str | None,
              interview_date: str | None, interviewer: str | None, remove: tuple[str, ...], keep: tuple[str, ...],
              review: bool, audit_dir: Path | None, model: str | None, force: bool, quiet: bool, fmt: str) -> None:
    """Anonymise raw transcripts (.txt, .docx, .vtt, .srt) or ROCK sources into ROCK sources ready to code.

    \b
    Persons, addresses, contact data and identifiers become pseudonyms such as [PERSOON-7], the same in
    every transcript; public actors and wijken stay. The key linking pseudonyms to people is encrypted
    with the passphrase in VERLICHT_KEY_PASSPHRASE (or asked for) and kept outside the workspace.
    """
    with progress_bar("anonymising", quiet=quiet or review, total=len(inputs)) as bar:
        result = api.anonymise(
            list(inputs), out, ctx.workspace_path if ctx else None, key_path, attributes, case_id, group, role,
            wijk, interview_date, interviewer, remove, keep, audit_dir, model, force,
            reviewer=api.terminal_reviewer if review else None,
            progress=bar,
            notify=None if quiet else lambda line: click.echo(line, err=True))
    if not quiet:
        for warning in result.warnings:
            click.echo(str(warning), err=True)
        for note in result.notes:
            click.echo(f"warning: {note}", err=True)
    render(result.rows, fmt, api.ANONYMISE_COLUMNS)
    if not quiet:
        click.echo(result.summary(), err=True)


@cli.group()
def key() -> None:
    """The pseudonym key: show it, lock it with a new passphrase, or forget a person everywhere."""


@key.command("show")
@key_option
@click.option("--category", help="Only this category (PERSOON, ADRES, TELEFOON, …).")
@format_option
@click.pass_obj
def key_show(ctx, key_path: Path | None, category: str | None, fmt: str) -> None:
    """List pseudonyms and what they stand for (personal data: print it only where that is allowed)."""
    rows = api.key_entries(key_path, ctx.workspace_path if ctx else None, category)
    render(rows, fmt, api.KEY_COLUMNS)


@key.command("audit")
@key_option
@click.option("--audit-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the audit reports are (default: the 'audit' folder next to the key).")
@click.option("--prune", is_flag=True, help="Remove the reports (they hold the original text).")
@click.option("--older-than", type=click.FloatRange(min=0), metavar="DAYS",
              help="With --prune: only reports written more than DAYS days ago.")
@format_option
@click.pass_obj
def key_audit(ctx, key_path: Path | None, audit_dir: Path | None, prune: bool, older_than: float | None,
              fmt: str) -> None:
    """List the audit reports of 'verlicht anonymise' (original names and contact data, in plain text), or
    remove them with --prune once the runs are checked. Other files in the folder are never touched."""
    if older_than is not None and not prune:
        raise click.UsageError("--older-than only goes with --prune")
    rows = api.key_audit_reports(api.layout_near(ctx.workspace_path if ctx else None), key_path, audit_dir, prune,
                                 older_than)
    render(rows, fmt, ["file", "written", "bytes", "mode", "status"])


@key.command("rotate")
@key_option
@click.pass_obj
def key_rotate(ctx, key_path: Path | None) -> None:
    """Lock the key with a new passphrase (from VERLICHT_NEW_KEY_PASSPHRASE, or asked twice)."""
    key_file = api.key_rotate(key_path, ctx.workspace_path if ctx else None)
    click.echo(f"{key_file}: locked with the new passphrase; tell the team and update "
               "VERLICHT_NEW_KEY_PASSPHRASE's value in your secret store as the new VERLICHT_KEY_PASSPHRASE")


@key.command("forget")
@click.argument("person")
@key_option
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
@format_option
@click.pass_obj
def key_forget(ctx, person: str, key_path: Path | None, dry_run: bool, fmt: str) -> None:
    """Right to be forgotten: give PERSON (a name or a pseudonym such as PERSOON-7) a new pseudonym linked
    to no one in every source of the workspace, and remove them from the key."""
    changes = api.key_forget(person, key_path, ctx.workspace_path if ctx else None, dry_run)
    render(changes, fmt, api.FORGET_COLUMNS)
    if not dry_run:
        click.echo(f"forgotten: {len(changes)} source(s) rewritten; the key no longer links them", err=True)

