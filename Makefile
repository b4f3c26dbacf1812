# The front door. `make run` sets up and runs the portal with demo data; `make test` sets up and
# runs every test. Both create the virtualenv in .venv/ on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
export VENV

.PHONY: setup run test lint format check benchmark benchmark-start benchmark-webhooks benchmark-activation clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: setup
	./scripts/run-portal

test: setup
	./scripts/run-tests

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

check: setup
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

benchmark: setup
	$(PY) tests/benchmarks/queue_benchmark.py

benchmark-start: setup
	$(PY) tests/benchmarks/start_loop_benchmark.py

benchmark-webhooks: setup
	$(PY) tests/benchmarks/webhook_benchmark.py

benchmark-activation: setup
	$(PY) tests/benchmarks/activation_benchmark.py

clean:
	rm -rf $(VENV) var
