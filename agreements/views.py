# Sections, in order: agreement register (issue 4), council seats (issue 5), briefings (issue 6).
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import ListView

from agreements.forms import BriefingFilterForm, RegisterFilterForm, ReviewForm
from agreements.models import Agreement, Briefing
from agreements.resources import register_export_response
from agreements.services import (
    agreement_history,
    documents_visible_to,
    exchanges_visible_to,
    record_review,
    render_markdown,
    representative_seats,
    seat_timeline,
    timeline_seats,
)
from members.roles import roles_for

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


def filtered_register(request):
    """The agreements the viewer may see, filtered and sorted by the query string."""
    roles = roles_for(request)
    visible = Agreement.objects.visible_to(roles)
    form = RegisterFilterForm(request.GET, roles=roles, agreements=visible)
    agreements = form.filter(visible).select_related("responsible").prefetch_related("partners")
    return form, agreements


class FilteredListView(ListView):
    """A list with a filter form (`self.filter_form`, set by get_queryset) whose page links
    keep the filters."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter_form"] = self.filter_form
        context["query"] = query.urlencode()
        return context


class RegisterView(FilteredListView):
    """The register: everything for the Board and the Secretariat, public and members-only
    agreements for member operators, public agreements for anyone."""

    template_name = "agreements/register.html"
    context_object_name = "agreements"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form, agreements = filtered_register(self.request)
        return agreements


@require_GET
def register_print(request):
    """The filtered register on one printable page, for board packs."""
    if refusal := board_and_secretariat_only(request):
        return refusal
    form, agreements = filtered_register(request)
    return render(
        request, "agreements/register_print.html", {"filter_form": form, "agreements": agreements}
    )


@require_GET
def register_export(request, format_name):
    """The filtered register as CSV or XLSX (agreements/resources.py writes the file)."""
    if refusal := board_and_secretariat_only(request):
        return refusal
    _form, agreements = filtered_register(request)
    # The export names each agreement's successor.
    agreements = agreements.select_related("superseded_by")
    return register_export_response(request, agreements, format_name)


@require_GET
def agreement_detail(request, reference):
    roles = roles_for(request)
    agreement = (
        Agreement.objects.visible_to(roles)
        .select_related("responsible", "superseded_by")
        .prefetch_related("partners", "signatories", "commitments", "activities")
        .filter(reference=reference)
        .first()
    )
    if agreement is None:
        return hidden(request)
    context = {
        "agreement": agreement,
        "documents": documents_visible_to(roles).filter(agreement=agreement),
        "may_review": roles.is_board_member,
    }
    if roles.may_see_register:
        reviews = list(agreement.reviews.select_related("reviewer"))
        context["reviews"] = reviews
        context["last_review"] = reviews[0] if reviews else None
        context["history"] = agreement_history(agreement)
    return render(request, "agreements/agreement_detail.html", context)


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
    today = timezone.localdate()
    seats = representative_seats(today)
    context = {"seats": seats, "today": today}
    if roles.may_see_register:
        seats = list(timeline_seats(seats))
        context.update(seats=seats, timeline=seat_timeline(seats, today))
    return render(request, "agreements/representatives.html", context)


# Briefings (issue 6)


class BriefingListView(FilteredListView):
    """Published briefings: public ones for anyone, members-only ones too for member
    operators, the Board and the Secretariat. Filtered by topic, newest first."""

    template_name = "agreements/briefing_list.html"
    context_object_name = "briefings"
    paginate_by = 10

    def get_queryset(self):
        self.filter_form = BriefingFilterForm(self.request.GET)
        briefings = Briefing.objects.visible_to(roles_for(self.request))
        return (
            self.filter_form.filter(briefings)
            .select_related("channel")
            .prefetch_related("topics")
            # The primary key breaks ties, so pages never share or skip a briefing.
            .order_by("-published_at", "-pk")
        )


@require_GET
def briefing_detail(request, slug):
    """One briefing. The Secretariat also sees unpublished ones, marked as a preview."""
    roles = roles_for(request)
    briefings = (
        Briefing.objects.all() if roles.is_secretariat else Briefing.objects.visible_to(roles)
    )
    briefing = (
        briefings.select_related("channel").prefetch_related("topics").filter(slug=slug).first()
    )
    if briefing is None:
        return hidden(request, _("No such briefing."))
    context = {
        "briefing": briefing,
        "body_html": render_markdown(briefing.body),
        "is_preview": briefing.status != Briefing.Status.PUBLISHED,
    }
    return render(request, "agreements/briefing_detail.html", context)


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
