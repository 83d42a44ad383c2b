"""followup: a command-line follow-up checklist for job seekers."""

__version__ = "0.1.0"
