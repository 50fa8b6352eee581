#!/usr/bin/env bash
# Sets up .venv with the test dependencies and runs the whole test suite (browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "browser tests need Debian's chromium: sudo apt-get install -y chromium" >&2
  fi
fi
bash scripts/_venv.sh requirements-dev.txt
exec .venv/bin/python -m pytest -q "$@"
