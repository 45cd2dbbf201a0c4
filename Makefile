# Every target bootstraps the virtualenv itself: `make test` works on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SPECS  := spec/bank-inquiry.yaml spec/bank-transfer.yaml spec/card.yaml
GENERATE := $(BIN)/renkei generate $(SPECS) -o generated --package-prefix renkei_
# The reference the sandbox serves at /docs (package data of the sandbox, which never imports the toolkit).
DOCS     := $(BIN)/renkei docs $(SPECS) -o sandbox/renkei_sandbox/reference --console 'console/{api}'
# Five distributions, installed editable into one venv for development (each also installs on its own):
# the runtime, the toolkit (with its dev tools), the three generated API packages and the sandbox.
PACKAGES := -e ./runtime -e '.[dev]' -e ./generated/bank_inquiry -e ./generated/bank_transfer \
	-e ./generated/card -e './sandbox[postgres]'
SOURCES := generator runtime sandbox tests bench
# `make serve PORT=8123` (or RENKEI_PORT=8123 make serve); HOST likewise (RENKEI_HOST).
PORT ?= $(or $(RENKEI_PORT),8000)
HOST ?= $(or $(RENKEI_HOST),127.0.0.1)
# `renkei serve` starts in the FAPI 2.0 profile; `make serve` in the plain OAuth profile that the README's
# walk-through (`renkei sandbox authorize`, bearer tokens) uses. `make serve PROFILE=fapi` for FAPI 2.0.
PROFILE ?= $(or $(RENKEI_PROFILE),plain)

.PHONY: setup check generate check-generated serve test test-all typecheck lint imports conformance bench bench-scale clean

$(STAMP): pyproject.toml runtime/pyproject.toml sandbox/pyproject.toml generated/*/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(PACKAGES)
	touch $(STAMP)

setup: $(STAMP)

check: $(STAMP)
	$(BIN)/renkei check spec

generate: $(STAMP)
	$(GENERATE)
	$(DOCS)

check-generated: $(STAMP)
	$(GENERATE) --check
	$(DOCS) --check

serve: $(STAMP)
	RENKEI_PROFILE=$(PROFILE) $(BIN)/renkei serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

imports: $(STAMP)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# The default run: SQLite everywhere, plus a PostgreSQL pass of the sandbox tests when
# RENKEI_TEST_POSTGRES_URL is set (.ci/run sets it), plus the generated-code freshness check.
test: $(STAMP)
	$(BIN)/pytest -q -m "not slow" --durations=15
	@if [ -n "$$RENKEI_TEST_POSTGRES_URL" ]; then \
		echo "== sandbox tests on PostgreSQL"; \
		DATABASE_URL="$$RENKEI_TEST_POSTGRES_URL" $(BIN)/pytest -q -m "not slow" tests/sandbox; \
	fi
	$(GENERATE) --check
	$(DOCS) --check
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

test-all: $(STAMP)
	$(BIN)/pytest -q

conformance: $(STAMP)
	$(BIN)/renkei conformance --sandbox --report-dir reports/conformance

bench: $(STAMP)
	$(BIN)/python -m bench

bench-scale: $(STAMP)  # the load benchmark of docs/benchmarks.md (PostgreSQL renkei_bench, created if missing)
	$(BIN)/python -m bench scale $(or $(SECONDS),60)

clean:
	rm -rf $(VENV) var reports .pytest_cache .mypy_cache .ruff_cache
