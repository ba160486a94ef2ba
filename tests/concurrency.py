"""Actions started at the same moment from several database connections, for the tests of
what the database must hold when two people act at once (PostgreSQL: SQLite serialises
writers), and of what people are answered then (both databases, SQLite on a file)."""

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections


def at_once(
    actions: list[Callable[[], Any]],
    *,
    prepare: Callable[[int], None] | None = None,
) -> list[Any]:
    """Runs each action in its own thread, so on its own connection, all released together
    (each after `prepare(its index)`, if given); returns what each returned, or the
    ValidationError it was refused with."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            if prepare:
                prepare(index)
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except ValidationError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@contextlib.contextmanager
def database_file(folder: Path) -> Iterator[Callable[[int], None] | None]:
    """On SQLite, the test database copied to a file in `folder`, which this thread uses
    until the block ends; yields the `prepare` for at_once that points each of its threads
    there too. The in-memory test database's shared cache refuses a second writer at once,
    where connections to a file wait for each other as the portal's do. On PostgreSQL the
    test database is already shared: nothing changes, and it yields None. Needs a test with
    transaction=True, whose data is committed and so copied."""
    if connection.vendor != "sqlite":
        yield None
        return
    path = str(folder / "concurrent.sqlite3")
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    settings = {**connection.settings_dict, "NAME": path}
    in_memory = connections[DEFAULT_DB_ALIAS]

    def use_the_file(_index: int = 0) -> None:
        connections[DEFAULT_DB_ALIAS] = type(in_memory)(settings, DEFAULT_DB_ALIAS)

    use_the_file()
    try:
        yield use_the_file
    finally:
        connection.close()
        connections[DEFAULT_DB_ALIAS] = in_memory
