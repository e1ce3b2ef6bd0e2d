# Baraza: `make run` serves the demo, `make test` runs the whole suite. Both work on a bare
# machine with Python 3.11+ and make: uv is installed from PyPI if it is missing.
SHELL := /bin/bash
PORT ?= 8000
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")

.PHONY: run test lint bench sync uv messages system-packages

uv:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 \
		|| $(PYTHON) -m pip install --quiet --user uv \
		|| $(PYTHON) -m pip install --quiet --break-system-packages --user uv

sync: uv
	@$(UV) sync --quiet --frozen

# Media need ffmpeg (decoding, re-encoding, video hashes), Tesseract with the language packs of
# our scripts (text in pictures) and fpcalc (sound fingerprints); the e-mail tests a real IMAP
# server (Dovecot), the page tests a real browser (Debian's chromium, driven by Playwright).
# Installed from Debian's packages when missing, where apt-get is there (we never download a
# browser or a model at run time).
MEDIA_PACKAGES := ffmpeg tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-ara \
	tesseract-ocr-swa tesseract-ocr-por tesseract-ocr-spa tesseract-ocr-hin tesseract-ocr-amh \
	libchromaprint-tools
TEST_PACKAGES := dovecot-imapd chromium

define apt_install
	@missing=""; for package in $(1); do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	test -z "$$missing" || ! command -v apt-get >/dev/null || { \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -qq --no-install-recommends $$missing \
		|| (apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing); \
	} >/dev/null 2>&1 || echo "could not install:$$missing (see README, System packages)"
endef

system-packages:
	$(call apt_install,$(MEDIA_PACKAGES))

run: sync system-packages
	$(UV) run baraza serve --port $(PORT)

# On SQLite unless BARAZA_DATABASE_URL / BARAZA_REDIS_URL point at PostgreSQL and Redis.
test: sync system-packages
	$(call apt_install,$(TEST_PACKAGES))
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
	$(UV) run python bench/media_hashing.py
	$(UV) run python bench/media_index.py
	$(UV) run python bench/media_thresholds.py

messages: sync
	cd src/baraza && $(UV) run baraza makemessages -l fr --no-obsolete && $(UV) run baraza compilemessages
