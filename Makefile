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

# The venv without ensurepip, which byte-compiles all of pip and setuptools (3 of the 4 s
# of `python -m venv`): the host's pip puts pip in it where it can (pip 22.3+ has --python),
# ensurepip where it cannot.
$(PY):
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(PY) install --quiet --no-compile --upgrade pip 2>/dev/null \
	  || { $(PY) -m ensurepip --default-pip && $(PIP) install --quiet --no-compile --upgrade pip; }

# --no-compile: byte-compiling every installed module (playwright, faker, django...) is half
# of a fresh install's time; Python compiles the few it imports when it first does, and
# keeps them (see PYTHONDONTWRITEBYTECODE above).
$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet --no-compile -r requirements.txt
	touch $@

# requirements-dev.txt names requirements.txt: one pip run (a second of start-up) for both.
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet --no-compile -r requirements-dev.txt
	touch $(VENV)/.installed $@

# scipy and numpy, for the exact optimum the scheduler's benchmark compares with, and
# nothing else: make test does not install them.
$(VENV)/.installed-bench: requirements.txt requirements-bench.txt | $(PY)
	$(PIP) install --quiet --no-compile -r requirements-bench.txt
	touch $(VENV)/.installed $@

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

# The checks side by side, in one process each: the catalogues compiled while `checkall`
# runs Django's system check, makemigrations --check and the schema's validation (one
# Django set-up instead of three), with ruff and the import contracts alongside; any
# failure fails the target once all four have finished.
test: install-dev
	mkdir -p var
	DEBUG=1 $(PY) manage.py compiletranslations & messages=$$!; \
	{ $(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .; } & lint=$$!; \
	$(VENV)/bin/lint-imports & imports=$$!; \
	DEBUG=1 $(PY) manage.py checkall; rc=$$?; \
	for job in $$messages $$lint $$imports; do wait $$job || rc=1; done; exit $$rc
	$(PY) -m pytest -n 2 --dist loadfile -p no:cacheprovider; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing the run"; exit 1; fi; exit $$rc

# Every benchmark of bench/, each in its own process, and one table of their figures
# (bench/run.py); `make bench BENCH_SIZE=small` runs the same code on small data in a few
# minutes, as CI does.
BENCH_SIZE ?= full
bench: $(VENV)/.installed-bench
	$(PY) bench/run.py --size $(BENCH_SIZE)

clean:
	rm -rf var staticfiles
