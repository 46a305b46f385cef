#!/usr/bin/env bash
# The test ladder: fast failures first (lint, Rasa's data validation), then pytest in each
# virtualenv, whose slower tests train the model if needed and start the real servers,
# PostgreSQL and a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var

echo "==> ruff"
.venv/bin/ruff check bot actions tests benchmarks

echo "==> rasa data validate"
.venv/bin/python -m pytest -p no:cacheprovider -q tests/test_data_validation.py

# Each virtualenv collects its own tests (tests/conftest.py: APP_TESTS, SHARED_TESTS).
echo "==> pytest in .venv-app (staff application, web page, actions; current versions)"
.venv-app/bin/python -m pytest -p no:cacheprovider -ra "$@"

echo "==> pytest in .venv (Rasa server, NLU, channels, the whole system)"
.venv/bin/python -m pytest -p no:cacheprovider -ra --ignore tests/test_data_validation.py "$@"
