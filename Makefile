# Công đoàn số — developer entry points.
#
#   make setup     venv + Python deps, npm assets, compiled translations,
#                  migrate and demo data on the dev DB (SQLite db.sqlite3
#                  unless DATABASE_URL is set). Idempotent and quick on re-run.
#   make run       setup, then the dev server on http://127.0.0.1:8000
#   make test      everything CI checks (lint, types, migrations, pytest on
#                  SQLite and on a throw-away PostgreSQL 15)
#   make lint      ruff check + ruff format --check + mypy
#   make fmt       ruff format + ruff check --fix
#   make messages  makemessages -l vi + compilemessages
#   make bench     manage.py bench on fresh SQLite and PostgreSQL databases
#   make test-e2e  browser tests (Playwright + Chromium) on a throw-away demo database
#   make loadtest  50 locust users for 2 min on a 1/10-scale federation (PostgreSQL)
#
# Every recipe line runs in bash with -e -o pipefail, so the first failing
# step stops make (and therefore CI).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# A half-written stamp must never make a failed step look done.
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
I18N_IGNORE := --ignore=.venv --ignore=node_modules
# Extra arguments for pytest / the bench command, e.g. make test PYTEST_ARGS='-k login'
PYTEST_ARGS ?=
BENCH_ARGS ?=
PYTEST_E2E_ARGS ?=

# Stamps: re-run an install only when its lock file is newer than the stamp.
DEPS_STAMP := $(VENV)/.stamp-requirements
NPM_STAMP := node_modules/.stamp-npm-ci

.PHONY: help setup run test lint security fmt messages compilemessages bench fonts \
        deps assets migrations-check test-sqlite test-postgres test-replica test-e2e loadtest

help:
	@sed -n '3,14p' Makefile | sed 's/^# \{0,1\}//'

# --- installation ---------------------------------------------------------

# Created only when missing. Debian's python3 needs python3-venv (ensurepip)
# for `-m venv` to work, so install it first on fresh machines.
$(PY):
	@if ! $(PYTHON) -c 'import ensurepip' 2>/dev/null; then \
	    scripts/ensure-package.sh '' python3-venv; \
	fi
	$(PYTHON) -m venv $(VENV)

$(DEPS_STAMP): requirements.lock requirements-dev.lock | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.lock
	touch $@

# npm ci wipes node_modules first, so the stamp inside it goes too; that is
# what we want (a half-done npm ci leaves no stamp).
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

deps: $(DEPS_STAMP) fonts
assets: $(NPM_STAMP)

# PDF reports are set in Liberation Serif 2: metrically Times New Roman, with the Vietnamese
# letters (version 1, Debian's fonts-liberation, lacks them).
FONT := /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf
fonts:
	@scripts/ensure-package.sh $(FONT) fonts-liberation2

# .mo files are not committed: build them from the .po files, and again only
# when a .po file changes (make compares the .mo and .po times).
PO_FILES := $(shell find congdoan -path '*/LC_MESSAGES/*.po' 2>/dev/null)
MO_FILES := $(PO_FILES:.po=.mo)

compilemessages: deps $(MO_FILES)

$(MO_FILES) &: $(PO_FILES) | $(DEPS_STAMP)
	@scripts/ensure-package.sh msgfmt gettext
	$(MANAGE) compilemessages $(I18N_IGNORE)

setup: deps assets compilemessages
	$(MANAGE) migrate --noinput
	$(MANAGE) demo

# The background worker (imports, exports) runs beside the web server and stops with it.
run: setup
	@echo ">> Dev server: http://127.0.0.1:8000  (demo logins printed above)"
	@$(MANAGE) db_worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

# --- checks ----------------------------------------------------------------

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy congdoan

fmt: deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# bandit: medium and high findings in the product's code fail (tests and migrations excluded).
# pip-audit: a pinned runtime dependency with a published vulnerability fails. It asks PyPI's
# advisory data for each pin; where a pin cannot be looked up (an offline mirror answers only
# the package index) it says so and does not fail.
security: deps
	$(VENV)/bin/bandit -q -r congdoan -x '*/tests/*,*/migrations/*' -ll
	$(VENV)/bin/pip-audit -r requirements.lock --no-deps --disable-pip --progress-spinner off \
		--timeout 15

migrations-check: deps
	env -u DATABASE_URL $(MANAGE) makemigrations --check --dry-run

# A whole run (no PYTEST_ARGS) also fails if some write service was never performed by a test
# (the audit check, congdoan/core/tests/audit_check.py).
AUDIT_GATE = CONGDOAN_AUDIT_GATE=$(if $(PYTEST_ARGS),,1)

# SQLite: DATABASE_URL unset so settings fall back to SQLite.
test-sqlite: deps assets compilemessages
	env -u DATABASE_URL $(AUDIT_GATE) $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

# PostgreSQL: a private throw-away server, see scripts/with-postgres.sh.
test-postgres: deps assets compilemessages
	$(AUDIT_GATE) scripts/with-postgres.sh $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

# Reads from a streaming replica: a private primary and replica, see scripts/with-replica.sh.
test-replica: deps assets compilemessages
	scripts/with-replica.sh $(VENV)/bin/pytest -p no:cacheprovider congdoan/core/tests/test_replica.py

# Steps are spelled out in order (not as parallel prerequisites) so that the
# cheap checks fail first, even under make -j. Any non-zero exit, including
# pytest's 5 ("no tests collected"), fails the target.
test: deps assets compilemessages
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory security
	$(MAKE) --no-print-directory migrations-check
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-replica
	$(MAKE) --no-print-directory test-e2e

# Browser journeys and accessibility checks (about 2-3 minutes): Playwright drives Debian's
# headless Chromium against a demo served on 127.0.0.1; screenshots go to var/e2e-artifacts/.
test-e2e: deps assets compilemessages
	scripts/e2e.sh $(PYTEST_E2E_ARGS)

# --- translations ------------------------------------------------------------

messages: deps
	@scripts/ensure-package.sh msgfmt gettext
	$(MANAGE) makemessages -l vi $(I18N_IGNORE)
	$(MANAGE) compilemessages $(I18N_IGNORE)

# --- benchmarks --------------------------------------------------------------

# Both runs use a fresh, migrated, empty database (never the dev db.sqlite3);
# the bench command creates its own data. PostgreSQL runs with fsync on.
bench: deps assets compilemessages
	mkdir -p var
	rm -f var/bench.sqlite3*
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(MANAGE) migrate --noinput -v 0
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(MANAGE) bench $(BENCH_ARGS)
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(MANAGE) bench_roster
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(MANAGE) bench_report
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(MANAGE) bench_dashboard
	rm -f var/bench.sqlite3*
	PG_DURABLE=1 scripts/with-postgres.sh bash -c \
	    '$(MANAGE) migrate --noinput -v 0 && $(MANAGE) bench $(BENCH_ARGS) && \
	     $(MANAGE) bench_roster && $(MANAGE) bench_report && $(MANAGE) bench_dashboard'

# Load test: 1/10 national scale on a durable throw-away PostgreSQL, gunicorn with the
# production config, 50 locust users for 2 minutes (scripts/loadtest.sh; about 10 minutes).
loadtest: deps assets compilemessages
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-load.lock
	scripts/loadtest.sh
