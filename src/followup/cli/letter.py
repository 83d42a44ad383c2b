"""`followup letter`: draft the thank-you letters, edit them, print or write them.

The drafting is `followup.letters`; this module asks for a missing personal
note, runs the user's editor and decides where the text goes.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Optional, cast

import typer

from followup.cli.context import Env, current, interactive
from followup.cli.options import INTERVIEW_ID, JSON
from followup.cli.registry import group
from followup.errors import FollowupError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from followup.letter_files import Format
    from followup.letter_parts import Sender
    from followup.letter_pdf import Paper
    from followup.letters import Letter
    from followup.outfiles import Target
    from followup.store.stored import ShownInterview

NAME_VARIABLE = "FOLLOWUP_NAME"
NOTE_QUESTION = (
    "Personal note for the letter: one sentence about something you talked about,"
    " so that it does not read as written in advance (Enter to skip)"
)

app = group()


def letters_dir(env: Env) -> Path:
    """The user's templates: beside their checklists (`$FOLLOWUP_HOME/letters`)."""
    return env.checklist_dir.parent / "letters"


def complete_template(incomplete: str) -> list[tuple[str, str]]:
    """Template names, yours and built-in; nothing for a path, so that the shell completes files."""
    try:
        if "/" in incomplete or incomplete.startswith((".", "~")):
            return []
        from followup.letters import available

        entries = available(letters_dir(current()))
        return [(entry.name, entry.source) for entry in entries if entry.name.startswith(incomplete)]
    except Exception:
        return []


@app.command()
def letter(
    interview_id: str = INTERVIEW_ID,
    to: Optional[str] = typer.Option(
        None, "--to", metavar="NAME", help="Only the letter to this interviewer (or the start of the name)."
    ),
    out: Optional[Path] = typer.Option(
        None,
        "--out",
        "-o",
        metavar="FILE",
        help="Write to FILE (- is stdout); for a panel, FILE-ana.txt, FILE-bo.txt...",
    ),
    force: bool = typer.Option(
        False, "--force", "-f", help="Replace the files of --out if they exist, without asking."
    ),
    edit: bool = typer.Option(False, "--edit", "-e", help="Open each draft in $VISUAL or $EDITOR first."),
    template: Optional[str] = typer.Option(
        None,
        "--template",
        "-t",
        metavar="NAME",
        help="mail, email, your own template, or a PATH.txt.j2 (default: email after a video interview, else mail).",
        autocompletion=complete_template,
    ),
    format_: str = typer.Option(
        "text",
        "--format",
        "-F",
        metavar="FORMAT",
        help="text, eml (an email draft) or pdf (a letter to print); eml and pdf go to letter-ID.eml/.pdf without --out.",
    ),
    paper: Optional[str] = typer.Option(
        None, "--paper", metavar="SIZE", help="For pdf: a4 or letter (default: by locale, e.g. letter for es_MX)."
    ),
    open_: bool = typer.Option(
        False, "--open", help="Hand each draft to your mail program (a mailto: link for text), or the PDF to a viewer."
    ),
    json: bool = JSON,
) -> None:
    """Draft a thank-you letter to each interviewer.

    The letter is filled with the interviewer's name, the company, the role,
    the date and the interview's note (`followup edit ID --note TEXT`); in a
    terminal it asks for a note if there is none. FOLLOWUP_NAME signs it. Your
    own templates, NAME.txt.j2 in the `letters` folder beside your checklists,
    win over the built-in `mail` and `email`.

    Your name, address, email and phone come from `followup profile`;
    the interviewer's email and title and the company's address from
    `followup edit ID --contact/--title/--address`.

    \b
    Examples:
      followup letter acme
      followup letter acme --to ana --edit --out thanks.txt
      followup letter acme --template email --json
      followup letter acme --format eml --open
      followup letter acme --format pdf --paper a4 --out thanks.pdf
    """
    from followup import letters, outfiles
    from followup.letter_files import default_out

    fmt = _check_format(format_, paper, json, open_)
    if out is not None and outfiles.is_stdout(out):
        if open_ and fmt != "text":
            raise UsageError("--open opens the files it writes: leave out --out -")
        out = None
    elif out is None and fmt != "text":
        out = _DEFAULT_OUT
    if out is None or json:
        outfiles.require_stdout()
    if out is None and fmt == "pdf" and sys.stdout.isatty():
        # As curl does for binary output: PDF bytes in a terminal are noise, and can upset it.
        raise UsageError("--out -: a PDF is not for the terminal", "give --out FILE, or pipe it: --out - | lpr")
    env = current()
    interview = env.interview_to_show(interview_id)
    names, about_left_out = letters.to_write(interview, to)
    if about_left_out:
        env.render.warn(about_left_out)
    if out is _DEFAULT_OUT:
        out = default_out(interview, fmt)
    if out is None and fmt != "text" and len(names) > 1:
        raise UsageError(f"--out -: {len(names)} letters cannot go to standard output", "give --to NAME, or --out FILE")
    found = letters.locate(template or letters.default_template(interview), letters_dir(env))
    sender = _sender(env)

    def draft(note: str | None) -> list[Letter]:
        return letters.draft(
            interview, found, names, note=note, your_name=sender.name, now=env.now, zone=env.zone, sender=sender
        )

    drafted = draft(interview.notes)  # a broken template fails here, before any question or change
    # No email address, a character the font lacks: fails here, before any question or file.
    early = (drafted, _as_files(env, interview, drafted, fmt, _paper(paper)) if fmt != "text" else [])
    if open_ and fmt == "text":
        _mailto_links(env, interview, drafted)  # no email address: fails here too, not after the editor
    # The files of --out are checked (and an overwrite agreed to) before the questions and the editor.
    first = [] if out is None else outfiles.check_all(letters.out_paths(out, drafted), force=force, ask=_ask())
    to_open: list[str] = []  # opened last: a program that is missing or fails loses nothing
    new_note = None
    if not interview.notes and not all(interview.interviewer_notes.get(name) for name in names) and interactive():
        new_note = typer.prompt(NOTE_QUESTION, default="", show_default=False, err=True).strip() or None
        if new_note:
            _check_note(new_note)
            drafted = draft(new_note)
    if edit:
        drafted = _edited(env, drafted)
    if any(letters.PLACEHOLDER in item.text for item in drafted):
        env.render.warn(
            f"{interview.id} has no personal note: the letter has a placeholder line to replace;"
            f' add a note with: followup edit {interview.id} --note "something you talked about"'
        )
    if out is not None and drafted:
        # The editor may have dropped drafts, and with them changed the names: check again.
        agreed = [target.path for target in first if target.exists]
        targets = outfiles.check_all(letters.out_paths(out, drafted), force=force, ask=_ask(), agreed=agreed)
        contents = _files(env, interview, drafted, fmt, _paper(paper), early)
        _write(env, targets, drafted, contents)
        if open_ and fmt != "text":
            to_open = [str(target.path.absolute()) for target in targets]
    if out is None and fmt != "text" and drafted:  # --out -: the one draft on standard output
        outfiles.write_stdout((_files(env, interview, drafted, fmt, _paper(paper), early) or [b""])[0])
    elif open_ and fmt == "text" and drafted:
        to_open = _mailto_links(env, interview, drafted)
    try:
        if json:
            env.render.json([item.to_json() for item in drafted])
        elif out is None and fmt == "text":
            env.render.letters(drafted, terminal=sys.stdout.isatty())
    except OSError as exc:  # a full disk, a closed pipe: one line, and nothing saved
        raise outfiles.stdout_failed(exc) from None
    if new_note:
        # Saved last, so that a command that fails (an editor that fails, a file that
        # cannot be written) leaves the store as it was.
        from followup.actions import note_unless_noted

        with env.change() as document:
            summary = note_unless_noted(document, interview.id, new_note, env.now)
        if summary is None:
            env.render.warn(f"{interview.id} got a note meanwhile (from another command): it is kept, yours is not")
        else:
            env.render.changed(summary)
    _open_all(to_open)


def _edited(env: Env, drafted: list[Letter]) -> list[Letter]:
    """The drafts as the user left them in their editor; unchanged or emptied ones are dropped.

    The editor runs without a shell: `code --wait` is split into words and the
    file's path is one more word, so nothing in it is ever interpreted.
    """
    import shlex

    command = os.environ.get("VISUAL", "").strip() or os.environ.get("EDITOR", "").strip() or "vi"
    try:
        argv = shlex.split(command) or ["vi"]
    except ValueError as exc:
        raise FollowupError(
            f"cannot read the editor command {command!r}: {exc}; nothing written",
            "set VISUAL or EDITOR to an editor, such as nano or 'code --wait'",
        ) from None
    kept = []
    for item in drafted:
        text = _edit_one(argv, item)
        who = f"the letter to {item.interviewer}"
        if text == item.text:
            env.render.changed(f"{who}: unchanged, nothing written")
        elif not text.strip():
            env.render.changed(f"{who}: left empty, nothing written")
        else:
            kept.append(replace(item, text=text))
    return kept


def _edit_one(argv: list[str], item: Letter) -> str:
    import subprocess
    import tempfile

    from followup.ids import file_slug

    fd, name = tempfile.mkstemp(prefix=f"followup-letter-{file_slug(item.interviewer) or 'draft'}-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(item.text)
        try:
            done = subprocess.run([*argv, str(path)], check=False)
        except OSError as exc:
            raise FollowupError(
                f"cannot run the editor {argv[0]!r}: {exc.strerror or exc}; nothing written",
                "set VISUAL or EDITOR to an editor, such as nano or 'code --wait'",
            ) from None
        if done.returncode != 0:
            raise FollowupError(
                f"the editor {argv[0]!r} exited with status {done.returncode}; nothing written",
                "to keep a draft, save it and quit the editor normally",
            )
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FollowupError(
                f"cannot read the edited draft: {getattr(exc, 'strerror', None) or exc}; nothing written"
            ) from None
    finally:
        path.unlink(missing_ok=True)


def _ask() -> Callable[[str], bool] | None:
    """The overwrite question for `--out`, in a terminal; None without one."""
    if not interactive():
        return None
    return lambda question: bool(typer.confirm(question, default=False, err=True))


def _write(env: Env, targets: list[Target], drafted: list[Letter], contents: list[bytes] | None = None) -> None:
    """Each letter to its file (checked by `outfiles.check_all`), atomically and without
    the control characters a terminal obeys (or as `contents`, the eml or pdf bytes);
    then one line on stderr that says what was written."""
    from followup import outfiles

    written: list[str] = []
    for number, (target, item) in enumerate(zip(targets, drafted, strict=True)):
        try:
            data = contents[number] if contents else outfiles.readable_text(item.text).encode("utf-8")
            outfiles.write(target, data)
        except FollowupError as exc:
            if written:
                exc.hint = f"already written: {', '.join(written)}"
            raise
        written.append(str(target.path))
    if len(targets) == 1:
        env.render.changed(f"wrote the letter to {drafted[0].interviewer} to {targets[0].path}")
    else:
        # Each file with whose letter it is: a file name alone may not say (`-interviewer-2`, `-ana-2`).
        each = [f"to {item.interviewer} in {path}" for item, path in zip(drafted, written, strict=True)]
        env.render.changed(f"wrote {len(targets)} letters: {', '.join(each)}")


def _check_note(note: str) -> None:
    """The answer to the note question, held to the store's rule for text before any letter is drafted."""
    from pydantic_core import PydanticCustomError

    from followup.errors import UsageError
    from followup.rules import plain

    try:
        plain(note)
    except PydanticCustomError as exc:
        raise UsageError(f"note: {exc.message()}") from None


# --- email drafts and printed letters (issue 12) ---------------------------------------------------

# `--out` left out with --format eml or pdf: letter-ID.eml in the current folder (see letter_files.default_out).
_DEFAULT_OUT = Path("\0default")


def _check_format(fmt: str, paper: str | None, json: bool, open_: bool) -> Format:
    from followup.letter_files import FORMATS
    from followup.letter_pdf import PAPERS

    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise UsageError(f"--format: {fmt!r} is not a letter format", f"use one of: {', '.join(FORMATS)}")
    if paper is not None and paper.strip().lower() not in PAPERS:
        raise UsageError(f"--paper: {paper!r} is not a paper size", f"use one of: {', '.join(PAPERS)}")
    if paper is not None and fmt != "pdf":
        raise UsageError("--paper is for printed letters", "give --format pdf with it")
    if json and fmt != "text":
        raise UsageError("--json prints the letters' text: leave out --format, or --json")
    if open_ and json:
        raise UsageError("--open and --json do not go together")
    return fmt  # narrowed to a Format by the check above


def _paper(paper: str | None) -> Paper:
    from followup.letter_pdf import default_paper

    return cast("Paper", paper.strip().lower()) if paper else default_paper()


def _sender(env: Env) -> Sender:
    """The user, from `followup profile`; FOLLOWUP_NAME, when set, is the name."""
    from followup import profile

    return profile.load(env.home).sender(os.environ.get(NAME_VARIABLE, ""))


def _as_files(env: Env, interview: ShownInterview, drafted: list[Letter], fmt: Format, paper: Paper) -> list[bytes]:
    from followup.letter_files import file_bytes, parts_of

    sender = _sender(env)
    with _how_to_add_an_address(interview):
        return [
            file_bytes(parts_of(interview, item, sender, env.now, env.zone), fmt, paper=paper, when=env.now)
            for item in drafted
        ]


def _files(
    env: Env,
    interview: ShownInterview,
    drafted: list[Letter],
    fmt: Format,
    paper: Paper,
    early: tuple[list[Letter], list[bytes]],
) -> list[bytes] | None:
    """The eml or pdf bytes of `drafted`: those made early, unless a note or the editor changed the drafts."""
    if fmt == "text":
        return None
    return early[1] if drafted is early[0] else _as_files(env, interview, drafted, fmt, paper)


def _mailto_links(env: Env, interview: ShownInterview, drafted: list[Letter]) -> list[str]:
    from followup.letter_eml import mailto_url
    from followup.letter_files import parts_of

    sender = _sender(env)
    with _how_to_add_an_address(interview):
        return [mailto_url(parts_of(interview, item, sender, env.now, env.zone)) for item in drafted]


@contextlib.contextmanager
def _how_to_add_an_address(interview: ShownInterview) -> Iterator[None]:
    """A missing email address, with the command that adds it to this interview."""
    from followup.letter_parts import NoEmailAddress

    try:
        yield
    except NoEmailAddress as exc:
        exc.hint = f'add it with `followup edit {interview.id} --contact "{exc.name} <name@example.com>"`'
        raise


def _open_all(targets: list[str]) -> None:
    from followup.opener import open_with_default

    for target in targets:
        what = "the mailto: link" if target.startswith("mailto:") else target
        open_with_default(target, what)
