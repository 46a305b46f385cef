#!/usr/bin/env bash
# The test ladder: fast failures first (lint, Rasa's data validation), then the rest of pytest,
# whose slower tests train the model if needed and start the real servers, PostgreSQL and a
# browser.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var

echo "==> ruff"
.venv/bin/ruff check bot actions tests benchmarks

echo "==> rasa data validate"
.venv/bin/python -m pytest -p no:cacheprovider -q tests/test_data_validation.py

echo "==> pytest"
.venv/bin/python -m pytest -p no:cacheprovider -ra --ignore tests/test_data_validation.py "$@"
