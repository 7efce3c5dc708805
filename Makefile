# Two commands set up a fresh machine:
#   make demo   install everything, create the SQLite database in instance/, load the demo, serve it
#               on http://127.0.0.1:5000
#   make test   install everything (PostgreSQL and Chromium from Debian when missing) and run the
#               whole test suite twice: on SQLite and on a throw-away PostgreSQL server
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?= -n 2

.PHONY: demo serve test test-sqlite test-postgresql install system-deps messages bench lint clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

system-deps:
	bash scripts/system-deps.sh

messages: install
	PYTHON=$(PY) bash scripts/messages.sh compile

demo: install messages
	$(PY) -m flask --app wsgi db upgrade
	$(PY) -m flask --app wsgi demo
	$(PY) -m flask --app wsgi run --host 127.0.0.1 --port 5000

serve: install messages
	$(PY) -m flask --app wsgi run --host 127.0.0.1 --port 5000

test: install system-deps messages
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgresql

test-sqlite:
	TEST_DATABASE=sqlite $(PY) -m pytest $(PYTEST_ARGS)

test-postgresql:
	TEST_DATABASE=postgresql $(PY) -m pytest $(PYTEST_ARGS)

bench: install messages
	for b in draw grade autosave examday request_cost grown_costs lookup schedule ranking imports; do [ -f bench/$$b.py ] && $(PY) -m bench.$$b; done

lint: install
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
