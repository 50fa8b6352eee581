#!/usr/bin/env bash
# Sets up .venv and starts the app on the bundled data: http://localhost:${PORT:-8501}
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/_venv.sh requirements.txt
exec .venv/bin/python -m streamlit run app.py --server.port "${PORT:-8501}" "$@"
