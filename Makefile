# Baraza: `make run` serves the demo, `make test` runs the whole suite. Both work on a bare
# machine with Python 3.11+ and make: uv is installed from PyPI if it is missing.
SHELL := /bin/bash
PORT ?= 8000
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")

.PHONY: run test lint bench sync uv messages

uv:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 \
		|| $(PYTHON) -m pip install --quiet --user uv \
		|| $(PYTHON) -m pip install --quiet --break-system-packages --user uv

sync: uv
	@$(UV) sync --quiet --frozen

run: sync
	$(UV) run baraza serve --port $(PORT)

# On SQLite unless BARAZA_DATABASE_URL / BARAZA_REDIS_URL point at PostgreSQL and Redis.
test: sync
	@# The e-mail tests run a real IMAP server (Dovecot) and the page tests a real browser
	@# (Debian's chromium, driven by Playwright): install them when missing, quietly.
	@test -x /usr/sbin/dovecot || ! command -v apt-get >/dev/null || { \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -qq --no-install-recommends dovecot-imapd \
		|| (apt-get update -qq && apt-get install -y -qq --no-install-recommends dovecot-imapd); \
	} >/dev/null 2>&1 || true
	@command -v chromium >/dev/null || ! command -v apt-get >/dev/null || { \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -qq --no-install-recommends chromium \
		|| (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium); \
	} >/dev/null 2>&1 || true
	BARAZA_ENV=test BARAZA_DATA_DIR=$${BARAZA_DATA_DIR:-$$(mktemp -d)} \
		$(UV) run pytest $(PYTEST_ARGS)

lint: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy src
	BARAZA_ENV=test BARAZA_DATA_DIR=$$(mktemp -d) $(UV) run baraza check
	BARAZA_ENV=test BARAZA_DATA_DIR=$$(mktemp -d) $(UV) run baraza makemigrations --check --dry-run

bench: sync
	$(UV) run python bench/intake_throughput.py
	$(UV) run python bench/bulk_import.py
	$(UV) run python bench/footprint.py
	$(UV) run python bench/match_quality.py
	$(UV) run python bench/crosslingual.py
	$(UV) run python bench/clustering_thresholds.py
	$(UV) run python bench/placement_speed.py
	$(UV) run python bench/bridging_speed.py
	$(UV) run python bench/langid_accuracy.py
	$(UV) run python bench/index_speed.py
	$(UV) run python bench/transparency_report.py
	$(UV) run python bench/tiplines.py

messages: sync
	cd src/baraza && $(UV) run baraza makemessages -l fr --no-obsolete && $(UV) run baraza compilemessages
