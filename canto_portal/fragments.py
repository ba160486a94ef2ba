"""Rendered parts of pages, kept in the shared cache until the data they show changes.

The lists most people open (the directory, the register, briefings, representatives…) are
rendered once and then read from the cache (issue 8). A fragment's key carries:
- the portal's data version, replaced by any write to the data pages show (see
  `watch_models`), so that a fragment rendered before a change is never read again;
- today's date, because standing, terms ending and agreements expiring move with it;
- the active language;
- what the caller says the fragment varies on (filters, page, the viewer's kind of access).

Fragments are rendered without the request: no login, no CSRF token, no message can leak
from one viewer's fragment into another's. Whatever depends on the viewer stays outside."""

import hashlib
import time

from asgiref.local import Local
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

VERSION_KEY = "portal:data-version"
local_cache = caches["local"]
# Per thread (and per asyncio task): the version as the current request first read it, and
# whether the thread read the version since it last renewed it.
_request = Local()
_thread = Local()
# A bound on memory, not on staleness: a changed fragment is unreachable at once.
TIMEOUT = 10 * 60

# Apps whose data the cached pages show, and the models of theirs no page shows: writes to
# those (an email marked sent, an alert remembered) leave the fragments alone.
WATCHED_APPS = ("members", "agreements")
UNWATCHED_MODELS = {"agreements.BriefingDelivery", "agreements.SentAlert"}


def data_version():
    """The version, read once per request: a page with several fragments asks only once."""
    _thread.version_read = True
    version = getattr(_request, "version", None)
    if version is None:
        version = cache.get(VERSION_KEY)
        if version is None:
            # A fresh number rather than 1: fragments cached under an evicted version must
            # not become readable again.
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
            version = cache.get(VERSION_KEY)
        if getattr(_request, "active", False):
            _request.version = version
    return version


def data_changed():
    """Makes every fragment rendered so far unreachable.

    Outside a transaction the write is committed: renew now. Inside one, other processes see
    the write when it commits, so the version is renewed then; this thread sees it at once,
    so the version is also renewed now if the thread has read it since its last renewal (an
    import of a thousand rows renews it twice, not a thousand times)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        renew_version()
        return
    if not any(callback is renew_version for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(renew_version)
        renew_version()
    elif getattr(_thread, "version_read", True):
        renew_version()


def renew_version():
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    _thread.version_read = False
    # The writer's own request reads its change back under the new version.
    _request.version = None


def _request_started(**kwargs):
    _request.active = True
    _request.version = None


def _request_finished(**kwargs):
    _request.active = False
    _request.version = None


def fragment(name, template_name, context, vary_on=()):
    """`template_name` rendered with `context`, from the cache when the same fragment was
    rendered for the same data, day, language and `vary_on`.

    `context` may be a callable returning the context, so that its queries run only when the
    fragment is not in the cache."""

    def render():
        return render_to_string(template_name, context() if callable(context) else context)

    # Rendered by our own template, which escaped what it had to.
    return mark_safe(cached(name, render, vary_on))


def cached(name, compute, vary_on=(), timeout=None):
    """What `compute()` returns (anything the cache can pickle, None included), computed once
    for the same data, day, language and `vary_on`.

    `timeout(value)` may shorten the time it is kept, for a value that changes with the time
    of day rather than with the data.

    Each process also keeps what it read in its own memory: a key names one version of the
    data, so what it holds can never change, only expire."""
    key = fragment_key(name, vary_on)
    entry = local_cache.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is None:
            value = compute()
            seconds = TIMEOUT if timeout is None else min(TIMEOUT, timeout(value))
            entry = (time.time() + seconds, value)
            if seconds > 0:
                cache.set(key, entry, seconds)
        remaining = entry[0] - time.time()
        if remaining > 0:
            local_cache.set(key, entry, remaining)
    return entry[1]


def seconds_until(moment):
    """Whole seconds from now until `moment` (None: no limit), for `cached`'s timeout."""
    if moment is None:
        return TIMEOUT
    return max(0, int((moment - timezone.now()).total_seconds()))


def known_parameters(request, names):
    """The query string's non-empty values of `names`, so that other parameters neither reach
    a cached listing nor add entries to the cache."""
    return {name: request.GET[name] for name in names if request.GET.get(name)}


def fragment_key(name, vary_on):
    parts = [
        data_version(),
        timezone.localdate().isoformat(),
        translation.get_language(),
        *vary_on,
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"portal:fragment:{name}:{digest}"


def _on_write(sender, **kwargs):
    data_changed()


# Stamps written at every login (the login's `last_login`, an authenticator's `last_used_at`):
# they change nothing a page or a role shows, and must not empty the cache each time.
BOOKKEEPING_FIELDS = {"last_login", "last_used_at"}


def _on_login_saved(sender, update_fields=None, **kwargs):
    if update_fields is None or not set(update_fields) <= BOOKKEEPING_FIELDS:
        data_changed()


def _on_m2m(sender, action, **kwargs):
    if action.startswith("post_"):
        data_changed()


def watch_models():
    """Connected per model, not for every sender: a receiver for all senders would stop
    Django from deleting rows of unrelated models without loading them first."""
    for app_label in WATCHED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.label in UNWATCHED_MODELS:
                continue
            post_save.connect(_on_write, sender=model, dispatch_uid=f"fragments-{model}")
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"fragments-del-{model}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_m2m, sender=field.remote_field.through, dispatch_uid=f"fragments-{field}"
                )
    # Roles (members/roles.py), logins and their permissions (members/backends.py) are cached
    # too: they read a login, its groups, permissions and authenticators.
    user = get_user_model()
    post_save.connect(_on_login_saved, sender=user, dispatch_uid="fragments-login")
    post_delete.connect(_on_write, sender=user, dispatch_uid="fragments-del-login")
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"fragments-{through}")
    post_save.connect(_on_write, sender=Group, dispatch_uid="fragments-group")
    post_delete.connect(_on_write, sender=Group, dispatch_uid="fragments-del-group")
    authenticator = apps.get_model("mfa", "Authenticator")
    post_save.connect(_on_login_saved, sender=authenticator, dispatch_uid="fragments-mfa")
    post_delete.connect(_on_write, sender=authenticator, dispatch_uid="fragments-del-mfa")
    request_started.connect(_request_started, dispatch_uid="fragments-request-started")
    request_finished.connect(_request_finished, dispatch_uid="fragments-request-finished")
    # Data migrations write without signals.
    post_migrate.connect(_on_write, dispatch_uid="fragments-migrate")
