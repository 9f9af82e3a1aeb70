"""Hyphenation for the report's PDF. WeasyPrint hyphenates `hyphens: auto` text with
pyphen, which has Russian patterns but no Kazakh ones; `register()` adds the Kazakh
patterns written for the product (`hyph_kk_KZ.dic`, see its header) under `kk`."""

from pathlib import Path

KAZAKH = Path(__file__).resolve().parent / "hyph_kk_KZ.dic"


def register():
    """Make `lang="kk"` hyphenate (idempotent)."""
    import pyphen

    for name in ("kk_KZ", "kk"):
        pyphen.LANGUAGES.setdefault(name, KAZAKH)
        pyphen.LANGUAGES_LOWERCASE.setdefault(name.lower(), name)


def hyphenate(word, lang, left=3, right=3):
    """`word` with «-» where the report's PDF may break it (for tests and checks)."""
    import pyphen

    register()
    return pyphen.Pyphen(lang=lang, left=left, right=right).inserted(word)
