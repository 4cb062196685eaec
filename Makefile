# The two commands of the contract: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test lint bench demo install install-dev messages messages-extract clean

# Write bytecode even where the environment says not to (Python images set
# PYTHONDONTWRITEBYTECODE=1): with the install's --no-compile below, every process
# (each pytest worker, manage.py check, the tests' subprocesses) would otherwise
# compile Django and the project from source again, 2-4 s of CPU each.
unexport PYTHONDONTWRITEBYTECODE

# --no-compile: byte-compiling every installed module (scipy, numpy, playwright...) is half
# of a fresh install's time; Python compiles the few it imports when it first does, and
# keeps them (see PYTHONDONTWRITEBYTECODE above).
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --no-compile --upgrade pip
	$(PIP) install --quiet --no-compile -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet --no-compile -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: install
	DEBUG=1 $(PY) manage.py compiletranslations

messages-extract: install
	DEBUG=1 $(PY) manage.py makemessages -l ko -l zh_Hans --no-obsolete --no-location \
	  --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=staticfiles

run: install messages
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py demo
	DEBUG=1 $(PY) manage.py runall

demo: install
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py demo

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install-dev messages lint
	DEBUG=1 $(PY) manage.py check
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	mkdir -p var && DEBUG=1 $(PY) manage.py spectacular --validate --fail-on-warn --file var/openapi.yml
	$(PY) -m pytest -n 2 --dist loadfile -p no:cacheprovider; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing the run"; exit 1; fi; exit $$rc

bench: install-dev
	$(PY) bench/bench_matchmaking.py
	$(PY) bench/bench_screening.py
	$(PY) bench/bench_api.py

clean:
	rm -rf var staticfiles
