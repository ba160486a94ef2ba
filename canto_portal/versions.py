"""Versions of the data cached pages show, one per scope.

An app names the scope each of its models belongs to (`watch`, called from its AppConfig);
a cached part names the scopes it shows (canto_portal/fragments.py), and its key carries
their versions. A write renews the version of its model's scope only, so a fragment rendered
before it is never read again, and fragments of other scopes stay.

Writes are seen through signals, and through `WatchedQuerySet` for the bulk writes that
send none. This module knows no app and no model."""

import time
from collections.abc import Callable, Iterable
from functools import partial

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

# Each watched model's scope, its many-to-many links' scope, and the fields whose changes no
# page shows.
_scopes: dict[type[models.Model], str] = {}
_link_scopes: dict[type[models.Model], str] = {}
_ignored_fields: dict[type[models.Model], frozenset[str]] = {}
# Per request (and per asyncio task): the versions as the request first read them. Per
# thread: the scopes read since they were last renewed.
_request = Local()
_thread = Local()


def version_key(scope: str) -> str:
    return f"portal:data-version:{scope}"


def watch(*watched: type[models.Model], scope: str, ignore_fields: Iterable[str] = ()) -> None:
    """Renew `scope`'s version whenever a row of `watched` (or one of their many-to-many
    links) is written, except a save of `ignore_fields` alone.

    Connected per model, not for every sender: a receiver for all senders would stop Django
    from deleting rows of unrelated models without loading them first."""
    for model in watched:
        _scopes[model] = scope
        _ignored_fields[model] = frozenset(ignore_fields)
        uid = f"versions-{model._meta.label}"
        post_save.connect(_on_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            # Set on every many-to-many field once its model is ready, which a watched one is.
            assert through is not None
            _link_scopes[through] = scope
            m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"versions-{field}")


def watched_models() -> dict[type[models.Model], str]:
    """Every watched model with its scope."""
    return dict(_scopes)


def scope_of(model: type[models.Model]) -> str | None:
    return _scopes.get(model._meta.concrete_model or model)


def versions(scopes: Iterable[str]) -> list[int]:
    """The versions of `scopes`, read once per request: a page with several cached parts asks
    the shared cache once for each scope."""
    scopes = list(scopes)
    if unknown := set(scopes) - set(_scopes.values()):
        # A version nothing renews would keep its parts for good.
        raise LookupError(f"No model is watched for {sorted(unknown)}.")
    known = getattr(_request, "versions", None)
    if known is None:
        known = {}
        if getattr(_request, "active", False):
            _request.versions = known
    missing = [scope for scope in scopes if scope not in known]
    if missing:
        stored = cache.get_many([version_key(scope) for scope in missing])
        for scope in missing:
            version = stored.get(version_key(scope))
            if version is None:
                # A fresh number rather than 1: parts cached under an evicted version must not
                # become readable again.
                cache.add(version_key(scope), time.time_ns(), timeout=None)
                version = cache.get(version_key(scope))
            known[scope] = version
    _read_since_renewal().update(scopes)
    return [known[scope] for scope in scopes]


def changed(scope: str) -> None:
    """Makes every part that shows `scope` unreachable.

    Outside a transaction the write is committed: renew now. Inside one, other processes see
    the write when it commits, so the version is renewed then; this thread sees it at once,
    so the version is also renewed now if the thread has read it since its last renewal (an
    import of a thousand rows renews it twice, not a thousand times)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        renew(scope)
        return
    at_commit = _renewal_at_commit(scope)
    if not any(callback is at_commit for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(at_commit)
        renew(scope)
    elif scope in _read_since_renewal():
        renew(scope)


def renew(*scopes: str) -> None:
    """Renews the versions of `scopes`, or of every watched scope when none is named."""
    for scope in scopes or set(_scopes.values()):
        cache.set(version_key(scope), time.time_ns(), timeout=None)
        _read_since_renewal().discard(scope)
        # The writer's own request reads its change back under the new version.
        if known := getattr(_request, "versions", None):
            known.pop(scope, None)


_at_commit: dict[str, Callable[[], None]] = {}


def _renewal_at_commit(scope: str) -> Callable[[], None]:
    """One callable per scope, so that a transaction's pending renewal is recognised."""
    return _at_commit.setdefault(scope, partial(renew, scope))


def _read_since_renewal() -> set[str]:
    if not hasattr(_thread, "read"):
        _thread.read = set()
    return _thread.read


class WatchedQuerySet(models.QuerySet):
    """The default queryset of a watched model: its bulk writes, which send no signal,
    renew its scope's version too."""

    def _changed(self) -> None:
        if scope := scope_of(self.model):
            changed(scope)

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        self._changed()
        return rows

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        self._changed()
        return created

    bulk_create.alters_data = True  # type: ignore[attr-defined]

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        self._changed()
        return rows

    bulk_update.alters_data = True  # type: ignore[attr-defined]

    def delete(self):
        deleted = super().delete()
        self._changed()
        return deleted

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


def _on_save(sender, update_fields=None, **kwargs):
    if update_fields is None or not set(update_fields) <= _ignored_fields[sender]:
        changed(_scopes[sender])


def _on_delete(sender, **kwargs):
    changed(_scopes[sender])


def _on_m2m(sender, action, **kwargs):
    if action.startswith("post_"):
        changed(_link_scopes[sender])


def _on_migrate(**kwargs):
    # Data migrations write without signals.
    renew()


def _request_started(**kwargs):
    _request.active = True
    _request.versions = None


def _request_finished(**kwargs):
    _request.active = False
    _request.versions = None


def connect() -> None:
    request_started.connect(_request_started, dispatch_uid="versions-request-started")
    request_finished.connect(_request_finished, dispatch_uid="versions-request-finished")
    post_migrate.connect(_on_migrate, dispatch_uid="versions-migrate")
