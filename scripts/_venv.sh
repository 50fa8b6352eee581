#!/usr/bin/env bash
# Creates .venv (Python 3.11+) and installs the pinned requirements file given as $1.
# Re-installs only when the requirements or constraints change (a hash stamp in .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
req="${1:-requirements.txt}"
py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
stamp=".venv/.installed-$(basename "$req")"
want=$(cat "$req" requirements.txt constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$req" -c constraints.txt
  echo "$want" > "$stamp"
fi
