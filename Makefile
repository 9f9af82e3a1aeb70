# Birgemiz — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
# The app runs as production unless told otherwise (birgemiz/settings.py): every target
# here is development (run, test, lint, messages), so DEBUG is on unless you set it.
export DEBUG ?= True

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

# One catalogue per app: the root locale/ covers the core (birgemiz/ without the apps
# inside it) and templates/; every app with a locale/ (birgemiz/registers, courses…) keeps
# its own. tests/test_catalogues.py fails when an app has none.
APPS_WITH_LOCALE := $(filter-out birgemiz/django_catalogue,$(sort $(patsubst %/locale,%,$(wildcard */locale */*/locale))))
# Django's own messages in our Kazakh: written by hand, never extracted (no source of ours).
DJANGO_CATALOGUE := birgemiz/django_catalogue/locale
LANGS := -l kk -l ru -l en

messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages $(LANGS) -v0 --no-obsolete --ignore=.venv --ignore=tests \
		--ignore=bench --ignore=static --ignore=media $(foreach app,$(APPS_WITH_LOCALE),--ignore=$(app))
	for app in $(APPS_WITH_LOCALE); do \
		(cd $$app && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py makemessages $(LANGS) -v0 --no-obsolete) || exit 1; \
	done
	for po in locale/*/LC_MESSAGES/django.po $(DJANGO_CATALOGUE)/*/LC_MESSAGES/*.po \
		$(foreach app,$(APPS_WITH_LOCALE),$(app)/locale/*/LC_MESSAGES/django.po); do \
		msgfmt --check-format -o $${po%.po}.mo $$po || exit 1; \
	done

migrate: $(VENV)/.installed compilemessages
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	$(BIN)/python manage.py load_demo

# The web server and, beside it, the worker that runs long work (imports, issued reports,
# consolidated reports, e-mail) at a lower CPU priority, so pages stay quick while it works;
# Ctrl+C stops both, and so does the server stopping.
run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a background worker  (Ctrl+C stops both)"
	@nice -n 10 $(BIN)/python manage.py db_worker --no-reload --no-startup-delay --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
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
