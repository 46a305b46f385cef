# The two commands: `make run` sets up whatever is missing and starts the whole system;
# `make test` sets up the same way and runs every test. CI runs `make test` (.ci/run).
.PHONY: setup run production test lint

setup:
	bash scripts/setup.sh

run: setup
	.venv/bin/python -m bot.cli run

# The production set (README, "Production"): nginx, 2 Rasa, 2 action servers, PostgreSQL, Redis.
production: setup
	.venv/bin/python -m bot.cli production

test: setup
	bash scripts/test.sh

lint:
	.venv/bin/ruff check bot actions tests benchmarks
