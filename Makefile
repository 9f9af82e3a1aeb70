# Birgemiz — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test bench lint messages compilemessages migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $(VENV)/.installed $@

# Compiled catalogues are committed; recompile when msgfmt (gettext) is present.
compilemessages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(BIN)/python manage.py compilemessages --ignore=.venv -v0; \
	else echo "msgfmt not found: using the committed .mo files"; fi

APPS_WITH_LOCALE := courses volunteers assessments surveys reporting demo

# Each app keeps its own catalogue; the root locale/ covers birgemiz/ and templates/.
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l kk -l ru -l en -v0 --ignore=.venv --ignore=tests \
		--ignore=bench $(foreach app,$(APPS_WITH_LOCALE),--ignore=$(app))
	for app in $(APPS_WITH_LOCALE); do \
		(cd $$app && ../$(BIN)/python ../manage.py makemessages -l kk -l ru -l en -v0) || exit 1; \
	done
	$(MAKE) compilemessages

migrate: $(VENV)/.installed compilemessages
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-test compilemessages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: $(VENV)/.installed-test compilemessages
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles bench-out
