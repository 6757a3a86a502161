# Two commands do all the set-up on a fresh machine (see README.md):
#   make run    install what the app needs, then launch it on the bundled default data
#   make test   install what the tests need (Chromium and PostgreSQL included where possible),
#               then lint (ruff, mypy) and run every test
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test install install-dev browser postgres lint results clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamp files make re-runs instant when the requirements have not changed.
$(VENV)/.app-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.app-installed

install: $(VENV)/.app-installed
install-dev: $(VENV)/.dev-installed

run: install
	$(PY) -m streamlit run serve.py --server.port $(PORT)

browser:
	bash scripts/ensure_chromium.sh

# The storage tests start a throwaway PostgreSQL cluster; this installs its binaries as root.
postgres:
	bash scripts/ensure_postgres.sh

# Style and types: ruff over everything, mypy over the packages listed in pyproject.toml.
lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m mypy

# pytest exits 5 when it collected no tests: a failure like any other non-zero code, said aloud.
test: install-dev browser postgres lint
	$(PY) -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; \
	exit $$rc

# The measured tables the docs link to (docs/results/); the speed and concurrency ones are run by
# hand (see benchmarks/README.md).
results: install
	$(PY) benchmarks/accuracy.py --write
	$(PY) benchmarks/accuracy.py --backtest 5 --write

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache
