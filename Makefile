# Crossroads — the two commands of the quick start, and a few helpers.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
export CROSSROADS_DATA_DIR ?= $(CURDIR)/var
SEED   ?= 2024
HOST   ?= 127.0.0.1
PORT   ?= 8000
NODES  ?= AL,BA,XK,ME,MK,RS

.PHONY: demo test install install-test lint serve clean screenshots region region-down

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[linkage]"

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[linkage,test]"

## One command: a fresh demo node on SQLite, seeded, served by 2 worker processes with a task
## runner beside them (deduplication, releases, the dashboards' summary); Ctrl-C stops both.
demo: install
	rm -f "$(CROSSROADS_DATA_DIR)/crossroads.sqlite3"*
	$(BIN)/crossroads demo --seed $(SEED)
	$(BIN)/crossroads serve --host $(HOST) --port $(PORT) --workers 2 --tasks 1

## A hub and one node per jurisdiction on loopback ports (logins in region.json).
region: install
	$(BIN)/crossroads region up --nodes $(NODES)

region-down:
	$(BIN)/crossroads region down

serve: install
	$(BIN)/crossroads serve --host $(HOST) --port $(PORT) --tasks 1

## One command: install the test extras and run the whole suite (DATABASE_URL picks the database).
test: install-test
	bash scripts/system-packages.sh
	$(BIN)/crossroads makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/crossroads check --fail-level WARNING
	$(BIN)/bandit -q -r src -lll
	$(BIN)/python -m pytest -n 2 -q --ignore=tests/browser
	$(BIN)/python -m pytest -p no:xdist -q tests/browser

## Screenshots of the main pages for the README, taken by the browser tests.
screenshots: install-test
	bash scripts/system-packages.sh
	CROSSROADS_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -p no:xdist -q tests/browser

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var
