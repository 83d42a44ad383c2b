"""Thank-you letters: find a template, fill it in for each interviewer, return plain text.

Templates are Jinja2 files named `NAME.txt.j2`. Built-in ones ship in the
wheel (source in the repo's top-level `letters/`); a user's own in their
letters folder win over a built-in of the same name, and a path loads any
file. Rendering is strict (an unknown variable is an error naming the file
and the line, never a blank), plain text (nothing is escaped: the letter is
the user's text) and sandboxed, since a template may come from anywhere.

Jinja2 is imported only when a letter is drafted, so that the daily commands
never pay for it.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from datetime import datetime, tzinfo
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followup.errors import FollowupError, NotFound
from followup.ids import slugify

if TYPE_CHECKING:
    from jinja2 import Template

    from followup.models import Interview

SUFFIX = ".txt.j2"
MAIL, EMAIL = "mail", "email"
HIRING_TEAM = "the hiring team"
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
)
_TEMPLATE_HINT = f"fix the template; it can use {', '.join(VARIABLES)}"
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
    packaged = Path(str(resources.files("followup"))) / "builtin_letters"
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


def default_template(interview: Interview) -> str:
    """Email after a video or phone interview, a mailed letter otherwise."""
    return EMAIL if interview.flags.get("video") else MAIL


# --- who the letters go to --------------------------------------------------------------


def recipients(interview: Interview, to: str | None = None) -> list[str]:
    """The interviewers to write to: all of them, the one `to` names, or the hiring team.

    `to` is a name or an unambiguous, case-insensitive start of one (of the
    whole name, or else of any word in it: `lóp` for Ana López).
    """
    names = interview.interviewers
    if to is None:
        return list(names) or [HIRING_TEAM]
    wanted = to.strip().casefold()
    exact = [name for name in names if name.casefold() == wanted]
    starts = [name for name in names if name.casefold().startswith(wanted)]
    words = [name for name in names if any(word.startswith(wanted) for word in name.casefold().split())]
    for matches in (exact, starts, words):
        if len(matches) == 1 and wanted:
            return matches
        if len(matches) > 1 and wanted:
            raise NotFound(f"--to {to!r} matches several interviewers: {', '.join(matches)}", "type more of the name")
    listed = ", ".join(names) if names else f"none; the letter goes to {HIRING_TEAM} (leave out --to)"
    raise NotFound(
        f"{interview.id} has no interviewer {to!r} (interviewers: {listed})",
        f"add one with: followup edit {interview.id} --interviewer NAME",
    )


def out_paths(out: Path, letters: list[Letter]) -> list[Path]:
    """Where `--out FILE` writes each letter: FILE itself for one, else
    FILE with `-ana` (the interviewer's first name) before the suffix."""
    if len(letters) == 1:
        return [out]
    firsts = [slugify(letter.interviewer.split()[0] if letter.interviewer.split() else "", 20) for letter in letters]
    fulls = [slugify(letter.interviewer, 20) for letter in letters]
    taken: list[str] = []
    for number, (first, full) in enumerate(zip(firsts, fulls, strict=True), start=1):
        tag = first if first and firsts.count(first) == 1 else (full or f"{number}")
        while tag in taken:
            tag = f"{tag}-{number}"
        taken.append(tag)
    return [out.with_name(f"{out.stem}-{tag}{out.suffix}") for tag in taken]


# --- filling in -----------------------------------------------------------------------------


def compile_template(found: TemplateFile) -> Template:
    """Read and compile a template, or raise TemplateError naming the file and the line."""
    from jinja2 import FileSystemLoader, StrictUndefined, TemplateSyntaxError
    from jinja2 import TemplateError as JinjaError
    from jinja2.sandbox import SandboxedEnvironment

    try:
        size = found.path.stat().st_size
    except OSError as exc:
        raise TemplateError(f"{found.path}: cannot read: {exc.strerror or exc}") from None
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"{found.path}: larger than {MAX_TEMPLATE_BYTES // 1024} KiB; a letter is a page")
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(str(found.path.parent)),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    try:
        return environment.get_template(found.path.name)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or found.path}, line {exc.lineno}: {exc.message}", _TEMPLATE_HINT) from None
    except UnicodeDecodeError as exc:
        raise TemplateError(f"{found.path}: not UTF-8 text (byte {exc.start})", "save the file as UTF-8") from None
    except (OSError, JinjaError) as exc:
        raise TemplateError(f"{found.path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None


def draft(
    interview: Interview,
    found: TemplateFile,
    names: list[str],
    *,
    note: str | None,
    your_name: str,
    now: datetime,
    zone: tzinfo,
) -> list[Letter]:
    """One letter per name in `names`, from the template `found`.

    Without a `note` the letter carries PLACEHOLDER where the personal note goes.
    """
    template = compile_template(found)
    letters = []
    for name in names:
        values = fields(interview, name, note=note, your_name=your_name, now=now, zone=zone)
        text = _render(template, found, values)
        letters.append(Letter(interviewer=name, template=found.name, text=text.rstrip() + "\n"))
    return letters


def fields(
    interview: Interview, name: str, *, note: str | None, your_name: str, now: datetime, zone: tzinfo
) -> dict[str, Any]:
    """The variables a template sees (the README lists them)."""
    named = name != HIRING_TEAM
    at = interview.at.astimezone(zone)
    today = now.astimezone(zone)
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
    }


def date_words(moment: datetime, today: datetime) -> str:
    """`Friday 27 November`, with the year when it is not this one."""
    year = "" if moment.year == today.year else f" {moment.year}"
    return f"{moment:%A} {moment.day} {moment:%B}{year}"


def _render(template: Template, found: TemplateFile, values: dict[str, Any]) -> str:
    try:
        return template.render(values)
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
