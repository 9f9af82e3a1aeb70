"""Build the trimmed Bootstrap the portal pages load instead of the full 232 KB file.

    python manage.py build_portal_css

Keeps every rule of `static/vendor/bootstrap/bootstrap.min.css` whose selectors use
only classes that appear in the portal's templates (base.html, courses templates and
the crispy-forms Bootstrap 5 templates that render their forms), plus every rule that
uses no class at all (reboot, variables). Run it again after adding a Bootstrap class
to a portal template; `tests/test_volunteer_portal.py` fails until you do.
"""

import re
from pathlib import Path

import crispy_bootstrap5
import tinycss2
from django.conf import settings
from django.core.management.base import BaseCommand

SOURCE = "vendor/bootstrap/bootstrap.min.css"
TARGET = "vendor/bootstrap/bootstrap.portal.min.css"
CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
# `:not(.x)` matches elements without x: an unused x must not drop the rule.
NEGATION = re.compile(r":not\([^()]*\)")
TOKEN = re.compile(r"[a-zA-Z][a-zA-Z0-9_-]*")
# Built at run time from a variable (message tags, lesson status): list them by hand.
DYNAMIC = {"alert-success", "alert-info", "alert-warning", "alert-danger", "alert-error"}


def static_dir():
    return Path(settings.BASE_DIR) / "static"


def template_files():
    base = Path(settings.BASE_DIR)
    yield base / "templates" / "base.html"
    yield base / "templates" / "_program_nav.html"
    yield from sorted((base / "courses" / "templates").rglob("*.html"))
    yield base / "courses" / "forms.py"
    yield from sorted((Path(crispy_bootstrap5.__file__).parent / "templates").rglob("*.html"))


def used_tokens():
    """Every word in the templates: generous on purpose, a stray word only keeps a rule."""
    tokens = set(DYNAMIC)
    for path in template_files():
        tokens.update(TOKEN.findall(path.read_text(encoding="utf-8")))
    return tokens


def _keep_selectors(prelude, tokens):
    selectors = [s.strip() for s in tinycss2.serialize(prelude).split(",")]
    return [s for s in selectors if all(c in tokens for c in CLASS.findall(NEGATION.sub("", s)))]


def _trim(rules, tokens):
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = _keep_selectors(rule.prelude, tokens)
            if kept:
                out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content).strip() + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
            children = tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True)
            inner = _trim(children, tokens)
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}{{{''.join(inner)}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "keyframes":
            out.append(("keyframes", tinycss2.serialize(rule.prelude).strip(), rule.serialize()))
    return out


def build(css, tokens):
    banner = re.search(r"/\*!.*?\*/", css, re.S).group(0)
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    trimmed = _trim(rules, tokens)
    body = "".join(r for r in trimmed if isinstance(r, str))
    # Keep an animation only when a kept rule still runs it.
    frames = "".join(r[2] for r in trimmed if not isinstance(r, str) and r[1] in body)
    note = "/* Subset for the volunteer portal: python manage.py build_portal_css */"
    return f'@charset "UTF-8";{banner}{note}{body}{frames}\n'


class Command(BaseCommand):
    help = "Write static/vendor/bootstrap/bootstrap.portal.min.css, the Bootstrap subset the portal uses."

    def handle(self, *args, **options):
        source = static_dir() / SOURCE
        target = static_dir() / TARGET
        css = source.read_text(encoding="utf-8")
        result = build(css, used_tokens())
        target.write_text(result, encoding="utf-8")
        self.stdout.write(f"{target}: {len(result.encode()):,} bytes (from {len(css.encode()):,})")
