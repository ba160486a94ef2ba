"""What the agreements pages share: cached filtered lists and private files."""

from abc import ABCMeta, abstractmethod
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from agreements.services import (
    Clearance,
)
from canto_portal.fragments import NotKept, bounded, fragment, known_parameters
from members.access import RequiresAccess
from members.roles import roles_for


def page_or_404(rows, number, per_page):
    """One page of `rows`, numbered as ListView numbers them ("last" included); a page that
    does not exist answers 404, so it is never cached."""
    paginator = Paginator(rows, per_page)
    try:
        return paginator.page(paginator.num_pages if number == "last" else number or 1)
    except InvalidPage as error:
        raise Http404(_("No such page.")) from error


@dataclass(frozen=True)
class ListQuery:
    """What a cached list depends on: the viewer's clearance and the known parameters, as
    (name, value) pairs."""

    clearance: Clearance
    params: tuple[tuple[str, str], ...]


class CachedListView(RequiresAccess, View, metaclass=ABCMeta):
    """A list of what the viewer's clearance admits, filtered by a form and paged by the
    known query parameters, with page links that keep the filters. Its filters, page and
    links are one fragment, shared by every viewer with the same clearance and parameters.

    Subclasses name their templates, `parameters` and the scopes the list `shows`, and say
    in the class method `filter(clearance, filters)` which form and rows the filters give."""

    template_name: str
    listing_template_name: str
    parameters: tuple[str, ...] = ()
    shows: tuple[str, ...] = ()
    paginate_by: int
    context_object_name: str

    def get(self, request):
        listing = fragment(
            # Named after its template: one fragment per template.
            self.listing_template_name,
            self.listing_template_name,
            # A class method: computed from the key alone, never from the request.
            self.listing,
            key=ListQuery(
                Clearance.of(roles_for(request)), known_parameters(request, self.parameters)
            ),
            shows=self.shows,
        )
        return render(request, self.template_name, {"listing": listing})

    @classmethod
    @abstractmethod
    def filter(cls, clearance: Clearance, filters: dict[str, str]) -> tuple[Form, QuerySet]:
        """The filter form and the rows `filters` give, of what `clearance` admits."""

    @classmethod
    def listing(cls, query: ListQuery) -> dict | NotKept:
        params = dict(query.params)
        filters = {name: value for name, value in params.items() if name != "page"}
        form, rows = cls.filter(query.clearance, filters)
        page = page_or_404(rows, params.get("page"), cls.paginate_by)
        context = {
            "filter_form": form,
            "page_obj": page,
            cls.context_object_name: page.object_list,
            "query": urlencode(filters),
            "may_see_register": query.clearance.may_see_register,
        }
        return context if bounded(form, params, page) else NotKept(context)


def private_pdf_response(field_file, filename):
    """A PDF from private storage as a download, for views that have checked permission."""
    try:
        file = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file is missing from storage.")) from error
    response = FileResponse(
        file, as_attachment=True, filename=filename, content_type="application/pdf"
    )
    # Browsers must not guess another type from the content, nor shared caches keep a copy.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
