# Two commands do everything on a fresh clone: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate seed lint format clean bench messages profile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements/base.txt
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.txt
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py seed_demo

# Links in emails and the address `demo_logins` prints follow the address served.
# The server and the worker stop together, the worker once and gracefully (a second signal
# would cut short the email it is sending): Ctrl-C reaches the worker from the terminal, so
# only the server is stopped here; when make itself is stopped (SIGTERM, as `timeout` or a
# process manager does), both are. Either way the shell waits for both, then ends by the same
# signal, so that make reports an interrupt rather than an error.
run: export PORTAL_URL ?= http://$(HOST):$(PORT)
run: seed
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py demo_logins
	$(BIN)/python manage.py resume_briefing_deliveries
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) & server=$$!; \
	trap 'kill $$server 2>/dev/null; stopped_by=INT' INT; \
	trap 'kill $$server $$worker 2>/dev/null; stopped_by=TERM' TERM HUP; \
	wait $$server; status=$$?; \
	[ -n "$$stopped_by" ] || kill $$worker 2>/dev/null; \
	wait; \
	[ -z "$$stopped_by" ] || { trap - $$stopped_by; kill -s $$stopped_by $$$$; }; \
	exit $$status

# Connections are not kept between requests in tests, so the browser tests' live server
# leaves none open when the test database is dropped.
test: install-dev
	DB_CONN_MAX_AGE=0 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Everything `make run` made, the documents it stored in private/ and media/ included.
clean:
	rm -rf $(VENV) staticfiles db.sqlite3 private media

# The load benchmark: PostgreSQL at 127.0.0.1:5432, writes docs/benchmarks.md.
bench: install-dev
	$(BIN)/pip install --quiet -r requirements/bench.txt
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Where each page's time goes rendered afresh (SQL, Python, templates), one request at a time.
profile: install-dev
	$(BIN)/python bench/run.py --profile $(BENCH_ARGS)

# The catalogues in locale/ brought up to date with the code, then compiled (needs GNU gettext).
messages: install
	PYTHON=$(BIN)/python bin/update-catalogues
