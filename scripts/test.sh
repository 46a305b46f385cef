#!/usr/bin/env bash
# The test ladder: fast failures first (lint, Rasa's data validation), then pytest, whose
# slower tests train the model if needed, start the real servers, PostgreSQL and a browser.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> ruff"
.venv/bin/ruff check bot actions tests

echo "==> rasa data validate"
if ! .venv/bin/rasa data validate --data data/nlu data/dialogue --fail-on-warnings \
    > var/validate.log 2>&1; then
  grep -vE "DeprecationWarning|declare_namespace|pkg_resources" var/validate.log
  echo "rasa data validate failed" >&2
  exit 1
fi
echo "clean"

echo "==> pytest"
.venv/bin/python -m pytest -p no:cacheprovider -ra "$@"
