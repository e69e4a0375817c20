# Newsroom: `make run` starts everything on embedded defaults; `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Local development and tests run with DEBUG on; production sets DJANGO_DEBUG=0 (the default).
export DJANGO_DEBUG ?= 1

.PHONY: install run migrate seed test lint format bench clean

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

# Documents of records published before the publication layer (or after NEWSROOM_SITE_URL
# changed) are built here; a no-op when they are current.
migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py rebuild_published

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo
	@echo "  Newsroom is starting at http://127.0.0.1:$(PORT)/"
	@echo "    desk:  http://127.0.0.1:$(PORT)/desk/    admin: http://127.0.0.1:$(PORT)/admin/"
	@echo "    API:   http://127.0.0.1:$(PORT)/api/v1/docs/"
	@echo "  Logins are printed above. Ctrl-C stops the web server, the worker and beat."
	@echo
	PORT=$(PORT) $(VENV)/bin/honcho --procfile newsroom/Procfile --app-root . start

# pytest exits 5 when it collected no tests: that is a failure here, never a pass.
# One pytest-xdist worker per core (TEST_WORKERS=0 runs in one process); a test file stays on
# one worker, so its module fixtures are built once.
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	exit $$status

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m events.summarizer.bench
	$(PY) -m events.bench.keypoints_latency
	$(PY) -m events.bench.markdown
	$(PY) -m events.bench.api  # PostgreSQL DATABASE_URL and wrk (apt-get install wrk); says so and skips otherwise
	$(PY) -m events.bench.ratelimit --rate 30/10s --seconds 25  # Redis part skipped without one

clean:
	rm -rf var staticfiles
