"""Attention items: what needs doing, for one panel, from providers the apps register.

Each app owns the providers for its own data (agreements/attention.py, members/attention.py)
and registers them for a panel; a page asks `items_for(panel, subject)` and shows what comes
back, so a new sub-domain adds a line of its own without any page changing. Domain-free: the
subject a provider receives is whatever its panel is about (a day, a member)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How urgent an item is; also the CSS class of its badge."""

    OVERDUE = "overdue"
    SOON = "soon"
    INFO = "info"


@dataclass(frozen=True)
class AttentionItem:
    """One line of a panel: what (label), how many or which (count, detail), where it is
    handled (link) and how urgent it is."""

    label: str
    link: str
    severity: Severity = Severity.INFO
    count: int | None = None
    detail: str = ""


type Provider = Callable[[Any], Iterable[AttentionItem]]

# Panels by name: each a list of providers, in the order they were registered.
PANELS: dict[str, list[Provider]] = {}

BOARD = "board"
MEMBER = "member"
SECRETARIAT = "secretariat"


# The cache scopes (canto_portal/versions.py) each panel's items are read from, so that a
# panel kept in the cache is renewed whenever one of them changes.
SCOPES: dict[str, set[str]] = {}


def provides(panel: str, *, shows: Iterable[str] = ()) -> Callable[[Provider], Provider]:
    """Registers a provider for `panel` (once, however often its module is imported); `shows`
    names the cache scopes of the data it reads."""

    def register(provider: Provider) -> Provider:
        providers = PANELS.setdefault(panel, [])
        if provider not in providers:
            providers.append(provider)
        SCOPES.setdefault(panel, set()).update(shows)
        return provider

    return register


def scopes_of(panel: str) -> list[str]:
    return sorted(SCOPES.get(panel, ()))


def items_for(panel: str, subject: Any) -> list[AttentionItem]:
    """Every item the providers of `panel` give for `subject`; empty counts are left out."""
    return [
        item
        for provider in PANELS.get(panel, [])
        for item in provider(subject)
        if item.count is None or item.count > 0
    ]
