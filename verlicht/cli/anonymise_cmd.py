"""Privacy commands: ``anonymise`` (raw transcripts → ROCK sources) and ``key`` (the pseudonym key).

spaCy, deduce and cryptography are imported inside the commands: every other command starts without them.
"""

from __future__ import annotations

from pathlib import Path

import click

from verlicht.cli import cli
from verlicht.cli.output import format_option, render
from verlicht.errors import AnonymiseError, WorkspaceError
from verlicht.workspace import Layout, open_layout

key_option = click.option(
    "--key", "key_path", type=click.Path(dir_okay=False, path_type=Path), envvar="VERLICHT_KEY_FILE",
    help="Pseudonym key file (default: [anonymise] key in verlicht.toml, else "
         "~/.config/verlicht/keys/<workspace>.verlicht-key). Kept outside the workspace.",
)


def _layout_near(path: Path | None) -> Layout | None:
    """The workspace around ``path`` (or the current folder), if there is one."""
    try:
        return open_layout(path)
    except WorkspaceError:
        return None


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
    from rich.console import Console  # here: every other command starts faster without rich's progress bars
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from verlicht.anonymise import keyfile
    from verlicht.anonymise.audit import write_audit
    from verlicht.anonymise.batch import (
        RunOptions,
        audit_stem,
        check_case_id,
        read_attributes,
        run,
        workspace_keep_terms,
    )
    from verlicht.anonymise.keystore import KeyStore, passphrase_from_env_or_prompt
    from verlicht.anonymise.pipeline import FIRST_RUN, deduce_tables_cached
    from verlicht.anonymise.private import loose_folder, mode_of
    from verlicht.anonymise.review import make_reviewer
    from verlicht.anonymise.to_rock import CaseInfo

    layout = _layout_near(ctx.workspace_path if ctx else None) or _layout_near(out)
    if out is None:
        if layout is None:
            raise AnonymiseError("no --out folder and no workspace here", None,
                                 "pass --out interviews/ or run inside a workspace")
        out = layout.interviews
    if case_id:
        check_case_id(case_id)
    if case_id and len(inputs) > 1:
        raise AnonymiseError("--case-id names one respondent but several transcripts were given", None,
                             "use --attributes with a row per file")
    key_file = keyfile.resolve(key_path, layout)
    keyfile.check_outside(key_file, layout, out)
    creating = not key_file.exists()
    key = (KeyStore.create if creating else KeyStore.open)(key_file, passphrase_from_env_or_prompt(key_file, creating))
    options = RunOptions(
        out=out,
        case=CaseInfo(case_id, group, role, wijk, interview_date, interviewer, tuple(remove)),
        attributes=read_attributes(attributes) if attributes else {},
        keep=tuple(keep),
        force=force,
        model=model or (layout.config.anonymise.spacy_model if layout else "auto"),
        scan=(layout.interviews,) if layout else (),
        suffixes=layout.config.source_extensions if layout else (".rock",),
    )
    keep_terms = workspace_keep_terms(layout.root / layout.config.anonymise.keep_list) if layout else []
    err = Console(stderr=True)
    reviewer = make_reviewer(key) if review else None
    first_run = not deduce_tables_cached()
    if first_run and not quiet:  # said once, also when piped: the next minutes would otherwise be silent
        click.echo(f"{FIRST_RUN}…", err=True)
    if err.is_terminal and not quiet and not review:
        with Progress(TextColumn("[bold]anonymising[/]"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task(FIRST_RUN if first_run else "loading spaCy and deduce", total=len(inputs))
            planned, _ = run(list(inputs), key, options, keep_terms, reviewer,
                             progress=lambda p: bar.update(task, advance=1, description=p.name))
    else:
        planned, _ = run(list(inputs), key, options, keep_terms, reviewer)
    results = [r for _, r in planned]
    folder = audit_dir or key_file.parent / "audit"
    keyfile.check_outside(folder, layout, out, what="audit report")
    csv_path, html_path = write_audit(folder, audit_stem(), results,
                                      folder_is_ours=audit_dir is None or not audit_dir.exists())
    if not quiet:
        for result in results:
            for warning in result.warnings:
                click.echo(str(warning), err=True)
        for place in dict.fromkeys((key_file.parent, folder)):
            if loose_folder(place):
                click.echo(f"warning: {place}: others may list this folder ({mode_of(place)}); the key and audit "
                           f"files in it are owner-only — chmod 700 {place} if nobody else needs it", err=True)
    rows = [
        {"input": r.source, "output": str(target), "case": r.case_id, "utterances": r.utterances,
         "replacements": len(r.replacements), "by_category": r.counts()}
        for target, r in planned
    ]
    render(rows, fmt, ["input", "output", "case", "utterances", "replacements", "by_category"])
    if not quiet:
        click.echo(f"key: {key_file}{' (new)' if creating else ''}   audit: {csv_path}, {html_path}", err=True)


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
    from verlicht.anonymise import keyfile
    from verlicht.anonymise.keystore import KeyStore, passphrase_from_env_or_prompt

    layout = _layout_near(ctx.workspace_path if ctx else None)
    key_file = keyfile.resolve(key_path, layout)
    store = KeyStore.open(key_file, passphrase_from_env_or_prompt(key_file, creating=False))
    rows = [
        {"pseudonym": e.pseudonym, "category": e.category, "value": e.canonical, "forms": list(e.aliases)}
        for e in store.entries() if category is None or e.category == category.upper()
    ]
    render(rows, fmt, ["pseudonym", "category", "value", "forms"])


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
    from verlicht.api import key_audit_reports

    if older_than is not None and not prune:
        raise click.UsageError("--older-than only goes with --prune")
    rows = key_audit_reports(_layout_near(ctx.workspace_path if ctx else None), key_path, audit_dir, prune,
                             older_than)
    render(rows, fmt, ["file", "written", "bytes", "mode", "status"])


@key.command("rotate")
@key_option
@click.pass_obj
def key_rotate(ctx, key_path: Path | None) -> None:
    """Lock the key with a new passphrase (from VERLICHT_NEW_KEY_PASSPHRASE, or asked twice)."""
    from verlicht.anonymise import keyfile
    from verlicht.anonymise.keystore import NEW_PASSPHRASE_ENV, KeyStore, passphrase_from_env_or_prompt

    layout = _layout_near(ctx.workspace_path if ctx else None)
    key_file = keyfile.resolve(key_path, layout)
    store = KeyStore.open(key_file, passphrase_from_env_or_prompt(key_file, creating=False))
    new = passphrase_from_env_or_prompt(key_file, creating=True, env=NEW_PASSPHRASE_ENV)
    store.rotate(new)
    click.echo(f"{key_file}: locked with the new passphrase; tell the team and update {NEW_PASSPHRASE_ENV}'s "
               f"value in your secret store as the new VERLICHT_KEY_PASSPHRASE")


@key.command("forget")
@click.argument("person")
@key_option
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
@format_option
@click.pass_obj
def key_forget(ctx, person: str, key_path: Path | None, dry_run: bool, fmt: str) -> None:
    """Right to be forgotten: give PERSON (a name or a pseudonym such as PERSOON-7) a new pseudonym linked
    to no one in every source of the workspace, and remove them from the key."""
    from verlicht.anonymise import keyfile
    from verlicht.anonymise.keystore import KeyStore, passphrase_from_env_or_prompt

    layout = _layout_near(ctx.workspace_path if ctx else None)
    if layout is None:
        raise WorkspaceError("'key forget' rewrites the workspace's sources; no workspace here", None,
                             "run it inside the workspace or pass --workspace")
    key_file = keyfile.resolve(key_path, layout)
    store = KeyStore.open(key_file, passphrase_from_env_or_prompt(key_file, creating=False))
    changes = keyfile.forget(store, person, layout, dry_run=dry_run)
    render(changes, fmt, ["source", "replaced", "old", "new"])
    if not dry_run:
        click.echo(f"forgotten: {len(changes)} source(s) rewritten; the key no longer links them", err=True)

