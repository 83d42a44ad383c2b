"""Thank-you letters: find a template, fill it in for each interviewer, return plain text.

Templates are Jinja2 files named `NAME.txt.j2`. Built-in ones ship in the
wheel (source in the repo's top-level `letters/`); a user's own in their
letters folder win over a built-in of the same name, and a path loads any
file. Rendering is strict (an unknown variable is an error naming the file
and the line, never a blank), plain text (nothing is escaped: the letter is
the user's text) and sandboxed within a size and time budget
(`followup.letter_sandbox`), since a template may come from anywhere. A user's
template can extend or include the built-in ones as `builtin:mail.txt.j2`.

Jinja2 is imported only when a letter is drafted, so that the daily commands
never pay for it.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followup.errors import FollowupError
from followup.ids import file_slug

# Re-exported: the CLI and the tests find everything about letters here.
from followup.letter_recipients import HIRING_TEAM as HIRING_TEAM
from followup.letter_recipients import recipients as recipients
from followup.letter_recipients import skipped as skipped
from followup.letter_recipients import to_write as to_write

if TYPE_CHECKING:
    from jinja2 import Template

    from followup.letter_parts import Sender
    from followup.letter_sandbox import Caps
    from followup.store.stored import ShownInterview

SUFFIX = ".txt.j2"
MAIL, EMAIL = "mail", "email"
PLACEHOLDER = "[add a personal note: something you talked about]"
MAX_TEMPLATE_BYTES = 64 * 1024
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# What a template can use; `fields` fills them in.
VARIABLES = (
    "interviewer",
    "named",
    "first_name",
    "interviewers",
    "company",
    "role",
    "date",
    "today",
    "at",
    "now",
    "note",
    "has_note",
    "your_name",
    "video",
    "id",
    "title",
    "email",
    "address",
    "your_address",
    "your_email",
    "your_phone",
)
_TEMPLATE_HINT = f"fix the template; it can use {', '.join(VARIABLES)}"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SUBJECT = re.compile(r"Subject:[ \t]*(?P<subject>.*)", re.IGNORECASE)


class TemplateError(FollowupError):
    """A letter template cannot be found, read, compiled or filled in."""


@dataclass(frozen=True)
class TemplateFile:
    """A letter template: its name, where it lives and whose it is."""

    name: str
    path: Path
    source: str  # "user", "built-in" or "file"


@dataclass(frozen=True)
class Letter:
    """One drafted letter, to one interviewer (or to the hiring team)."""

    interviewer: str
    template: str
    text: str

    @property
    def subject(self) -> str | None:
        """The text of a first `Subject:` line, as an email template writes it."""
        first = self.text.split("\n", 1)[0]
        match = _SUBJECT.fullmatch(first.rstrip())
        return match["subject"].strip() if match else None

    @property
    def body(self) -> str:
        """The letter without its Subject line and the blank line after it."""
        if self.subject is None:
            return self.text
        rest = self.text.split("\n", 1)[1] if "\n" in self.text else ""
        return rest.lstrip("\n")

    def to_json(self) -> dict[str, Any]:
        return {"interviewer": self.interviewer, "subject": self.subject, "text": self.body, "template": self.template}


# --- finding templates ------------------------------------------------------------


def builtin_dir() -> Path:
    """The templates shipped in the wheel, or the repo's folder in a source checkout."""
    # The package's folder, which is what importlib's resources.files("followup") gives,
    # without importing it (and zipfile, 10 ms): followup is installed as files, never zipped.
    packaged = Path(__file__).parent / "builtin_letters"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "letters"


def available(user_dir: Path) -> list[TemplateFile]:
    """Every template by name; a user's file hides a built-in of that name."""
    found: dict[str, TemplateFile] = {}
    for source, folder in (("built-in", builtin_dir()), ("user", user_dir)):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            name = path.name.removesuffix(SUFFIX)
            if path.name.endswith(SUFFIX) and NAME.fullmatch(name) and path.is_file():
                found[name] = TemplateFile(name, path, source)
    return sorted(found.values(), key=lambda entry: entry.name)


def locate(name_or_path: str, user_dir: Path) -> TemplateFile:
    """The template for `--template`: a path if it looks like one, else a name."""
    if "/" in name_or_path or "\\" in name_or_path or name_or_path.endswith(".j2"):
        path = Path(name_or_path).expanduser()
        if not path.is_file():
            raise TemplateError(f"no letter template at {path}", "check the path, or give a template name")
        return TemplateFile(str(path), path, "file")
    for entry in available(user_dir):
        if entry.name == name_or_path:
            return entry
    names = ", ".join(entry.name for entry in available(user_dir)) or "none"
    raise TemplateError(
        f"no letter template named {name_or_path!r} (available: {names})",
        f"your own templates go in {user_dir}/NAME{SUFFIX}",
    )


def default_template(interview: ShownInterview) -> str:
    """Email after a video or phone interview, a mailed letter otherwise."""
    return EMAIL if interview.flags.get("video") else MAIL


def out_paths(out: Path, letters: list[Letter]) -> list[Path]:
    """Where `--out FILE` writes each letter: FILE itself for one, else
    FILE with `-ana` (the interviewer's first name; `-李明` for a name without
    Latin letters, `-interviewer-2` for one without letters) before the suffix."""
    if len(letters) == 1:
        return [out]
    firsts = [file_slug(letter.interviewer.split()[0] if letter.interviewer.split() else "") for letter in letters]
    fulls = [file_slug(letter.interviewer) for letter in letters]
    taken: list[str] = []
    for number, (first, full) in enumerate(zip(firsts, fulls, strict=True), start=1):
        tag = first if first and firsts.count(first) == 1 else (full or f"interviewer-{number}")
        while tag in taken:
            tag = f"{tag}-{number}"
        taken.append(tag)
    return [out.with_name(f"{out.stem}-{tag}{out.suffix}") for tag in taken]


# --- filling in -----------------------------------------------------------------------------


def compile_template(found: TemplateFile, caps: Caps | None = None) -> Template:
    """Read and compile a template, or raise TemplateError naming the file and the line.

    The template can extend or include the built-in ones as `builtin:mail.txt.j2`,
    and the templates in its own folder by name.
    """
    from jinja2 import TemplateError as JinjaError
    from jinja2 import TemplateSyntaxError

    from followup.letter_sandbox import BoundedEnvironment, BudgetExceeded, Caps

    caps = caps or Caps()
    try:
        size = found.path.stat().st_size
    except OSError as exc:
        raise TemplateError(f"{found.path}: cannot read: {exc.strerror or exc}") from None
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"{found.path}: larger than {MAX_TEMPLATE_BYTES // 1024} KiB; a letter is a page")
    environment = BoundedEnvironment(found.path.parent, builtin_dir(), caps, MAX_TEMPLATE_BYTES)
    try:
        return environment.get_template(found.path.name)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or found.path}, line {exc.lineno}: {exc.message}", _TEMPLATE_HINT) from None
    except UnicodeDecodeError as exc:
        raise TemplateError(f"{found.path}: not UTF-8 text (byte {exc.start})", "save the file as UTF-8") from None
    except BudgetExceeded as exc:
        raise TemplateError(str(exc)) from None
    except (OSError, JinjaError) as exc:
        raise TemplateError(f"{found.path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None


def draft(
    interview: ShownInterview,
    found: TemplateFile,
    names: list[str],
    *,
    note: str | None,
    your_name: str,
    now: datetime,
    zone: tzinfo,
    caps: Caps | None = None,
    sender: Sender | None = None,
) -> list[Letter]:
    """One letter per name in `names`, from the template `found`.

    Each letter carries the interviewer's own note if the interview has one for
    them, else `note` (the interview's), else PLACEHOLDER. Control characters
    other than newline and tab are escaped, so that the letter is safe to print.
    """
    template = compile_template(found, caps)
    letters = []
    for name in names:
        values = fields(interview, name, note=note, your_name=your_name, now=now, zone=zone, sender=sender)
        text = visible(_render(template, found, values))
        letters.append(Letter(interviewer=name, template=found.name, text=text.rstrip() + "\n"))
    return letters


def note_for(interview: ShownInterview, name: str, note: str | None) -> str | None:
    """The personal note for `name`'s letter: theirs if given, else the interview's `note`."""
    own = interview.interviewer_notes.get(name)
    return own if own and own.strip() else note


def fields(
    interview: ShownInterview,
    name: str,
    *,
    note: str | None,
    your_name: str,
    now: datetime,
    zone: tzinfo,
    sender: Sender | None = None,
) -> dict[str, Any]:
    """The variables a template sees (the README lists them).

    The interview's date is the day it took place where it took place (its own
    zone: an interview in Tokyo is on Tokyo's day); `today` is the writer's.
    """
    from followup.when import zone_named

    named = name != HIRING_TEAM
    at = interview.at.astimezone(zone_named(interview.zone))
    today = now.astimezone(zone)
    note = note_for(interview, name, note)
    return {
        "interviewer": name,
        "named": named,
        "first_name": name.split()[0] if named and name.split() else "",
        "interviewers": list(interview.interviewers),
        "company": interview.company,
        "role": interview.role,
        "date": date_words(at, today),
        "today": f"{today.day} {today:%B %Y}",
        "at": at,
        "now": today,
        "note": note.strip() if note and note.strip() else PLACEHOLDER,
        "has_note": bool(note and note.strip()),
        "your_name": your_name.strip(),
        "video": bool(interview.flags.get("video")),
        "id": interview.id,
        # Contacts and the profile ("" when unknown); addresses have their lines separated by newlines.
        "title": interview.contact(name).title or "",
        "email": interview.contact(name).email or "",
        "address": interview.address or "",
        "your_address": "\n".join(sender.address) if sender else "",
        "your_email": sender.email if sender else "",
        "your_phone": sender.phone if sender else "",
    }


def visible(text: str) -> str:
    """`text` with CRLF as LF and every other control character (C0 but newline and
    tab, DEL, C1) written as `\\x1b`: a letter that is `cat`ed never clears a screen."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match[0]):02x}", text.replace("\r\n", "\n"))


def date_words(moment: datetime, today: datetime) -> str:
    """`Friday 27 November`, with the year when it is not this one."""
    year = "" if moment.year == today.year else f" {moment.year}"
    return f"{moment:%A} {moment.day} {moment:%B}{year}"


def _render(template: Template, found: TemplateFile, values: dict[str, Any]) -> str:
    from followup.letter_sandbox import BoundedEnvironment, BudgetExceeded

    environment = template.environment
    assert isinstance(environment, BoundedEnvironment)
    try:
        return environment.render(template, values)
    except BudgetExceeded as exc:
        line = _template_line(exc, template.filename)
        where = f"{template.filename or found.path}" + (f", line {line}" if line else "")
        raise TemplateError(
            f"{where}: {exc}",
            "shorten what it prints (the template, or a long note, address or name) or simplify it: a letter is a page",
        ) from None
    except Exception as exc:  # any error in a template is the template's, and names its line
        line = _template_line(exc, template.filename)
        where = f"{template.filename or found.path}" + (f", line {line}" if line else "")
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        raise TemplateError(f"{where}: {message}", _TEMPLATE_HINT) from None


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    """The template line that failed: Jinja2 rewrites tracebacks so that frames
    of a template carry its file name and line."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if filename and frame.filename == filename:
            line = frame.lineno
    return line


# --- checking the user's templates (for `followup doctor`) ----------------------------------------


@dataclass(frozen=True)
class TemplateCheck:
    """What `check_templates` found in one file: `problem` is None when it is fine."""

    path: Path
    problem: str | None
    hint: str | None = None


def check_templates(user_dir: Path, *, now: datetime, caps: Caps | None = None) -> list[TemplateCheck]:
    """Every `*.txt.j2` in the user's letters folder, compiled and filled in within
    the caps for a sample panel interview: to an interviewer with a note after an
    interview in person, and to the hiring team without one after a video call,
    so that both sides of the usual `if`s meet an undefined variable."""
    from followup.models import Interview

    if not user_dir.is_dir():
        return []
    sample = Interview(
        id="example-ltd-0101",
        company="Example Ltd",
        role="Analyst",
        interviewers=["Ana López", "Bo Chen"],
        at=now,
        zone="UTC",
        checklist="post-interview",
        notes="Thank you for the tour.",
        created_at=now,
    )
    video = sample.model_copy(update={"flags": {"video": True}, "notes": None, "interviewers": []})
    results = []
    for path in sorted(user_dir.glob(f"*{SUFFIX}")):
        if not NAME.fullmatch(path.name.removesuffix(SUFFIX)):
            hint = "name it with letters, digits, - and _ only, such as thanks.txt.j2"
            results.append(TemplateCheck(path, "not usable with --template NAME: the name has other characters", hint))
            continue
        found = TemplateFile(path.name.removesuffix(SUFFIX), path, "user")
        try:
            draft(
                sample,
                found,
                ["Ana López"],
                note=sample.notes,
                your_name="Sam",
                now=now,
                zone=now.tzinfo or UTC,
                caps=caps,
            )
            draft(video, found, [HIRING_TEAM], note=None, your_name="", now=now, zone=now.tzinfo or UTC, caps=caps)
        except FollowupError as exc:
            results.append(TemplateCheck(path, exc.message, exc.hint))
            continue
        results.append(TemplateCheck(path, None))
    return results
