"""What the caches hold, read the same way from the in-memory cache of the tests and from the
Redis of the PostgreSQL pass, for tests of what pages may and may not store."""

import pickle

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache


def stored():
    """Every (cache alias, key, value) the caches hold."""
    for alias in caches:
        cache = caches[alias]
        if isinstance(cache, LocMemCache):
            for key, value in list(cache._cache.items()):
                yield alias, key, pickle.loads(value)
        else:
            for key in cache.keys("*"):
                yield alias, key, cache.get(key)


def stored_keys():
    return {(alias, key) for alias, key, _value in stored()}
