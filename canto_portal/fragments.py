"""Rendered parts of pages, kept in the shared cache until the data they show changes.

The lists most people open (the directory, the register, briefings, representatives…) are
rendered once and then read from the cache. A part's cache key carries:
- the versions of the scopes it `shows` (canto_portal/versions.py), so that a part rendered
  before a change to what it shows is never read again;
- today's date, because standing, terms ending and agreements expiring move with it;
- the active language;
- its `key`: a frozen dataclass holding everything the part depends on (a clearance, the
  filters, a page). The part is computed from that key alone, its only argument, so it
  cannot depend on something its key does not hold.

Parts are rendered without the request: no login, no CSRF token, no message can leak from
one viewer's part into another's. Whatever depends on the viewer stays outside."""

import contextlib
import dataclasses
import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.cache import cache, caches
from django.core.paginator import Page
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from canto_portal.versions import versions

local_cache = caches["local"]
# A bound on memory, not on staleness: a changed part is unreachable at once.
TIMEOUT = 10 * 60
# How a ticked box reaches a query string.
CHECKED = {"on", "true", "1"}


@dataclasses.dataclass(frozen=True)
class NotKept:
    """What a part's compute function returns to have `value` shown this once and not kept:
    computed from free text or from a value outside a bounded set, it would add an entry to
    the cache for each new value a visitor sends."""

    value: Any


def cached(
    name: str,
    compute: Callable[..., Any],
    *,
    shows: Iterable[str],
    key: Any = None,
    timeout: Callable[[Any], float] | None = None,
) -> Any:
    """What `compute(key)` (or `compute()` without a key) returns, anything the cache can
    pickle, None included, computed once for the same data of `shows`, day, language and key.

    `timeout(value)` may shorten the time it is kept, for a value that changes with the time
    of day rather than with the data.

    Each process also keeps what it read in its own memory: a key names one version of the
    data, so what it holds can never change, only expire."""
    if key is not None and not _is_frozen_dataclass(key):
        raise TypeError(f"The key of {name!r} must be a frozen dataclass, not {key!r}.")
    cache_key = part_key(name, shows, key)
    entry = local_cache.get(cache_key)
    if entry is None:
        entry = cache.get(cache_key)
        if entry is None:
            with parts_read() as inner:
                value = compute() if key is None else compute(key)
            if isinstance(value, NotKept) or not inner.kept:
                _read(None)
                return value.value if isinstance(value, NotKept) else value
            seconds = TIMEOUT if timeout is None else min(TIMEOUT, timeout(value))
            # A part built from other parts lives no longer than they do.
            seconds = int(min(seconds, inner.until - time.time()))
            entry = (time.time() + seconds, value)
            if seconds > 0:
                cache.set(cache_key, entry, seconds)
        remaining = entry[0] - time.time()
        if remaining > 0:
            local_cache.set(cache_key, entry, remaining)
    _read(entry[0])
    return entry[1]


@dataclasses.dataclass
class PartsRead:
    """What the parts read while computing another part say of how long it may be kept:
    until the first of them expires, and not at all if one of them was not kept."""

    until: float = float("inf")
    kept: bool = True


# Per thread: the parts being computed, innermost last.
_computing = threading.local()


@contextlib.contextmanager
def parts_read():
    stack = _computing.__dict__.setdefault("stack", [])
    stack.append(PartsRead())
    try:
        yield stack[-1]
    finally:
        stack.pop()


def _read(expires_at: float | None) -> None:
    """Tells the part being computed, if any, that a part expiring at `expires_at` (None:
    not kept) went into it."""
    stack = getattr(_computing, "stack", None)
    if not stack:
        return
    if expires_at is None:
        stack[-1].kept = False
    else:
        stack[-1].until = min(stack[-1].until, expires_at)


def fragment(
    name: str,
    template_name: str,
    context: Callable[..., Any],
    *,
    shows: Iterable[str],
    key: Any = None,
) -> SafeString:
    """`template_name` rendered with the context `context(key)` (or `context()`) returns,
    from the cache when rendered before for the same data, day, language and key. The context
    may come wrapped in NotKept."""

    def render(*key):
        value = context(*key)
        if isinstance(value, NotKept):
            return NotKept(render_to_string(template_name, value.value))
        return render_to_string(template_name, value)

    # Rendered by our own template, which escaped what it had to.
    return mark_safe(cached(name, render, shows=shows, key=key))


def part_key(name: str, shows: Iterable[str], key: Any) -> str:
    shows = sorted(shows)
    parts = [
        *versions(shows),
        timezone.localdate().isoformat(),
        translation.get_language(),
        key,
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"portal:fragment:{name}:{digest}"


def _is_frozen_dataclass(value: Any) -> bool:
    params = getattr(type(value), "__dataclass_params__", None)
    return params is not None and params.frozen


def seconds_until(moment) -> float:
    """Whole seconds from now until `moment` (None: no limit), for `cached`'s timeout."""
    if moment is None:
        return TIMEOUT
    return max(0, int((moment - timezone.now()).total_seconds()))


def known_parameters(request, names: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The query string's non-empty values of `names`, in order, so that other parameters
    neither reach a cached listing nor add entries to the cache."""
    return tuple((name, request.GET[name]) for name in names if request.GET.get(name))


def bounded(form: forms.Form, params: dict[str, str], page: Page) -> bool:
    """Whether a listing's parameters are each one of a bounded set of values, spelled as the
    portal spells them: a choice the form offers, a known object's key, a ticked box, a page
    number within the page count. Free text, unknown values and other spellings of known
    ones are shown but never kept: each would add an entry to the cache."""
    if params.get("page", str(page.number)) not in {str(page.number), "last"}:
        return False
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    for name, raw in params.items():
        if name == "page":
            continue
        field = form.fields.get(name)
        if field is None or name not in cleaned:
            return False
        if isinstance(field, forms.ModelChoiceField):
            if str(field.prepare_value(cleaned[name])) != raw:
                return False
        elif isinstance(field, forms.BooleanField):
            if raw not in CHECKED:
                return False
        elif not isinstance(field, forms.ChoiceField):
            return False
    return True
