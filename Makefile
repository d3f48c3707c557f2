# Community Power Portal. `make help` lists the targets.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_TEST_URL ?= postgres://cpw:cpw@127.0.0.1:5432/cpw
PYTEST_ARGS ?=
# Two processes: the machines have two cores. Each test file runs whole in one process
# (`--dist loadfile`), so a module's world (the every-page crawl, the access matrix) is built once,
# not once per process. (`--dist loadgroup` no longer groups anything under pytest 9: xdist 3.8
# renames a test's `_nodeid`, which pytest 9 no longer reads, so each group was split in two.)
PYTEST_WORKERS ?= 2

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed ## Create the virtualenv and install the pinned dependencies

run: venv ## Start the portal with demo data on http://127.0.0.1:8000 (SQLite, no broker needed)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test-packages:
	bash scripts/ensure_test_packages.sh

services:
	bash scripts/ensure_services.sh

# PostgreSQL runs every test (production's database); SQLite, the embedded default of `make run`,
# runs the tests that exercise it (its write-ahead log, lock waits, settings) and a smoke set
# marked `sqlite_smoke`. Each stage prints its duration, and the total is printed at the end
# (README, "Test suite"). The stages make their test databases from the models
# (`--nomigrations`: about 5 s instead of 35 s per process, the migrations holding no data
# steps); `make checks` proves that the migrations match the models and applies them from
# scratch on PostgreSQL, as a deployment does.
SQLITE_TESTS ?= -m sqlite_smoke

test: venv test-packages services ## Run every test: all on PostgreSQL, a smoke set on SQLite, then the real Celery worker tests
	@rm -f .test-timings
	@TEST_TIMINGS_FILE=.test-timings bash scripts/timed_stage.sh "Test suite on PostgreSQL (every test but the worker ones)" \
	  env DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile --nomigrations -m "not worker" $(PYTEST_ARGS)
	@TEST_TIMINGS_FILE=.test-timings bash scripts/timed_stage.sh "SQLite tests and smoke set (-m sqlite_smoke)" \
	  $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile --nomigrations $(SQLITE_TESTS) $(PYTEST_ARGS)
	@TEST_TIMINGS_FILE=.test-timings bash scripts/timed_stage.sh "Real Celery worker tests on PostgreSQL and Redis" \
	  env DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest -v --nomigrations -m worker $(PYTEST_ARGS)
	@awk -F '\t' '{ total += $$2 } END { printf "== make test: %dm %02ds in all ==\n", total / 60, total % 60 }' .test-timings
	@rm -f .test-timings

lint: venv ## ruff lint and format check; import-linter (dependencies run one way)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

MIGRATIONS_CHECK_DB := cpw_migrations_check

checks: venv services ## Django system checks, migrations up to date and applied from scratch on PostgreSQL, production deploy check
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	psql "$(dir $(POSTGRES_TEST_URL))postgres" -qc 'DROP DATABASE IF EXISTS $(MIGRATIONS_CHECK_DB)' -c 'CREATE DATABASE $(MIGRATIONS_CHECK_DB)'
	DATABASE_URL=$(dir $(POSTGRES_TEST_URL))$(MIGRATIONS_CHECK_DB) $(BIN)/python manage.py migrate --no-input -v 0
	psql "$(dir $(POSTGRES_TEST_URL))postgres" -qc 'DROP DATABASE $(MIGRATIONS_CHECK_DB)'
	DJANGO_ENV=production SECRET_KEY=ci-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=portal.example.gov.uk $(BIN)/python manage.py check --deploy --fail-level WARNING

vendor: ## Re-vendor GOV.UK Frontend and axe-core from the npm registry
	bash scripts/vendor_assets.sh

.PHONY: help venv run test-packages services test lint checks vendor
