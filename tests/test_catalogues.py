"""The gettext catalogues: one per app, and no message translated two ways.

Django merges every catalogue of a language into one table at run time, so a
(context, msgid) translated differently in two catalogues shows one of them
everywhere; a short word that means two things needs a `pgettext` context instead.
"""

import gettext
import os
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
CHECKED = ("kk", "ru")
SKIP_DIRS = {"node_modules", "media", "staticfiles", "static", "__pycache__", "bench-out"}


def catalogues(lang=None):
    """Every django.po of the project, found by walking the repository (not .venv)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
        path = Path(dirpath)
        if "django.po" in filenames and path.name == "LC_MESSAGES" and path.parent.parent.name == "locale":
            if lang is None or path.parent.name == lang:
                found.append(path / "django.po")
    return found


def name(po_path):
    return str(po_path.relative_to(ROOT))


def value(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return entry.msgstr


def live(po):
    return [e for e in po if not e.obsolete]


def test_it_finds_one_catalogue_per_app():
    dirs = {p.parent.parent.parent for p in catalogues("kk")}
    assert ROOT / "locale" in dirs  # the core (birgemiz/ without its registers) and templates/
    for config in apps.get_app_configs():
        app_dir = Path(config.path)
        ours = ROOT in app_dir.parents and not app_dir.relative_to(ROOT).parts[0].startswith(".")
        if ours and app_dir != ROOT / "birgemiz":
            assert app_dir / "locale" in dirs, f"{config.label} has no catalogue of its own"
    for lang in ("kk", "ru", "en"):
        assert len(catalogues(lang)) == len(dirs), f"a catalogue misses {lang}"


@pytest.mark.parametrize("lang", CHECKED)
def test_it_translates_each_message_one_way(lang):
    seen = defaultdict(lambda: defaultdict(list))
    for po_path in catalogues(lang):
        for entry in live(polib.pofile(str(po_path))):
            if entry.translated():
                seen[(entry.msgctxt, entry.msgid)][value(entry)].append(name(po_path))
    clashes = [
        f"{ctx or ''}|{msgid!r}: " + "; ".join(f"{text!r} in {', '.join(at)}" for text, at in texts.items())
        for (ctx, msgid), texts in sorted(seen.items(), key=str)
        if len(texts) > 1
    ]
    assert not clashes, "translated two ways (pick one wording or give a context):\n" + "\n".join(clashes)


def nplurals(po):
    return int(po.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])


@pytest.mark.parametrize("lang", CHECKED)
def test_it_has_no_fuzzy_or_untranslated_entries(lang):
    problems = []
    for po_path in catalogues(lang):
        po = polib.pofile(str(po_path))
        for entry in live(po):
            if "fuzzy" in entry.flags:
                problems.append(f"{name(po_path)}: fuzzy {entry.msgctxt or ''}|{entry.msgid!r}")
            elif not entry.translated():
                problems.append(f"{name(po_path)}: untranslated {entry.msgctxt or ''}|{entry.msgid!r}")
            elif entry.msgid_plural and len(entry.msgstr_plural) != nplurals(po):
                # A missing form falls back to another language at run time.
                problems.append(f"{name(po_path)}: {len(entry.msgstr_plural)} plural forms {entry.msgid!r}")
    assert not problems, "\n".join(problems)


def compiled(entries):
    return {(e.msgctxt, e.msgid): value(e) for e in entries if e.msgid}


@pytest.mark.parametrize("po_path", catalogues(), ids=name)
def test_its_compiled_catalogue_matches_the_source(po_path):
    # A checkout resets file times, so compare contents: compile the .po in memory.
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{name(mo_path)} is missing: run make messages"
    po = polib.pofile(str(po_path))
    expected = polib.mofile(po.to_binary())
    committed = polib.mofile(str(mo_path))
    assert compiled(committed) == compiled(expected), f"{name(mo_path)} is stale: run make messages"
    assert committed.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")


@pytest.mark.parametrize("lang", CHECKED)
def test_it_shows_every_catalogue_translation_at_run_time(lang):
    # The merged table must give back what each catalogue says, whatever the precedence:
    # a clash with another of our catalogues or with a library's (admin, auth…) shows here.
    wrong = []
    with translation.override(lang):
        for po_path in catalogues(lang):
            po = polib.pofile(str(po_path))
            plural = gettext.c2py(po.metadata["Plural-Forms"].split("plural=")[1].rstrip(";"))
            for entry in po.translated_entries():
                ctx, msgid = entry.msgctxt, entry.msgid
                if entry.msgid_plural:
                    for n in (1, 2, 5, 21):
                        if ctx:
                            shown = translation.npgettext(ctx, msgid, entry.msgid_plural, n)
                        else:
                            shown = translation.ngettext(msgid, entry.msgid_plural, n)
                        if shown != entry.msgstr_plural.get(plural(n)):
                            wrong.append(f"{name(po_path)}: {ctx or ''}|{msgid!r} ({n}) shows {shown!r}")
                else:
                    shown = translation.pgettext(ctx, msgid) if ctx else translation.gettext(msgid)
                    if shown != entry.msgstr:
                        wrong.append(f"{name(po_path)}: {ctx or ''}|{msgid!r} shows {shown!r}")
    assert not wrong, "\n".join(wrong)
