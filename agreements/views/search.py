"""Search for logged-in users: one box over members, agreements and briefings."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from agreements.search import MAX_QUERY_LENGTH, search
from members.access import ANY_LOGIN, requires
from members.roles import roles_for


@require_GET
@requires(ANY_LOGIN)
def search_page(request):
    """Results are never cached: the query is free text."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    return render(
        request,
        "search/results.html",
        {"query": query, "results": search(query=query, roles=roles_for(request))},
    )
