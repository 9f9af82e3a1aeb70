"""Input formats of typed dates, the same in every language: dd.mm.yyyy (and the
yyyy-mm-dd a date picker sends). No two-digit year: Django's own Russian and English
formats read 01.05.68 as 2068. Output formats stay Django's (FORMAT_MODULE_PATH falls
back to them for everything not set here)."""

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d",
]
