"""Sections, in order: agreement register (issue 4), council seats (issue 5), briefings
(issue 6).

The pages most people open are rendered from the cache (canto_portal/fragments.py, issue 8).
Who may open a page is decided for every request; what a cached part shows is computed from
the viewer's Clearance (or another kind of access) and the known query parameters only, and
keyed on exactly those, so it never depends on who the viewer is."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import ListView

from agreements.forms import BriefingFilterForm, RegisterFilterForm, ReviewForm
from agreements.models import Agreement, Briefing
from agreements.resources import register_export_response
from agreements.services import (
    Clearance,
    agreement_history,
    documents_visible_to,
    exchanges_visible_to,
    record_review,
    render_markdown,
    representative_seats,
    seat_timeline,
    timeline_seats,
)
from canto_portal.fragments import cached, fragment, known_parameters
from members.roles import roles_for

# What the register's and the briefings' listings vary on besides the viewer's clearance; any
# other parameter changes nothing.
REGISTER_PARAMETERS = (
    "q",
    "status",
    "partner",
    "kind",
    "expiring",
    "review_overdue",
    "sort",
    "page",
)
BRIEFINGS_PARAMETERS = ("topic", "page")


def page_or_404(rows, number, per_page):
    """One page of `rows`, numbered as ListView numbers them ("last" included); a page that
    does not exist answers 404, so it is never cached."""
    paginator = Paginator(rows, per_page)
    try:
        return paginator.page(paginator.num_pages if number == "last" else number or 1)
    except InvalidPage as error:
        raise Http404(_("No such page.")) from error


class CachedListView(View):
    """A list of what the viewer's clearance admits, filtered by a form and paged by the
    known query parameters, with page links that keep the filters. Its filters, page and
    links are one fragment, shared by every viewer with the same clearance and parameters.

    Subclasses name their templates and `parameters`, and say in `filter(clearance,
    filters)` which form and rows the filters give."""

    template_name = None
    listing_template_name = None
    parameters = ()
    paginate_by = None
    context_object_name = None

    def get(self, request):
        clearance = Clearance.of(roles_for(request))
        params = known_parameters(request, self.parameters)
        listing = fragment(
            # Named after its template: one fragment per template.
            self.listing_template_name,
            self.listing_template_name,
            lambda: self.listing(clearance, params),
            vary_on=(clearance, *sorted(params.items())),
        )
        return render(request, self.template_name, {"listing": listing})

    def listing(self, clearance, params):
        filters = {name: value for name, value in params.items() if name != "page"}
        form, rows = self.filter(clearance, filters)
        page = page_or_404(rows, params.get("page"), self.paginate_by)
        return {
            "filter_form": form,
            "page_obj": page,
            self.context_object_name: page.object_list,
            "query": urlencode(filters),
            "may_see_register": clearance.may_see_register,
        }


# Agreement register (issue 4)


def hidden(request, message=None):
    """What a viewer gets for something they may not see, or that does not exist: the same
    answer for both, so nothing leaks. Anonymous visitors are sent to log in (a board member
    following an alert email is usually not logged in yet)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404(message or _("No such agreement."))


def board_and_secretariat_only(request):
    """None when the viewer may use the Board's register tools, else the refusal."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not roles_for(request).may_see_register:
        raise PermissionDenied
    return None


def filtered_register(roles, filters):
    """The filter form and the agreements `roles` (or a Clearance) may see, filtered and
    sorted by `filters`."""
    visible = Agreement.objects.visible_to(roles)
    form = RegisterFilterForm(filters, roles=roles, agreements=visible)
    agreements = form.filter(visible).select_related("responsible").prefetch_related("partners")
    return form, agreements


class RegisterView(CachedListView):
    """The register: everything for the Board and the Secretariat, public and members-only
    agreements for member operators, public agreements for anyone."""

    template_name = "agreements/register.html"
    listing_template_name = "agreements/includes/register_listing.html"
    parameters = REGISTER_PARAMETERS
    paginate_by = 25
    context_object_name = "agreements"

    def filter(self, clearance, filters):
        return filtered_register(clearance, filters)


@require_GET
def register_print(request):
    """The filtered register on one printable page, for board packs."""
    if refusal := board_and_secretariat_only(request):
        return refusal
    form, agreements = filtered_register(roles_for(request), request.GET)
    return render(
        request, "agreements/register_print.html", {"filter_form": form, "agreements": agreements}
    )


@require_GET
def register_export(request, format_name):
    """The filtered register as CSV or XLSX (agreements/resources.py writes the file)."""
    if refusal := board_and_secretariat_only(request):
        return refusal
    _form, agreements = filtered_register(roles_for(request), request.GET)
    # The export names each agreement's successor.
    agreements = agreements.select_related("superseded_by")
    return register_export_response(request, agreements, format_name)


@require_GET
def agreement_detail(request, reference):
    roles = roles_for(request)
    clearance, may_review = Clearance.of(roles), roles.is_board_member
    try:
        details = fragment(
            "agreement-page",
            "agreements/includes/agreement.html",
            lambda: agreement_page(reference, clearance, may_review),
            vary_on=(reference, clearance, may_review),
        )
    except Http404:
        return hidden(request)
    return render(
        request, "agreements/agreement_detail.html", {"reference": reference, "details": details}
    )


def agreement_page(reference, clearance, may_review):
    """The agreement page's content, for the cached fragment; 404 (and nothing cached) when
    the clearance does not admit the agreement."""
    agreement = get_object_or_404(
        Agreement.objects.visible_to(clearance)
        .select_related("responsible", "superseded_by")
        .prefetch_related("partners", "signatories", "commitments", "activities"),
        reference=reference,
    )
    context = {
        "agreement": agreement,
        "documents": documents_visible_to(clearance).filter(agreement=agreement),
        "may_see_register": clearance.may_see_register,
        "may_review": may_review,
    }
    if clearance.may_see_register:
        reviews = list(agreement.reviews.select_related("reviewer"))
        context["reviews"] = reviews
        context["last_review"] = reviews[0] if reviews else None
        context["history"] = agreement_history(agreement)
    return context


@require_http_methods(["GET", "POST"])
def review_create(request, reference):
    """Board members review agreements; nobody else may, not even the Secretariat, which
    edits agreements in the admin instead."""
    if not roles_for(request).is_board_member:
        raise PermissionDenied
    agreement = get_object_or_404(Agreement, reference=reference)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record_review(agreement, request.user, **form.cleaned_data)
        messages.success(request, _("Your review of %(ref)s is recorded.") % {"ref": reference})
        return redirect(agreement)
    return render(request, "agreements/review_form.html", {"agreement": agreement, "form": form})


@require_GET
def document_download(request, reference, pk):
    """A document, only when both its agreement and the document itself admit the viewer."""
    document = (
        documents_visible_to(roles_for(request))
        .select_related("agreement")
        .filter(agreement__reference=reference, pk=pk)
        .first()
    )
    if document is None:
        return hidden(request)
    return private_pdf_response(
        document.file, f"{reference}-{slugify(document.title) or 'document'}.pdf"
    )


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


# Council seats (issue 5)


@require_GET
def representatives(request):
    """Who holds CANTO's council seats. Member operators, the Board and the Secretariat see
    each seat's current holder; the Board and the Secretariat also see the timeline of every
    term and vacancy. Anyone else logged in is refused: the list names people."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    roles = roles_for(request)
    if not (roles.is_member_operator or roles.may_see_register):
        raise PermissionDenied
    with_timeline = roles.may_see_register
    listing = fragment(
        "representatives",
        "agreements/includes/representatives.html",
        lambda: representatives_context(with_timeline),
        vary_on=(with_timeline,),
    )
    return render(request, "agreements/representatives.html", {"listing": listing})


def representatives_context(with_timeline):
    """Every seat with its current holder and, for the Board and the Secretariat, the
    timeline, for the cached fragment (the day is part of its key)."""
    seats = representative_seats()
    if not with_timeline:
        return {"seats": seats}
    seats = list(timeline_seats(seats))
    return {"seats": seats, "timeline": seat_timeline(seats)}


# Briefings (issue 6)


class BriefingListView(CachedListView):
    """Published briefings: public ones for anyone, members-only ones too for member
    operators, the Board and the Secretariat. Filtered by topic, newest first."""

    template_name = "agreements/briefing_list.html"
    listing_template_name = "agreements/includes/briefing_listing.html"
    parameters = BRIEFINGS_PARAMETERS
    paginate_by = 10
    context_object_name = "briefings"

    def filter(self, clearance, filters):
        form = BriefingFilterForm(filters)
        briefings = (
            form.filter(Briefing.objects.visible_to(clearance))
            .select_related("channel")
            .prefetch_related("topics")
            # The primary key breaks ties, so pages never share or skip a briefing.
            .order_by("-published_at", "-pk")
        )
        return form, briefings


@require_GET
def briefing_detail(request, slug):
    roles = roles_for(request)
    clearance, is_secretariat = Clearance.of(roles), roles.is_secretariat
    try:
        page = cached(
            "briefing-page",
            lambda: briefing_page(slug, clearance, is_secretariat),
            vary_on=(slug, clearance, is_secretariat),
        )
    except Http404:
        return hidden(request, _("No such briefing."))
    return render(request, "agreements/briefing_detail.html", page)


def briefing_page(slug, clearance, is_secretariat):
    """One briefing's title and rendered article, for the cache; 404 (and nothing cached)
    when the viewer may not read it. The Secretariat also sees unpublished ones, marked as a
    preview."""
    briefings = Briefing.objects.all() if is_secretariat else Briefing.objects.visible_to(clearance)
    briefing = get_object_or_404(
        briefings.select_related("channel").prefetch_related("topics"), slug=slug
    )
    context = {
        "briefing": briefing,
        "body_html": render_markdown(briefing.body),
        "is_preview": briefing.status != Briefing.Status.PUBLISHED,
    }
    return {
        "title": briefing.title,
        "article": render_to_string("agreements/includes/briefing_article.html", context),
    }


class ExchangeListView(ListView):
    """Information exchanged with partners, by the same rules as agreement documents."""

    template_name = "agreements/exchange_list.html"
    context_object_name = "exchanges"
    paginate_by = 20

    def get_queryset(self):
        return (
            exchanges_visible_to(roles_for(self.request))
            .select_related("partner", "agreement")
            .order_by("-exchanged_on", "title", "pk")
        )


@require_GET
def exchange_attachment(request, pk):
    """An exchange's PDF, only when the exchange (and its agreement) admit the viewer."""
    exchange = exchanges_visible_to(roles_for(request)).filter(pk=pk).exclude(attachment="").first()
    if exchange is None:
        return hidden(request, _("No such attachment."))
    return private_pdf_response(
        exchange.attachment,
        f"{exchange.exchanged_on:%Y-%m-%d}-{slugify(exchange.title) or 'exchange'}.pdf",
    )
