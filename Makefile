# The two commands: `make run` and `make test` (plus `make test-pg`).
# Everything they need is installed here, so both work on a fresh machine.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SECRET_KEY_FILE := .secret_key
AXE := node_modules/axe-core/axe.min.js
PG_URL ?= postgres://newsreader:newsreader@127.0.0.1:5432/newsreader

.PHONY: run serve install test test-pg test-deps lint format bench clean extension screenshots

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) $(SECRET_KEY_FILE)

# A development key generated once and kept out of git (.gitignore).
$(SECRET_KEY_FILE):
	umask 077; $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# settings.py reads the key from .secret_key when SECRET_KEY is not set.
# Both serve as in production (scripts/serve: migrate, collectstatic, gunicorn with
# gunicorn.conf.py and the task worker; Ctrl-C stops them cleanly); `run` also loads
# the demo team on an empty database and prints its login last.
run: install
	@$(PY) scripts/serve --demo

serve: install
	@$(PY) scripts/serve

# Chromium from Debian (Playwright cannot download browsers here) and axe-core from npm.
test-deps: $(STAMP) $(AXE)
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

$(AXE):
	npm install --no-save --no-audit --no-fund --silent axe-core@4.14.1

# Two pytest-xdist workers (the machines have 2 cores), each with its own test database
# (test_…_gw0, _gw1). --dist loadfile keeps a file's tests in one worker, in order, so a
# module's fixtures (tests/test_serving.py's server) are set up once. `make test XDIST=`
# runs in one process; a single file runs with plain `.venv/bin/python -m pytest FILE`.
XDIST ?= -n 2 --dist loadfile

test: test-deps
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(XDIST)

test-pg: test-deps
	bash scripts/postgres-up
	DATABASE_URL=$(PG_URL) $(PY) -m pytest $(XDIST)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The browser extension as dist/newsreader-extension.zip (extension/ loads unpacked as it is).
extension:
	$(PYTHON) scripts/pack-extension

clean:
	rm -rf $(VENV) node_modules staticfiles

# The README's pictures, retaken by the browser tests' set-up (scripts/screenshots).
screenshots: test-deps
	PYTHON=$(PY) scripts/screenshots
