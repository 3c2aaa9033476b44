# Kinerja — set-up, run, test, bench.  `make run` and `make test` install what they need themselves.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
DEPS_STAMP := $(VENV)/.deps-installed
ASSETS_STAMP := kinerja/static/vendor/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers or more: the suite takes a quarter of an hour on one core.
PYTEST_ARGS ?= -n auto
export UV_SYSTEM_CERTS := 1
export UV_NATIVE_TLS := 1

.PHONY: run test test-e2e lint bench seed serve clean install assets surge surge-server surge-server-stop \
	cluster cluster-stop cluster-status cluster-drill

install: $(DEPS_STAMP) $(ASSETS_STAMP)

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 ($(PYTHON)) tidak ditemukan"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip uv || true

# Pinned dependencies; uv when it installed, pip otherwise.
$(DEPS_STAMP): requirements.txt requirements-dev.txt | $(PY)
	@if [ -x $(VENV)/bin/uv ]; then \
		$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.txt -r requirements-dev.txt; \
	else \
		$(VENV)/bin/pip install -q -r requirements.txt -r requirements-dev.txt; \
	fi
	@touch $@

# Front-end assets from the npm registry, copied into static/vendor (served by WhiteNoise; no CDN).
$(ASSETS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf kinerja/static/vendor && mkdir -p kinerja/static/vendor/bootstrap kinerja/static/vendor/bootstrap-icons kinerja/static/vendor/htmx
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* kinerja/static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* kinerja/static/vendor/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts kinerja/static/vendor/bootstrap-icons/
	cp node_modules/htmx.org/dist/htmx.min.js kinerja/static/vendor/htmx/
	@touch $@

assets: $(ASSETS_STAMP)

seed: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo

run: install
	@echo "Menyiapkan basis data (migrasi) …"
	@$(PY) manage.py migrate --noinput -v 0
	@echo "Memuat data demo …"
	$(PY) manage.py seed_demo --banner --url http://$(HOST):$(PORT)/
	@# The task worker runs beside the web server and stops with it (docs/architecture.md).
	@$(PY) manage.py db_worker --no-startup-delay & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# The whole suite: lint, types of the rules core, unit/integration tests and the browser tests.
# DATABASE_URL=postgres://... runs the same suite on PostgreSQL.
test: lint
	bash scripts/ensure-system-packages.sh
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-e2e: install
	bash scripts/ensure-system-packages.sh
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/pytest -m e2e $(PYTEST_ARGS)

bench: install
	$(PY) scripts/bench.py

# Deadline-day load test (README): `make surge-server` in one terminal (PostgreSQL + Redis + a --lengkap instansi +
# gunicorn), `make surge` in another. SURGE_URL, SURGE_ARGS (e.g. --steps 25,50 --step-seconds 30 --ramp 10).
SURGE_URL ?= http://127.0.0.1:8000
SURGE_PG_PORT ?= 55432
SURGE_DB ?= postgres://postgres@127.0.0.1:$(SURGE_PG_PORT)/postgres
surge: install
	DATABASE_URL=$(SURGE_DB) $(PY) scripts/surge.py --url $(SURGE_URL) $(SURGE_ARGS)

surge-server: install
	SURGE_PG_PORT=$(SURGE_PG_PORT) bash scripts/surge-server.sh

surge-server-stop:
	SURGE_PG_PORT=$(SURGE_PG_PORT) bash scripts/surge-server.sh stop

# The production topology on this machine: HAProxy, two gunicorn nodes, PostgreSQL primary + streaming replica,
# pgbouncer, Redis, a task worker (README "Running more than one machine"); state in var/cluster/.
cluster: install
	bash scripts/cluster.sh start

cluster-stop:
	bash scripts/cluster.sh stop

cluster-status:
	bash scripts/cluster.sh status

# Fault drills against the running cluster: an app node, the replica, Redis (pass/fail per drill).
cluster-drill:
	bash scripts/cluster.sh drill

clean:
	rm -rf $(VENV) node_modules kinerja/static/vendor staticfiles var db.sqlite3
