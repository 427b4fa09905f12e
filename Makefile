# Two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export SHOPLEDGER_TEST_PG_URL ?=

.PHONY: setup system browser assets messages run test test-fast lint bench topology clean

setup: system $(STAMP) assets

# WeasyPrint draws the PDFs with Pango (Debian's libraries; HarfBuzz subsets the embedded Thai
# font) and the tests read PDFs back with poppler-utils. Installed when missing and we are root.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils
system:
	@command -v dpkg >/dev/null 2>&1 || exit 0; missing=""; \
	for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "system: installing$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "system: warning: missing Debian packages:$$missing (as root: apt-get install -y$$missing)" >&2; fi

# The browser tests (tests/browser/) drive Debian's Chromium through Playwright (Playwright's own
# browser download does not work on these machines). Installed when missing and we are root;
# otherwise the browser tests skip, unless SHOPLEDGER_REQUIRE_BROWSER=1 (.ci/run) fails them.
CHROMIUM := /usr/bin/chromium
# With Thai fonts (fonts-thai-tlwg): without them Thai is drawn as boxes of another width, and
# the phone tests would measure pages no merchant sees.
browser:
	@if [ -x $(CHROMIUM) ] && fc-list :lang=th 2>/dev/null | grep -q .; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "browser: installing chromium and Thai fonts"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg >/dev/null; \
	else echo "browser: warning: no $(CHROMIUM); the browser tests skip (as root: apt-get install -y chromium)" >&2; fi

# The pages' front-end packages, pinned in package.json/package-lock.json and copied from npm's
# packages into the (git-ignored) static/vendor/: htmx, and modern-normalize under our own
# stylesheet. The pages work without them (no htmx: plain links; no normalize: the browser's own
# defaults), so no npm is a warning.
VENDOR := src/shopledger/web/static/vendor
assets: $(VENDOR)/.installed

$(VENDOR)/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1 && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; then \
	  mkdir -p $(VENDOR) && cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js \
	  && cp node_modules/modern-normalize/modern-normalize.css $(VENDOR)/modern-normalize.css \
	  && touch $@ && echo "assets: htmx and modern-normalize installed in $(VENDOR)"; \
	else echo "assets: warning: front-end packages not installed (npm missing or failed); the pages work without them" >&2; fi

# The pages' message catalogue brought up to the words the code uses (docs/i18n.md): new words
# appear untranslated in src/shopledger/web/locales/th/LC_MESSAGES/messages.po.
messages: $(STAMP)
	$(BIN)/python -m shopledger.web.catalogue

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: setup
	$(BIN)/shopledger init
	$(BIN)/shopledger demo --if-empty
	SHOPLEDGER_DEMO_SHOP=true $(BIN)/shopledger serve

test: setup browser
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

test-fast: setup
	$(BIN)/python -m pytest -x -q -m "unit"

# The deployment of docs/deployment.md on this machine's PostgreSQL and Redis: 2 web processes,
# 2 job workers, a fresh database and queue name, the demo loaded; Ctrl-C stops and drops it all.
topology: setup
	$(BIN)/python scripts/topology.py --demo --port 8100

bench: setup
	$(BIN)/python bench/import_orders.py --orders 100000

clean:
	rm -rf $(VENV) var/*.db*
