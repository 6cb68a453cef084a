# Set-up and run targets. Everything installs from this repository's pinned requirement files.
PYTHON ?= python3
VENV := .venv
STANDIN := .venv-standin

.PHONY: run test distributed bench contracts browser

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The Mongo wire-protocol stand-in for distributed-mode tests (production uses MongoDB).
$(STANDIN)/.installed: requirements-mongo-standin.txt
	$(PYTHON) -m venv $(STANDIN)
	$(STANDIN)/bin/pip install --quiet --disable-pip-version-check -r requirements-mongo-standin.txt
	touch $@

run: $(VENV)/.installed          ## embedded platform at http://127.0.0.1:8000 (data in ./data)
	$(VENV)/bin/python -m services.gateway.main

# Debian's Chromium for the browser tests (Playwright drives it; nothing is downloaded by Playwright).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| echo "Chromium could not be installed: browser tests will skip (and fail in CI)"

test: $(VENV)/.installed $(STANDIN)/.installed browser   ## unit, integration and e2e tests
	$(VENV)/bin/python -m pytest

distributed: $(VENV)/.installed $(STANDIN)/.installed   ## nameko services + gateway on RabbitMQ/PostgreSQL
	$(VENV)/bin/python deploy/run_local.py --mongo-standin

bench: $(VENV)/.installed $(STANDIN)/.installed
	$(VENV)/bin/python bench/throughput.py

contracts: $(VENV)/.installed    ## re-export the integration-event JSON Schemas
	$(VENV)/bin/python -m shared.contracts
