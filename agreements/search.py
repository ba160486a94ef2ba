"""One search over members, agreements and briefings, returning only what the viewer may
see: the members directory's rule, the agreements' confidentiality and the briefings'
audience. PostgreSQL ranks by full-text relevance; SQLite, used in development and most
tests, finds rows containing every word of the query."""

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Model, Q, QuerySet

from agreements.models import Agreement, Briefing, Clearance
from members.models import Member
from members.roles import Roles

# Each kind of result shows at most this many rows: the page costs the same whatever the
# register holds.
SHOWN_PER_KIND = 20
# Longer queries are cut: nobody types more, and it bounds the work a query asks for.
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Results:
    members: list[Member]
    agreements: list[Agreement]
    briefings: list[Briefing]

    def __bool__(self) -> bool:
        return bool(self.members or self.agreements or self.briefings)


def matching(rows: QuerySet, fields: tuple[str, ...], query: str) -> QuerySet:
    """The rows of `rows` matching `query` in any of `fields`, best first. On PostgreSQL the
    vector is an alias, matched and ranked but not read: a GIN index on the same expression
    (migration agreements 0009) finds the rows without parsing every text."""
    if connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config="simple")
        vector = SearchVector(*fields, config="simple")
        return (
            rows.alias(search_vector=vector, search_rank=SearchRank(vector, search))
            .filter(search_vector=search)
            .order_by("-search_rank", "pk")
        )
    words = query.split()
    every_word = reduce(
        operator.and_,
        (
            reduce(operator.or_, (Q(**{f"{field}__icontains": word}) for field in fields))
            for word in words
        ),
    )
    return rows.filter(every_word).order_by("pk")


def search(*, query: str, roles: Roles) -> Results:
    """What `query` finds among the members, agreements and briefings `roles` may see."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query.split():
        return Results([], [], [])
    access = Access(
        clearance=Clearance.of(roles),
        may_use_directory=roles.may_use_directory,
        is_secretariat=roles.is_secretariat,
    )
    if connection.vendor == "postgresql":
        return Results(*(statement.run(query) for statement in statements(access)))
    return Results(*(list(rows(query)) for rows in searches(access)))


@dataclass(frozen=True)
class Access:
    """What decides the rows a viewer's search may return."""

    clearance: Clearance
    may_use_directory: bool
    is_secretariat: bool


def searches(access: Access) -> list[Callable[[str], QuerySet]]:
    """For each kind of result, in the order Results holds them, the best rows matching a
    query that `access` may see, read with only the columns the results page shows: the
    searched text, a description or a briefing's body, stays in the database."""
    members = (
        Member.objects.profiles_visible_to(access)
        if access.may_use_directory
        else Member.objects.none()
    )
    kinds = [
        (members, ("name", "city", "description"), ("name", "slug", "city")),
        (
            Agreement.objects.visible_to(access.clearance),
            ("reference", "title", "summary"),
            ("reference", "title"),
        ),
        (Briefing.objects.visible_to(access.clearance), ("title", "body"), ("title", "slug")),
    ]
    return [
        functools.partial(found, rows.select_related(None).only(*shown), fields)
        for rows, fields, shown in kinds
    ]


def found(rows: QuerySet, fields: tuple[str, ...], query: str) -> QuerySet:
    return matching(rows, fields, query)[:SHOWN_PER_KIND]


# Stands for the words of a search in a statement built before any search is made.
WORDS = "\x1fthe words searched for\x1f"


@dataclass(frozen=True)
class Statement:
    """One kind's search as PostgreSQL runs it, with WORDS where the words go."""

    model: type[Model]
    # None for a kind the viewer may not search (the directory, for some).
    sql: str | None
    params: tuple = ()

    def run(self, query: str) -> list:
        if self.sql is None:
            return []
        params = tuple(query if param == WORDS else param for param in self.params)
        return list(self.model._default_manager.raw(self.sql, params))


@functools.lru_cache(maxsize=16)
def statements(access: Access) -> list[Statement]:
    """The searches for `access`, built by the ORM once per process. A full-text query's
    shape does not depend on its words, only its parameters do, and building it took four
    fifths of a search's time: the statement is kept and only the words change."""
    built = []
    for search_for in searches(access):
        rows = search_for(WORDS)
        try:
            sql, params = rows.query.sql_with_params()
        except EmptyResultSet:
            built.append(Statement(rows.model, None))
        else:
            built.append(Statement(rows.model, sql, tuple(params)))
    return built
