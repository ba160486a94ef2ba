"""The agreement register: the list, one agreement, its documents, reviews and exports."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agreements.apps import REGISTER
from agreements.forms import RegisterFilterForm, ReviewForm
from agreements.models import Agreement, Confidentiality
from agreements.resources import register_export_response
from agreements.services import (
    Clearance,
    agreement_history,
    documents_visible_to,
    record_review,
)
from agreements.views.common import CachedListView, private_pdf_response
from canto_portal import audit
from canto_portal.fragments import fragment
from canto_portal.models import AuditAction
from canto_portal.submissions import acts_once
from members.access import ANYONE, BOARD_MEMBER, BOARD_OR_SECRETARIAT, hidden, requires
from members.apps import LOGINS
from members.roles import roles_for

# What the register's listing varies on besides the viewer's clearance; any other parameter
# changes nothing.
REGISTER_PARAMETERS = (
    "q",
    "status",
    "partner",
    "kind",
    "expiring",
    "review_overdue",
    "sort",
    "on",
    "page",
)


def filtered_register(clearance: Clearance, filters):
    """The filter form and the agreements `clearance` admits, filtered and
    sorted by `filters`, with their flags."""
    visible = Agreement.objects.visible_to(clearance)
    form = RegisterFilterForm(filters, clearance=clearance, agreements=visible)
    return form, form.filter(visible).with_flags()


class RegisterView(CachedListView):
    """The register: everything for the Board and the Secretariat, public and members-only
    agreements for member operators, public agreements for anyone."""

    access_rule = ANYONE
    template_name = "agreements/register.html"
    listing_template_name = "agreements/includes/register_listing.html"
    parameters = REGISTER_PARAMETERS
    # Logins: the staff member responsible for each agreement.
    shows = (REGISTER, LOGINS)
    paginate_by = 25
    context_object_name = "agreements"

    @classmethod
    def filter(cls, clearance, filters):
        form, agreements = filtered_register(clearance, filters)
        return form, agreements.for_register_table()


@require_GET
@requires(BOARD_OR_SECRETARIAT)
def register_print(request):
    """The filtered register on one printable page, for board packs."""
    form, agreements = filtered_register(Clearance.of(roles_for(request)), request.GET)
    return render(
        request,
        "agreements/register_print.html",
        {"filter_form": form, "agreements": agreements.for_register_table()},
    )


@require_GET
@requires(BOARD_OR_SECRETARIAT)
def register_export(request, format_name):
    """The filtered register as CSV or XLSX (agreements/resources.py writes the file)."""
    _form, agreements = filtered_register(Clearance.of(roles_for(request)), request.GET)
    # The export names each agreement's successor.
    agreements = agreements.select_related("responsible", "superseded_by").prefetch_related(
        "partners"
    )
    return register_export_response(request, agreements, format_name)


@require_GET
@requires(ANYONE)
def agreement_detail(request, reference):
    roles = roles_for(request)
    try:
        details = fragment(
            "agreement-page",
            "agreements/includes/agreement.html",
            agreement_page,
            key=AgreementView(reference, Clearance.of(roles), roles.is_board_member),
            # Logins: the staff member responsible, reviewers, and who changed what.
            shows=[REGISTER, LOGINS],
        )
    except Http404:
        return hidden(request, _("No such agreement."))
    return render(
        request, "agreements/agreement_detail.html", {"reference": reference, "details": details}
    )


@dataclass(frozen=True)
class AgreementView:
    """What the agreement page depends on: the agreement, the viewer's clearance, and whether
    the viewer may record a review (a board member, not the Secretariat)."""

    reference: str
    clearance: Clearance
    may_review: bool


def agreement_page(view: AgreementView) -> dict:
    """The agreement page's content, for the cached fragment; 404 (and nothing cached) when
    the clearance does not admit the agreement."""
    reference, clearance, may_review = view.reference, view.clearance, view.may_review
    agreement = get_object_or_404(
        Agreement.objects.visible_to(clearance)
        .with_flags()
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
@requires(BOARD_MEMBER)
@acts_once
def review_create(request, reference):
    """Board members review agreements; nobody else may, not even the Secretariat, which
    edits agreements in the admin instead."""
    agreement = get_object_or_404(Agreement, reference=reference)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_review(agreement=agreement, reviewer=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your review of %(ref)s is recorded.") % {"ref": reference})
            return redirect(agreement)
    return render(request, "agreements/review_form.html", {"agreement": agreement, "form": form})


@require_GET
@requires(ANYONE)
def document_download(request, reference, pk):
    """A document, only when both its agreement and the document itself admit the viewer."""
    document = (
        documents_visible_to(Clearance.of(roles_for(request)))
        .select_related("agreement")
        .filter(agreement__reference=reference, pk=pk)
        .first()
    )
    if document is None:
        return hidden(request, _("No such agreement."))
    # Who opened a members-only or board-only document is kept in the audit trail.
    if document.confidentiality != Confidentiality.PUBLIC or (
        document.agreement.confidentiality != Confidentiality.PUBLIC
    ):
        audit.record(action=AuditAction.DOWNLOAD, request=request, obj=document)
    return private_pdf_response(
        document.file, f"{reference}-{slugify(document.title) or 'document'}.pdf"
    )
