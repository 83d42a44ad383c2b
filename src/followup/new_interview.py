"""A new interview as the store keeps it, planned from a checked checklist without
pydantic's models: what `actions.plan`, `contacts.with_contacts` and
`actions.tick_planned` make, as the model dumps it, for `followup new` to add on
the files as they are (`followup.store.stored_add`).

`planned` returns None wherever it cannot be sure of that (a problem to report, a
contact the model would refuse): `new` then takes the validating way, which says
what is wrong. What it returns is checked again, whole, by `stored.stored_interview`
when it is written (`stored_write.write_open`), and `tests/test_stored_add.py`
checks that both ways write the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from followup.contacts import Person
from followup.errors import FollowupError
from followup.ids import interview_id
from followup.planning import Plan, check_decision, check_flags, planned_steps
from followup.status import check_done_time, find_steps
from followup.store.decoding import Damage, decode
from followup.store.encoding import encode
from followup.store.stored import NotPlain, as_dumped, stored_interview


def planned(
    checklist: Plan,
    *,
    company: str,
    role: str,
    people: Sequence[Person],
    at: datetime,
    zone_name: str,
    flags: dict[str, bool],
    decision_by: datetime | None,
    notes: str | None,
    interviewer_notes: dict[str, str],
    address: str | None,
    done: Sequence[str],
    now: datetime,
) -> dict[str, Any] | None:
    """The new interview's data, its id the one it would have in an empty store
    (`stored_add.add` gives it a free one); None where the validating way must plan it."""
    if any(_offset_has_seconds(moment) for moment in (at, decision_by, now)):
        return None  # the models write such a time without its seconds, and the validating way says so
    try:
        check_flags(checklist, flags)
        check_decision(at, decision_by, zone_name, now, moved="")
        if not company.strip() or not role.strip():
            return None
        names = [person.name.strip() for person in people if person.name.strip()]
        all_flags = {name: flags.get(name, False) for name in checklist.flags}
        steps = [
            _step(fields)
            for fields in planned_steps(
                checklist, at=at, zone_name=zone_name, interviewers=names, flags=all_flags, decision_by=decision_by
            )
        ]
        data = {
            "id": interview_id(company, at, ()),
            "company": company.strip(),
            "role": role.strip(),
            "interviewers": names,
            "at": at,
            "zone": zone_name,
            "flags": all_flags,
            "decision_by": decision_by,
            "checklist": checklist.name,
            "outcome": None,
            "closed_at": None,
            "notes": notes.strip() if notes and notes.strip() else None,
            **({"interviewer_notes": interviewer_notes} if interviewer_notes else {}),
            "created_at": now,
            "steps": steps,
            **({"contacts": contacts} if (contacts := _contacts(people)) else {}),
            **({"address": address} if address is not None else {}),
        }
        if any(_offset_has_seconds(step["due"]) for step in steps):
            return None  # a due time in a year whose zone had such an offset (local mean time)
        if done:
            _tick(data, done, checklist.name, now)
        if not as_dumped(data):
            return None  # the whole of it is held to `stored`'s checks when written (`stored_write.write_open`)
    except (FollowupError, NotPlain, Damage, UnicodeEncodeError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return data


def _step(fields: dict[str, Any]) -> dict[str, Any]:
    """A planned step as the model `Step` dumps it (its fields in their order)."""
    step = {
        "id": fields["id"],
        "title": fields["title"],
        "why": fields["why"],
        "due": fields["due"],
        "status": "pending",
        "done_at": None,
        "note": None,
        "reason": None,
        "source": fields["source"],
        "interviewer": fields["interviewer"],
        "offset": fields["offset"],
        "before_decision": fields["before_decision"],
    }
    if fields["after_decision"] is not None:
        step["after_decision"] = fields["after_decision"]
    return step


def _contacts(people: Sequence[Person]) -> list[dict[str, Any]]:
    """The emails given with the names (the first for a repeated name), as `with_contacts` keeps them."""
    contacts: dict[str, dict[str, Any]] = {}
    for person in people:
        if person.email and person.name not in contacts:
            contacts[person.name] = {"name": person.name, "email": person.email, "title": None}
    return list(contacts.values())


def _tick(data: dict[str, Any], refs: Sequence[str], checklist_name: str, now: datetime) -> None:
    """`new --done`: the steps named marked done now, as `actions.tick_planned` marks them."""
    view = stored_interview(decode(encode({"i": data}))["i"])
    chosen = find_steps(view, refs, label=f"checklist {checklist_name}")
    for step in chosen:
        check_done_time(view, step, now, "now")
    ticked = {step.id for step in chosen}
    data["steps"] = [
        {**step, "status": "done", "done_at": now} if step["id"] in ticked else step for step in data["steps"]
    ]


def _offset_has_seconds(moment: datetime | None) -> bool:
    """`+01:00:30`, as a time typed with such an offset or a zone's local mean time of old has."""
    offset = moment.utcoffset() if moment is not None else None
    return offset is not None and (offset.seconds % 60 != 0 or offset.microseconds != 0)
