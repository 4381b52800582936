# The two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python

.PHONY: run test stop setup demo lint format bench stack

setup:
	@scripts/setup.sh

demo: setup
	@$(PY) manage.py load_demo

run: demo
	@scripts/serve.sh

# The production-shaped stack: Varnish, two app nodes, Redis, workers (scripts/stack.sh).
stack: setup
	@scripts/stack.sh start

stop:
	@scripts/serve.sh stop
	@scripts/stack.sh stop
	@scripts/pg.sh stop

# What a reviewer checks first: lint, formatting, the import contracts (pyproject.toml)
# and migrations that match the models.
test: setup lint
	@$(PY) manage.py makemigrations --check --dry-run
	@$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/lint-imports --no-cache

format:
	@.venv/bin/ruff check --fix .
	@.venv/bin/ruff format .

bench: demo
	@$(PY) tests/perf/run.py
