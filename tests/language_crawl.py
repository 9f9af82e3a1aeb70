"""What the language crawler reads off a page, and what it calls a foreign string.

The English reference is every msgid of our catalogues and of Django's own (the texts a
user could meet untranslated); the other language's reference is every translation of
our catalogues into it that differs from this language's. A page fails on:
- a visible text (text node, or a title / placeholder / alt / aria-label / button value)
  that equals an English msgid, or contains a sentence-long English msgid fragment;
- a visible text of two or more English words in a row that is not data (names, codes,
  e-mails, addresses) — English nobody put in a catalogue;
- a visible text that is the other language's translation of one of our msgids.
"""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
VISIBLE_ATTRS = ("title", "placeholder", "alt", "aria-label")
SKIP_TAGS = {"script", "style", "code", "pre", "textarea", "noscript", "template"}
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}")
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]{2,}(?:[ ,]+[A-Za-z][a-z]{1,})+\b")
# Names, brands and notation that stay as they are in every language.
NOT_ENGLISH = {
    "Birgemiz",
    "Google Authenticator",
    "Microsoft Authenticator",
    "FreeOTP",
    "Excel",
    "Word",
    "Google Meet",
}


class _Text(HTMLParser):
    """Visible texts, each with the language it is marked in (the nearest `lang`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.hidden = []
        self.langs = []  # [tag, language, nested same-name tags]
        self.texts = []

    @property
    def language(self):
        return self.langs[-1][1] if self.langs else None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.langs and self.langs[-1][0] == tag:
            self.langs[-1][2] += 1
        if attrs.get("lang"):
            self.langs.append([tag, attrs["lang"].split("-")[0], 0])
        no_translate = attrs.get("translate") == "no" or "notranslate" in (attrs.get("class") or "")
        if tag in SKIP_TAGS or no_translate:
            self.skip += 1
            self.hidden.append(tag)
        if self.skip:
            return
        for name in VISIBLE_ATTRS:
            if attrs.get(name):
                self.texts.append((attrs[name], self.language))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append((attrs["value"], self.language))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()
            self.skip -= 1
        if self.langs and self.langs[-1][0] == tag:
            if self.langs[-1][2]:
                self.langs[-1][2] -= 1
            else:
                self.langs.pop()

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append((data, self.language))


def visible_texts(html):
    """[(text, language)] of a page; the language is the page's (`<html lang>`) unless an
    element says otherwise (a report shown in Russian on a Kazakh page, a language's own name)."""
    parser = _Text()
    parser.feed(html)
    return [(" ".join(t.split()), language) for t, language in parser.texts]


def _catalogues(language):
    """Every .po of ours and of Django for `language`."""
    ours = [ROOT / "locale"] + [Path(p) for p in settings.LOCALE_PATHS]
    apps = ("courses", "volunteers", "assessments", "surveys", "reporting", "demo")
    ours += [ROOT / app / "locale" for app in apps]
    ours += list((ROOT / "birgemiz").glob("**/locale"))
    django_root = Path(django.__file__).parent
    theirs = [django_root / "conf" / "locale"] + list((django_root / "contrib").glob("*/locale"))
    found = {}
    for folder in ours + theirs:
        po = folder / language / "LC_MESSAGES" / "django.po"
        if po.exists():
            found[str(po.resolve())] = folder in theirs
    return found


@cache
def english_reference():
    """(whole texts, sentence fragments): msgids a page must not show as they are."""
    whole, fragments = set(), set()
    for path in _catalogues("en"):
        for entry in polib.pofile(path):
            for msgid in (entry.msgid, entry.msgid_plural):
                text = " ".join((msgid or "").split())
                if not re.search(r"[A-Za-z]{2}", text) or text in NOT_ENGLISH:
                    continue
                if not PLACEHOLDER.search(text):
                    whole.add(text)
                for piece in PLACEHOLDER.split(text):
                    piece = piece.strip(" .,:;«»\"'()")
                    if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 3:
                        fragments.add(piece)
    return frozenset(whole), frozenset(fragments)


@cache
def translations(language):
    """Our msgid → translation for `language` (non-empty, not fuzzy)."""
    table = {}
    for path, is_django in _catalogues(language).items():
        if is_django:
            continue
        for entry in polib.pofile(path):
            if entry.msgstr and "fuzzy" not in entry.flags:
                table[(entry.msgctxt, entry.msgid)] = " ".join(entry.msgstr.split())
    return table


@cache
def other_language_texts(language, other):
    """Texts of `other` that this language never says (the same msgid reads differently)."""
    mine = translations(language)
    own_texts = set(mine.values())
    return frozenset(
        text
        for key, text in translations(other).items()
        if len(text) > 3 and text != mine.get(key) and text not in own_texts and "%" not in text
    )


def _is_data(token):
    return bool(re.search(r"[@/\d_]|\.\w", token)) or token in NOT_ENGLISH


def foreign_texts(html, language, data=()):
    """What on this page is English, or in the other of kk/ru; `data` are texts the
    programme's own records hold (names, titles), which may be in any language."""
    whole, fragments = english_reference()
    data = set(data)
    problems = []
    for text, marked in visible_texts(html):
        text_language = marked or language
        if text_language not in ("kk", "ru") or text in data or _is_data(text):
            continue  # marked as English (a language's own name), or data
        other = other_language_texts(text_language, "ru" if text_language == "kk" else "kk")
        if text in whole:
            problems.append(f"English: {text!r}")
            continue
        hit = next((f for f in fragments if f in text), None)
        if hit:
            problems.append(f"English {hit!r} in {text!r}")
            continue
        for run in ENGLISH_RUN.findall(text):
            if not any(name in run for name in NOT_ENGLISH) and not _is_data(run):
                problems.append(f"English words {run!r} in {text!r}")
                break
        else:
            if text in other:
                problems.append(f"other language: {text!r}")
    return problems
