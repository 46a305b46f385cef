#!/usr/bin/env bash
# The test ladder: fast failures first (lint, unit tests), then Rasa's data validation, then
# the tests that train, start real servers, PostgreSQL and a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

echo "==> ruff"
.venv/bin/ruff check bot actions tests

echo "==> rasa data validate"
.venv/bin/rasa data validate --data data/nlu data/dialogue --fail-on-warnings 2>&1 \
  | grep -vE "DeprecationWarning|declare_namespace|pkg_resources|xla_computation" || true
.venv/bin/rasa data validate --data data/nlu data/dialogue --fail-on-warnings >/dev/null 2>&1

echo "==> pytest"
$PY -m pytest -p no:cacheprovider -ra "$@"
