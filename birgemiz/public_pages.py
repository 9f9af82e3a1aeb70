"""What the public home page offers under each programme besides the core's own links.

The apps above the core fill it when they are ready (surveys adds its open surveys), so
the home page lists them without the core importing any of them.
"""

from dataclasses import dataclass

_PROVIDERS = []


@dataclass(frozen=True)
class PublicLink:
    program_id: int
    kind: str  # "survey"…: how the home page shows it
    title: str
    url: str
    note: str = ""


def register(provider):
    """`provider(programs)` yields a `PublicLink` for each public page of those programmes."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def links_for(programs):
    """{programme id: [PublicLink]} from every provider."""
    found = {}
    for provider in _PROVIDERS:
        for link in provider(programs):
            found.setdefault(link.program_id, []).append(link)
    return found
