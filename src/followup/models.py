"""The data: checklists as written in YAML, and interviews as kept in the store.

Checklist models are strict (`extra="forbid"`) so that a typo in a file is an
error, never silently ignored. Interview models hold absolute, zone-aware due
times; whether a step is overdue depends on `now` and is never stored.

The store's invariants live here, in the validators, and only here, so that
loading the store, `import`, and every command that makes or changes an
interview hold data to the same rules:

- every time (`at`, `due`, `decision_by`, `done_at`, `closed_at`, `created_at`)
  falls in the years FIRST_YEAR to LAST_YEAR, as WHEN does (later ones overflow
  the arithmetic every view does);
- an interview id is what `new` makes: a slug of at most MAX_ID characters (ids
  are printed unescaped, so they must hold nothing a terminal obeys); step ids
  are slugs, unique within their interview (a calendar entry's UID is made of them);
- a done step has `done_at`; an interview has an `outcome` exactly when it has
  `closed_at` (`close` sets both, `reopen` clears both);
- text (names, company, role, titles, notes) holds no C0 control character but
  newline and tab.

A store that breaks one of these rules (edited by hand, imported by an older
release, or a control character typed into an older release's `new`) is never
repaired silently: loading it fails as a damaged file does, naming the field,
the interview and, for a control character, where it is and how JSON writes
it, so that the user can remove it; `followup doctor` reports the same. This
refusal is deliberate: data is never changed behind the user's back, and
reading such a file leniently would let the views print what the rules exist
to keep out of a terminal.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from followup.constants import OUTCOMES, SLUG, Outcome, Status
from followup.ids import MAX_ID
from followup.rules import in_years, invariant, plain
from followup.when import is_zone_name, parse_duration

__all__ = ["OUTCOMES", "SLUG", "Outcome", "Status", "plain"]

FLAG_NAME = re.compile(r"[a-z][a-z0-9_-]*")


def _interview_id(value: str) -> str:
    if not SLUG.fullmatch(value) or len(value) > MAX_ID:
        raise invariant(
            f"expected an id as `followup new` makes them: lowercase letters, digits and single dashes,"
            f" at most {MAX_ID} characters, like acme-1128"
        )
    return value


def _step_id(value: str) -> str:
    if not SLUG.fullmatch(value):
        raise invariant("expected a step id of lowercase letters, digits and single dashes, like thank-interviewer")
    return value


PlainText = Annotated[str, AfterValidator(plain)]
Moment = Annotated[AwareDatetime, AfterValidator(in_years)]


def _slug(value: str, what: str) -> str:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise ValueError(f"expected a {what} of lowercase letters, digits and dashes, like thank-interviewer")
    return value


class ChecklistStep(BaseModel):
    """One step as a checklist file describes it, before it is dated."""

    # Every model here is built when it first validates, not on import (`defer_build`):
    # most commands never read a checklist or the journal, and each build costs milliseconds.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str
    title: PlainText = Field(min_length=1)
    why: PlainText = ""
    due: str
    when: str | None = None
    per_interviewer: bool = False
    before_decision: str | None = None
    # Due no earlier than the decision date plus this lead (the check-in when no
    # answer came); the step exists only while the interview has a decision date.
    after_decision: str | None = None
    too_late: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_is_slug(cls, value: Any) -> str:
        return _slug(value, "step id")

    @field_validator("due", mode="before")
    @classmethod
    def _due_is_duration(cls, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValueError("expected a duration like +1d, -2d, +3h or 0")
        return str(parse_duration(str(value)))

    @field_validator("before_decision", "after_decision", mode="before")
    @classmethod
    def _lead_is_duration(cls, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValueError("expected a lead time like 3d or 2bd")
        lead = parse_duration(str(value))
        if lead.amount < 0:
            raise ValueError("expected a lead time like 3d or 2bd, without a minus sign")
        return str(lead).lstrip("+")

    @field_validator("after_decision")
    @classmethod
    def _one_anchor(cls, value: str | None, info: ValidationInfo) -> str | None:
        # A step is due before the decision or after it: with both, one would silently win.
        if value is not None and info.data.get("before_decision") is not None:
            raise ValueError("a step has before_decision or after_decision, not both")
        return value

    @field_validator("when", mode="before")
    @classmethod
    def _when_is_flag(cls, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError("expected a flag name such as late, or not video (quote yes/no words)")
        words = value.split()
        name = words[-1] if words else ""
        if not (len(words) == 1 or (len(words) == 2 and words[0] == "not")) or not FLAG_NAME.fullmatch(name):
            raise ValueError("expected a flag name such as late, or not video")
        return " ".join(words)


class Checklist(BaseModel):
    """A named list of steps with the yes/no flags they may depend on."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # as ChecklistStep

    name: str
    title: PlainText = Field(min_length=1)
    description: PlainText = ""
    flags: dict[str, str] = Field(default_factory=dict)
    steps: list[ChecklistStep] = Field(min_length=1)

    @field_validator("name", mode="before")
    @classmethod
    def _name_is_slug(cls, value: Any) -> str:
        return _slug(value, "checklist name")

    @field_validator("flags")
    @classmethod
    def _flag_names(cls, flags: dict[str, str]) -> dict[str, str]:
        for name in flags:
            if not FLAG_NAME.fullmatch(name):
                raise ValueError(f"flag {name!r}: expected a lowercase name such as late or video")
        return flags

    @model_validator(mode="after")
    def _steps_agree(self) -> Checklist:
        problems = step_problems([(step.id, step.when) for step in self.steps], self.flags)
        if problems:
            raise ValueError("\n".join(problems))  # one line per problem, each naming its field
        return self


def step_problems(steps: list[tuple[Any, Any]], flags: Any) -> list[str]:
    """Every step id used twice and every undeclared `when` flag, from (id, when)
    pairs: also run on the raw file when its fields have errors, so that
    `checklists validate` reports these as well."""
    declared = flags if isinstance(flags, dict) else {}
    problems = []
    seen: set[Any] = set()
    for index, (step_id, when) in enumerate(steps):
        if isinstance(step_id, str) and step_id in seen:
            problems.append(f"steps[{index}].id: {step_id!r} is used twice; step ids must be unique")
        seen.add(step_id if isinstance(step_id, str) else None)
        flag = when.split()[-1] if isinstance(when, str) and when.split() else None
        if flag and flag not in declared:
            problems.append(
                f"steps[{index}].when: flag {flag!r} is not declared under flags"
                f" (declared: {', '.join(map(str, declared)) or 'none'})"
            )
    return problems


class Step(BaseModel):
    """A dated step of one interview, copied from its checklist when made."""

    # Assignments are validated too, so that no command can put into the store what loading refuses.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    id: Annotated[str, AfterValidator(_step_id)]
    title: PlainText
    why: PlainText = ""
    due: Moment
    status: Status = "pending"
    done_at: Moment | None = Field(default=None, validate_default=True)
    note: PlainText | None = None
    reason: PlainText | None = None
    source: str
    interviewer: PlainText | None = None
    offset: str
    before_decision: str | None = None
    # Left out of the stored JSON when unset, so that the files of steps without it stay as they were.
    after_decision: str | None = Field(default=None, exclude_if=lambda lead: lead is None)

    @field_validator("done_at")
    @classmethod
    def _done_has_time(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None and info.data.get("status") == "done":
            raise invariant("a done step needs done_at, the time it was done")
        return value


class Contact(BaseModel):
    """How to reach one interviewer, and their job title. Kept beside the list of
    names (which steps and notes refer to) rather than in it, so that SPEC's
    `interviewers`, a list of names, stays as it is."""

    # An interview checks its contacts again, however they were made (a copy skips validation).
    model_config = ConfigDict(extra="forbid", revalidate_instances="always", defer_build=True)

    name: PlainText
    email: PlainText | None = None
    title: PlainText | None = None


class Interview(BaseModel):
    """One interview: who, when, the facts that shape it, and its steps."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    id: Annotated[str, AfterValidator(_interview_id)]
    company: PlainText
    role: PlainText
    interviewers: list[PlainText] = Field(default_factory=list)
    at: Moment
    zone: str
    flags: dict[str, bool] = Field(default_factory=dict)
    decision_by: Moment | None = None
    checklist: PlainText
    outcome: Outcome | None = None
    closed_at: Moment | None = Field(default=None, validate_default=True)
    notes: PlainText | None = None
    # A personal note per interviewer for their letter (the interview's `notes` otherwise);
    # left out of the stored JSON when empty, so that files stay as they were.
    interviewer_notes: dict[PlainText, PlainText] = Field(default_factory=dict, exclude_if=lambda notes: not notes)
    created_at: Moment
    steps: list[Step] = Field(default_factory=list)
    # Store format 3: the interviewers' emails and titles, and the company's postal
    # address (lines separated by newlines); left out of the stored JSON when empty.
    contacts: list[Contact] = Field(default_factory=list, exclude_if=lambda contacts: not contacts)
    address: PlainText | None = Field(default=None, exclude_if=lambda address: address is None)

    @field_validator("closed_at")
    @classmethod
    def _closed_with_outcome(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if "outcome" not in info.data:
            return value  # the outcome itself is wrong, and reported
        if value is None and info.data["outcome"] is not None:
            raise invariant("an interview with an outcome needs closed_at, the time it was closed")
        if value is not None and info.data["outcome"] is None:
            raise invariant("an open interview (no outcome) has no closed_at")
        return value

    @field_validator("steps")
    @classmethod
    def _step_ids_unique(cls, steps: list[Step]) -> list[Step]:
        first: dict[str, int] = {}
        for index, step in enumerate(steps):
            if step.id in first:
                raise invariant(
                    f"steps[{first[step.id]}] and steps[{index}] have the same id {step.id};"
                    " step ids must be unique within an interview"
                )
            first[step.id] = index
        return steps

    @field_validator("zone")
    @classmethod
    def _zone_is_known(cls, value: str) -> str:
        if not is_zone_name(value):
            raise ValueError(f"{value!r} is not a time zone such as Europe/Berlin or +01:00")
        return value

    @model_validator(mode="after")
    def _contacts_of_interviewers(self) -> Interview:
        """A contact names an interviewer, once; one with no email and no title says
        nothing and is dropped (as `--json` lists them, for every interviewer)."""
        kept = [c for c in self.contacts if c.email or c.title]
        names = [c.name for c in kept]
        for name in names:
            if name not in self.interviewers:
                raise ValueError(f"contacts: {name!r} is not one of the interviewers")
            if names.count(name) > 1:
                raise ValueError(f"contacts: {name!r} appears twice")
        if len(kept) != len(self.contacts):
            self.contacts = kept
        return self

    def contact(self, name: str) -> Contact:
        """The email and title of the interviewer `name` (empty if none are known)."""
        return next((c for c in self.contacts if c.name == name), Contact(name=name))

    @property
    def is_open(self) -> bool:
        return self.outcome is None

    def pending_steps(self) -> list[Step]:
        return [step for step in self.steps if step.status == "pending"]

    def finished_count(self) -> int:
        """Steps done or skipped: the progress `list` shows."""
        return sum(1 for step in self.steps if step.status != "pending")

    def is_overdue(self, step: Step, now: datetime) -> bool:
        """A pending step past its due time, in an interview still open."""
        return self.is_open and step.status == "pending" and step.due < now


class Snapshot(BaseModel):
    """How one interview looked before a change, so that `undo` can put it back."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: str
    place: Literal["open", "closed", "absent"]
    interview: dict[str, Any] | None = None


class JournalEntry(BaseModel):
    """One change, described in words, with what it replaced."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    at: AwareDatetime
    summary: str
    before: list[Snapshot]
