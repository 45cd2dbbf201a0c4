# Every target bootstraps the virtualenv itself: `make test` works on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SPECS  := spec/bank-inquiry.yaml spec/bank-transfer.yaml spec/card.yaml

.PHONY: setup check generate check-generated serve test test-all typecheck lint conformance bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

check: $(STAMP)
	$(BIN)/renkei check spec

generate: $(STAMP)
	$(BIN)/renkei generate $(SPECS) -o generated

check-generated: $(STAMP)
	$(BIN)/renkei generate $(SPECS) -o generated --check

serve: $(STAMP)
	$(BIN)/renkei serve

lint: $(STAMP)
	$(BIN)/ruff check generator sandbox tests bench
	$(BIN)/ruff format --check generator sandbox tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# The default run: SQLite everywhere, plus a PostgreSQL pass of the sandbox tests when
# RENKEI_TEST_POSTGRES_URL is set (.ci/run sets it), plus the generated-code freshness check.
test: $(STAMP)
	$(BIN)/pytest -q -m "not slow"
	@if [ -n "$$RENKEI_TEST_POSTGRES_URL" ]; then \
		echo "== sandbox tests on PostgreSQL"; \
		DATABASE_URL="$$RENKEI_TEST_POSTGRES_URL" $(BIN)/pytest -q -m "not slow" tests/sandbox; \
	fi
	$(BIN)/renkei generate $(SPECS) -o generated --check
	$(BIN)/mypy
	$(BIN)/ruff check generator sandbox tests bench
	$(BIN)/ruff format --check generator sandbox tests bench

test-all: $(STAMP)
	$(BIN)/pytest -q

conformance: $(STAMP)
	$(BIN)/renkei conformance --sandbox --report-dir reports/conformance

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var reports .pytest_cache .mypy_cache .ruff_cache
