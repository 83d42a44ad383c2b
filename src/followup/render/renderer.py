"""The renderer a command is handed: every view, one class, built from the modules
that each draw one kind of result (they share followup.render.base.Frame)."""

from __future__ import annotations

from followup.render.checklists import ChecklistViews
from followup.render.due import DueViews
from followup.render.interviews import InterviewViews
from followup.render.messages import MessageViews
from followup.render.reports import ReportViews
from followup.render.start import StartViews


class Renderer(MessageViews, InterviewViews, DueViews, StartViews, ChecklistViews, ReportViews):
    """Draws results for one command run, in the user's zone, relative to `now`."""
