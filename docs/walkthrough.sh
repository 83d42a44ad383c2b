#!/usr/bin/env bash
# Print the README's walkthrough from real runs: a fresh store, a fixed clock.
# Usage: docs/walkthrough.sh  (with followup on PATH)
set -euo pipefail
export FOLLOWUP_HOME=$(mktemp -d) TZ=Europe/Berlin COLUMNS=80 NO_COLOR=1
trap 'rm -rf "$FOLLOWUP_HOME"' EXIT
step() {
  local shown=()
  for arg in "$@"; do
    if [[ $arg == *" "* ]]; then shown+=("\"$arg\""); else shown+=("$arg"); fi
  done
  echo "\$ ${shown[*]}"
  { "$@" 2>&1 || echo "[exit status $?]"; } | sed "s/ *$//"
  echo
}
export FOLLOWUP_NOW="2026-11-27 11:30"
step followup new --company "Acme Corp" --role "Data analyst" --interviewer "Ana López" \
  --at "today 10:00" --decision-by "next friday" --note "We talked about her move from Lisbon" \
  --done thank-interviewer --done shake-hands --done greet-staff
export FOLLOWUP_NOW="2026-11-28 09:00"
step followup due
step followup done acme write-letter
step followup list
export FOLLOWUP_NOW="2026-12-01 09:00"
step followup due --check
