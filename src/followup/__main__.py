"""`python -m followup`."""

from followup.cli import main

main()
