# The two commands: `make run` sets up whatever is missing and starts the whole system;
# `make test` sets up the same way and runs every test. CI runs `make test` (.ci/run).
.PHONY: setup run test lint

setup:
	bash scripts/setup.sh

run: setup
	.venv/bin/python -m bot.cli run

test: setup
	bash scripts/test.sh

lint:
	.venv/bin/ruff check bot actions tests benchmarks
