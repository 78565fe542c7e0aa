# Quick start:  make site   (build the archive into site/)
#               make test   (run every test, browser tests included)
# Both create .venv/ on first use; `make test` also installs Chromium
# (Debian package) when it is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
export NO_MKDOCS_2_WARNING = 1

.PHONY: site test lint serve chromium clean

site: $(VENV)/.site-installed
	$(BIN)/imr-archive build --content content --site-dir site

test: $(VENV)/.test-installed chromium
	$(BIN)/pytest

lint: $(VENV)/.test-installed
	$(BIN)/ruff check generator tests
	$(BIN)/mypy

$(VENV)/.site-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.site-installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium (Debian package) for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

clean:
	rm -rf site .build $(VENV)
