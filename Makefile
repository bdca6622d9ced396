# 云南医保 全省通办 backend. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 5000
# An embeddable CJK TrueType font for certificates (Debian's fonts-wqy-microhei).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

.DEFAULT_GOAL := help
.PHONY: help install run test lint fmt kb-check kb-conflicts bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

$(CJK_FONT):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei; \
	else echo "warning: no $(CJK_FONT); certificates fall back to a font some viewers cannot show"; fi

install: $(STAMP) $(CJK_FONT) ## create .venv and install everything (idempotent)

run: install ## serve the API on http://127.0.0.1:$(PORT) with the embedded defaults
	@$(BIN)/python -m app.portcheck 127.0.0.1 $(PORT)
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi seed-demo
	AUTH_DEV_LOGIN=1 $(BIN)/flask --app wsgi run --host 127.0.0.1 --port $(PORT)

test: lint kb-check ## lint, check the knowledge base, run the test suite
	$(BIN)/pytest

lint: install ## ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(STAMP) ## format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

kb-check: install ## validate the knowledge base against the seeds
	$(BIN)/flask --app wsgi kb check

kb-conflicts: $(STAMP) ## list every place where the seeds disagree
	$(BIN)/flask --app wsgi kb check --conflicts

bench: install ## run the benchmarks and print their figures (installs wrk when it can)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } || true
	$(BIN)/python -m bench.guides
	$(BIN)/python -m bench.bot
	$(BIN)/python -m bench.selfservice
	$(BIN)/python -m bench.certificates
	$(BIN)/python -m bench.maternity_crash
