# The two commands a newcomer needs: `make run` and `make test` (see README.md).
# Everything they need is installed here; nothing is assumed to be on the machine but
# Python 3.11+, Java 17+ and Maven (and, for the browser tests, apt-get to add chromium).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8050
# The test Neo4j lives in its own home and on its own ports, so a developer's server is never touched.
TEST_BOLT_PORT ?= 17687
TEST_HTTP_PORT ?= 17474
TEST_ENV := IPECO_HOME=$(CURDIR)/.test-home IPECO_NEO4J_BOLT_PORT=$(TEST_BOLT_PORT) IPECO_NEO4J_HTTP_PORT=$(TEST_HTTP_PORT) \
	IPECO_TEST_BOLT_PORT=$(TEST_BOLT_PORT) IPECO_TEST_HTTP_PORT=$(TEST_HTTP_PORT)

.PHONY: run run-neo4j test bench lint docs install install-test system-deps neo4j-test-start neo4j-test-stop schema-docs lock clean

# setuptools is installed once into the venv and the package built with it (--no-build-isolation),
# rather than fetched into a throw-away build environment on every install.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip "setuptools>=77"
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

install-test: install system-deps

## run: set up, load the three model regions into the embedded store, serve on http://127.0.0.1:8050
run: install
	$(BIN)/ipeco seed
	$(BIN)/ipeco serve --host $(HOST) --port $(PORT)

## run-neo4j: like run, on a local Neo4j server, so that the query page can run Cypher (stop it with `ipeco db stop`)
run-neo4j: install
	$(BIN)/ipeco db start
	$(BIN)/ipeco --store neo4j seed
	$(BIN)/ipeco --store neo4j serve --host $(HOST) --port $(PORT)

## system-deps: Debian's chromium, CJK fonts and poppler for the browser and report tests
system-deps:
	@if ! command -v chromium >/dev/null || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1 || ! command -v pdftotext >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null; \
	fi
	@command -v java >/dev/null || { echo "Java 17+ is needed (apt-get install openjdk-17-jre-headless)"; exit 1; }
	@command -v mvn >/dev/null || { echo "Maven is needed (apt-get install maven)"; exit 1; }

# The test JVMs compile with C1 only (short-lived: C2 costs CPU it never pays back; tests/conftest.py).
# The shared test server as well, though it runs the whole suite: 59 of its tests cost it 89 CPU-s so, 138 with C2.
TEST_JAVA := JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=1

# The shared test server maps the class-data archive but never writes it (IPECO_NEO4J_CDS=use): it runs
# all along, and the writer's claim would keep the archive from every shorter-lived server of the run.
neo4j-test-start: install
	$(TEST_ENV) $(TEST_JAVA) IPECO_NEO4J_CDS=use $(BIN)/ipeco db start

neo4j-test-stop:
	-$(TEST_ENV) $(BIN)/ipeco db stop

# Test processes (pytest-xdist): the Neo4j tests run one after another on one of them, each other
# file on whichever is free (tests/conftest.py groups them). TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
PYTEST_PARALLEL := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadgroup)

## test: set up, start a real local Neo4j (no Docker), run the whole suite, stop Neo4j, print the time
# The checks (ruff, import-linter, mypy) run while Neo4j starts: both are CPU work, on two cores they overlap.
test: install-test
	@start=$$(date +%s); \
	( $(MAKE) --no-print-directory neo4j-test-start & server=$$!; \
	  $(BIN)/ruff check . && $(BIN)/lint-imports --no-cache && $(BIN)/mypy; checks=$$?; \
	  wait $$server; up=$$?; rc=1; \
	  if [ $$checks -eq 0 ] && [ $$up -eq 0 ]; then \
	    $(TEST_ENV) $(TEST_JAVA) IPECO_KEEP_NEO4J=1 $(BIN)/python -m pytest $(PYTEST_PARALLEL); rc=$$?; fi; \
	  $(MAKE) --no-print-directory neo4j-test-stop; exit $$rc ); rc=$$?; \
	secs=$$(( $$(date +%s) - start )); \
	printf 'make test: %dm%02ds in all (exit %d)\n' $$((secs / 60)) $$((secs % 60)) $$rc; exit $$rc

## bench: ingest, analytics and web figures against same-process baselines
# The bench server runs with the default heap, as a user's does (a 10^6-relationship load does not
# fit one transaction there; bench_ingest says so on that line).
bench: install
	$(MAKE) --no-print-directory neo4j-test-stop
	$(TEST_ENV) IPECO_NEO4J_PAGECACHE=2g $(BIN)/ipeco db start
	$(TEST_ENV) $(BIN)/python -m bench; rc=$$?; $(MAKE) --no-print-directory neo4j-test-stop; exit $$rc

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

## docs: regenerate the schema page and the README pictures (tests never write tracked files)
docs: install-test schema-docs
	$(BIN)/python -m reports.readme README.md
	IPECO_WRITE_DOC_IMAGES=1 $(BIN)/python -m pytest -q tests/test_browser_app.py tests/test_browser_gaps.py tests/test_reports.py \
		-k "map_renders or compare_page_shows or (one_card_per_organisation and real) or page_one"

schema-docs: install
	$(BIN)/ipeco schema > docs/schema.md

## lock: refresh requirements.lock from a clean resolve of pyproject's dependencies
lock:
	rm -rf /tmp/ipeco-lock && $(PYTHON) -m venv /tmp/ipeco-lock
	/tmp/ipeco-lock/bin/pip install -q --upgrade pip && /tmp/ipeco-lock/bin/pip install -q ".[test]"
	/tmp/ipeco-lock/bin/pip freeze --exclude ipeco > requirements.lock

clean:
	-$(TEST_ENV) $(BIN)/ipeco db stop
	rm -rf $(VENV) .test-home test-artifacts
