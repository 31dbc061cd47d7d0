# Gerbang — `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.DEFAULT_GOAL := help

# Every target that names no file, in the order they appear below (keep in step with the rules).
.PHONY: help install install-dev system-deps messages makemessages migrate demo run test test-fast e2e \
        lint format audit check-deploy bench bench-rush bench-board bench-uploads bench-weight bench-notify bench-assistant bench-ikm bench-ledger bench-keys bench-risk bench-stats bench-forecast bench-face bench-2g \
        ci demo-reset demo-totp lock clean board-voice

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt requirements-dense.txt requirements-biometrics.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dense.txt -r requirements-biometrics.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dense.txt requirements-biometrics.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements-dev.txt -r requirements-dense.txt -r requirements-biometrics.txt
	touch $@ $(VENV)/.installed-run

.venv-audit/.installed: requirements-audit.txt
	$(PYTHON) -m venv .venv-audit
	.venv-audit/bin/python -m pip install --quiet --upgrade pip
	.venv-audit/bin/python -m pip install --quiet -r requirements-audit.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed-run ## Create .venv and install the pinned runtime dependencies
install-dev: $(VENV)/.installed-dev ## Install runtime, test and lint dependencies

system-deps: ## Install missing Debian packages (gettext; chromium for tests)
	@scripts/system-deps.sh run

messages: install system-deps ## Compile the translation catalogues
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

makemessages: install-dev ## Refresh the id and en catalogues from the source
	$(MANAGE) makemessages -l id -l en --no-location --no-wrap --ignore=.venv --ignore=tests --ignore=conftest.py --ignore=node_modules
	msgattrib --no-wrap --clear-fuzzy --empty -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	msgen --no-wrap -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: install ## Apply database migrations
	@$(MANAGE) migrate --no-input -v 0

demo: migrate ## Load the demo data (idempotent)
	@$(MANAGE) load_demo

run: install messages migrate ## Install, migrate, serve on :8000 with the worker, and load the demo
	@GERBANG_LOAD_DEMO=1 scripts/run.sh

test: install-dev messages ## Install what tests need and run the whole suite
	@scripts/system-deps.sh test
	@$(MAKE) --no-print-directory node_modules/.installed
	$(PY) -m pytest

test-fast: install-dev messages ## The suite without the browser journeys
	$(PY) -m pytest -m "not e2e"

e2e: install-dev messages ## Only the end-to-end browser journeys and accessibility audits
	@scripts/system-deps.sh test
	@$(MAKE) --no-print-directory node_modules/.installed
	$(PY) -m pytest -m e2e

lint: install-dev ## ruff check, ruff format --check, mypy and the import contracts between the apps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: install-dev ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

audit: install messages .venv-audit/.installed ## Known vulnerabilities in the pinned requirements (pip-audit) and the API fuzzed (schemathesis)
	.venv-audit/bin/python scripts/audit_dependencies.py
	$(PY) scripts/api_fuzz.py

check-deploy: install ## Run Django's deployment checks with production-like settings
	@DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))') \
	 FIELD_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet;print(Fernet.generate_key().decode())') \
	 BLIND_INDEX_KEY=$$($(PY) -c 'import secrets;print(secrets.token_hex(32))') \
	 PAYMENT_PROVIDER_API_KEY=$$($(PY) -c 'import secrets;print(secrets.token_hex(32))') \
	 PAYMENT_WEBHOOK_SECRET=$$($(PY) -c 'import secrets;print(secrets.token_hex(32))') \
	 PAYMENT_PROVIDER_URL=https://pay.example.id/v1 \
	 BOOKING_SIGNING_KEY="$$($(PY) -c 'from gerbang.appointments.tokens import generate_private_pem;print(generate_private_pem())')" \
	 EXCHANGE_SIGNING_KEY="$$($(PY) -c 'from gerbang.core.exchange_protocol import generate_private_pem;print(generate_private_pem())')" \
	 ALLOWED_HOSTS=gerbang.example.id $(MANAGE) check --deploy --fail-level WARNING

bench: install messages ## Measure public pages and the API's public reads against the /healthz anchor (bench/public_pages.py)
	$(PY) bench/public_pages.py

bench-rush: install messages ## The booking rush: thousands of accounts booking at once (bench/booking_rush.py)
	$(PY) bench/booking_rush.py

bench-board: install messages ## 1,000 live streams on one display board (bench/board_fanout.py)
	$(PY) bench/board_fanout.py

bench-uploads: install messages ## What an upload costs, and /healthz while four run at once (bench/uploads.py)
	$(PY) bench/uploads.py

bench-weight: install messages ## First-visit weight of the home page with its CSS, JS and icons, compressed or not (bench/first_visit.py)
	$(PY) bench/first_visit.py

bench-notify: install messages ## Notifications through the real worker: a steady stream and a burst, % within 10 s (bench/notifications.py)
	$(PY) bench/notifications.py

bench-ikm: install messages ## The hourly IKM aggregation over two years of 100,000 answers (bench/ikm_aggregate.py)
	$(PY) bench/ikm_aggregate.py

bench-ledger: install messages ## The public ledger: events into the log per second, lag at the rush's rate, proof sizes and times to 10^5 leaves, the rush with its sequencer (bench/ledger.py)
	$(PY) bench/ledger.py

bench-keys: install messages ## Field key rotation under load: reads before, during and after rotate_keys, 0 failed reads (bench/key_rotation.py)
	$(PY) bench/key_rotation.py

bench-assistant: install messages ## The assistant on its labelled set: accuracy, declines, hand-overs, invented figures, latency (bench/assistant_eval.py)
	$(PY) bench/assistant_eval.py --calibrate

bench-risk: install messages ## Risk flags on a synthetic labelled set: precision and recall per kind, false positives, scan time (bench/risk_eval.py)
	$(PY) bench/risk_eval.py

bench-stats: install messages ## The public statistics at 100 k applications against a one-read request (bench/stats.py; --applications 10000000 --database postgres://... --redis redis://... for the large sizes)
	$(PY) bench/stats.py

bench-forecast: install messages ## Demand forecasts against the naive same-week-last-year baseline on synthetic seasonal series (bench/forecast_eval.py)
	$(PY) bench/forecast_eval.py

bench-face: install-dev messages ## Face verification on a labelled set from scikit-image's sample faces: true and false match rates at the threshold, time per comparison, the duplicate search (bench/face.py)
	$(PY) bench/face.py

board-voice: install ## Record the display board's spoken-call clips again with eSpeak NG (installs Debian's espeak-ng)
	@command -v espeak-ng >/dev/null || (DEBIAN_FRONTEND=noninteractive apt-get install -y -q espeak-ng)
	$(PY) scripts/board_voice.py

tutorials: install-dev messages ## Take the services' tutorial pictures again from the real pages, in both languages (scripts/tutorial_shots.py; SERVICE=code for one)
	@scripts/system-deps.sh test
	$(PY) scripts/tutorial_shots.py $(if $(SERVICE),--service $(SERVICE))

bench-2g: install-dev messages ## Every applicant page over 2G: bytes on a first and a repeat visit, seconds until usable, against issue 23's budgets (bench/low_bandwidth.py)
	@scripts/system-deps.sh test
	$(PY) bench/low_bandwidth.py

ci: ## Everything CI runs (SQLite and PostgreSQL with Redis side by side, lint, types)
	bash .ci/run

demo-reset: install ## Delete the local database and load a fresh demo
	rm -f var/gerbang.sqlite3 var/gerbang.sqlite3-wal var/gerbang.sqlite3-shm var/huey-*.sqlite3*
	$(MAKE) demo

demo-totp: install ## Print the current 2FA code of a demo staff account (EMAIL=...)
	@$(MANAGE) demo_totp $(EMAIL)

lock: install-dev ## Show the installed versions, to update the pinned requirements
	$(PY) -m pip freeze

clean: ## Remove the virtualenv, caches and local data
	rm -rf $(VENV) .venv-audit var staticfiles node_modules test-results .pytest_cache .mypy_cache .ruff_cache
