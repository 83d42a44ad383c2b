"""The data: checklists as written in YAML, and interviews as kept in the store.

Checklist models are strict (`extra="forbid"`) so that a typo in a file is an
error, never silently ignored. Interview models hold absolute, zone-aware due
times; whether a step is overdue depends on `now` and is never stored.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from followup.constants import OUTCOMES, SLUG, Outcome, Status
from followup.when import is_zone_name, parse_duration

__all__ = ["OUTCOMES", "SLUG", "Outcome", "Status"]

FLAG_NAME = re.compile(r"[a-z][a-z0-9_-]*")


def _slug(value: str, what: str) -> str:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise ValueError(f"expected a {what} of lowercase letters, digits and dashes, like thank-interviewer")
    return value


class ChecklistStep(BaseModel):
    """One step as a checklist file describes it, before it is dated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str = Field(min_length=1)
    why: str = ""
    due: str
    when: str | None = None
    per_interviewer: bool = False
    before_decision: str | None = None
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

    @field_validator("before_decision", mode="before")
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

    @property
    def when_flag(self) -> tuple[str, bool] | None:
        """The flag this step depends on and the value it needs, if any."""
        if self.when is None:
            return None
        words = self.when.split()
        return words[-1], len(words) == 1


class Checklist(BaseModel):
    """A named list of steps with the yes/no flags they may depend on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str = Field(min_length=1)
    description: str = ""
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

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    why: str = ""
    due: AwareDatetime
    status: Status = "pending"
    done_at: AwareDatetime | None = None
    note: str | None = None
    reason: str | None = None
    source: str
    interviewer: str | None = None
    offset: str
    before_decision: str | None = None


class Contact(BaseModel):
    """How to reach one interviewer, and their job title. Kept beside the list of
    names (which steps and notes refer to) rather than in it, so that SPEC's
    `interviewers`, a list of names, stays as it is."""

    model_config = ConfigDict(extra="forbid")

    name: str
    email: str | None = None
    title: str | None = None


class Interview(BaseModel):
    """One interview: who, when, the facts that shape it, and its steps."""

    model_config = ConfigDict(extra="forbid")

    id: str
    company: str
    role: str
    interviewers: list[str] = Field(default_factory=list)
    at: AwareDatetime
    zone: str
    flags: dict[str, bool] = Field(default_factory=dict)
    decision_by: AwareDatetime | None = None
    checklist: str
    outcome: Outcome | None = None
    closed_at: AwareDatetime | None = None
    notes: str | None = None
    # A personal note per interviewer for their letter (the interview's `notes` otherwise);
    # left out of the stored JSON when empty, so that files stay as they were.
    interviewer_notes: dict[str, str] = Field(default_factory=dict, exclude_if=lambda notes: not notes)
    created_at: AwareDatetime
    steps: list[Step] = Field(default_factory=list)
    # Store format 3: the interviewers' emails and titles, and the company's postal
    # address (lines separated by newlines); left out of the stored JSON when empty.
    contacts: list[Contact] = Field(default_factory=list, exclude_if=lambda contacts: not contacts)
    address: str | None = Field(default=None, exclude_if=lambda address: address is None)

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

    def pending(self) -> list[Step]:
        return [step for step in self.steps if step.status == "pending"]

    def finished_count(self) -> int:
        """Steps done or skipped: the progress `list` shows."""
        return sum(1 for step in self.steps if step.status != "pending")

    def is_overdue(self, step: Step, now: datetime) -> bool:
        """A pending step past its due time, in an interview still open."""
        return self.is_open and step.status == "pending" and step.due < now


class Snapshot(BaseModel):
    """How one interview looked before a change, so that `undo` can put it back."""

    model_config = ConfigDict(extra="forbid")

    id: str
    place: Literal["open", "closed", "absent"]
    interview: dict[str, Any] | None = None


class JournalEntry(BaseModel):
    """One change, described in words, with what it replaced."""

    model_config = ConfigDict(extra="forbid")

    at: AwareDatetime
    summary: str
    before: list[Snapshot]
