"""Actions started at the same moment from several database connections, for the tests of
what the database must hold when two people act at once (PostgreSQL: SQLite serialises
writers)."""

import threading
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection


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
