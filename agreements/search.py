"""One search over members, agreements and briefings, returning only what the viewer may
see: the members directory's rule, the agreements' confidentiality and the briefings'
audience. PostgreSQL ranks by full-text relevance; SQLite, used in development and most
tests, finds rows containing every word of the query."""

import operator
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

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
    clearance = Clearance.of(roles)
    members = (
        Member.objects.profiles_visible_to(roles)
        if roles.may_use_directory
        else Member.objects.none()
    )
    return Results(
        members=found(
            members, ("name", "city", "description"), query, shown=("name", "slug", "city")
        ),
        agreements=found(
            Agreement.objects.visible_to(clearance),
            ("reference", "title", "summary"),
            query,
            shown=("reference", "title"),
        ),
        briefings=found(
            Briefing.objects.visible_to(clearance),
            ("title", "body"),
            query,
            shown=("title", "slug"),
        ),
    )


def found(rows: QuerySet, fields: tuple[str, ...], query: str, *, shown: tuple[str, ...]) -> list:
    """The best results, read with only the columns the results page shows (`shown`): the
    searched text, a description or a briefing's body, stays in the database."""
    return list(matching(rows.select_related(None).only(*shown), fields, query)[:SHOWN_PER_KIND])
