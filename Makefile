# Quick start:  make site   (build the archive into site/)
#               make test   (run every test, browser tests included)
# Both create .venv/ on first use; `make test` also installs what the tests
# drive (Chromium, nginx, axe-core) when it is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
export NO_MKDOCS_2_WARNING = 1

.PHONY: site test lint real-letters system-tools clean

site: $(VENV)/.site-installed
	$(BIN)/imr-archive build --content content --site-dir site

test: lint $(VENV)/.test-installed system-tools node_modules/.installed
	$(BIN)/pytest
	$(MAKE) real-letters

# The reader measured on real published letters (../shared/real-letters: PDFs and a
# hand-checked truth.json, kept outside this repository): per-field accuracy against
# the floor in benchmarks/accuracy-floor.json, then a strict, link-checked site of them,
# then an ingest of them beside a corrupt, an empty and a locked PDF (all three reported).
REAL_LETTERS ?= ../shared/real-letters
real-letters: $(VENV)/.test-installed
	@if [ ! -f "$(REAL_LETTERS)/truth.json" ]; then \
	  echo "real-letters: $(REAL_LETTERS)/truth.json not found: real letters NOT measured"; \
	else \
	  rm -rf .build/real && mkdir -p .build/real && \
	  $(BIN)/python benchmarks/accuracy.py $(REAL_LETTERS)/pdf $(REAL_LETTERS)/truth.json \
	    --records .build/real/records --floor benchmarks/accuracy-floor.json && \
	  $(BIN)/imr-archive build --content .build/real --site-dir .build/real/site && \
	  $(BIN)/python benchmarks/bad_pdfs_beside.py $(REAL_LETTERS)/pdf; \
	fi

# ruff includes mccabe (C901, max-complexity 15); lint_sizes.py checks the
# module (400 lines) and function (60 lines) limits of issue 12.
lint: $(VENV)/.test-installed
	$(BIN)/ruff check generator tests
	$(BIN)/mypy
	$(BIN)/python tests/lint_sizes.py generator

$(VENV)/.site-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.site-installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian packages the tests drive: Chromium (browser tests), nginx (the
# shipped nginx snippet is run for real), npm (axe-core for accessibility).
system-tools:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the tests:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf site .site.shards .build $(VENV) node_modules
