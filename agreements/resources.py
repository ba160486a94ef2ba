"""Spreadsheet import and export of the agreement register and council appointments.

Built on canto_portal.spreadsheets (natural keys, row errors that say where and what, all or
nothing, formula-safe cells). Agreements are keyed by reference, partners by name,
commitments by agreement and number, appointments by council, seat, contact and start date.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from agreements.models import Agreement, Appointment, Commitment, Partner, Seat
from canto_portal import audit
from canto_portal.models import AuditAction
from canto_portal.spreadsheets.cells import (
    CountryWidget,
    IntegerWidget,
    NaturalKeyWidget,
    SafeTextWidget,
    plain_text,
)
from canto_portal.spreadsheets.formats import CSV, FORMATS
from canto_portal.spreadsheets.resources import (
    SpreadsheetResource,
    choice_field,
    date_field,
    text_field,
)
from members.resources import ContactWidget
from members.roles import roles_for

PARTNER_SEPARATOR = ";"


class PartnerWidget(NaturalKeyWidget):
    hint = gettext_lazy(
        "Use the partner's full name or short name as in the partners export, and import the "
        "partner first if it is new."
    )

    def __init__(self, **kwargs):
        super().__init__(Partner, "name", **kwargs)

    def lookup(self, text, row):
        return self.find("name", text)[:1] or self.find("short_name", text)


class PartnersWidget(widgets.ManyToManyWidget):
    """Several partners in one cell, separated by semicolons: "Internet Society; CANTO"."""

    def __init__(self, **kwargs):
        super().__init__(Partner, separator=PARTNER_SEPARATOR, field="name", **kwargs)
        self.partner = PartnerWidget()

    def clean(self, value, row=None, **kwargs):
        partners, unknown = [], []
        for name in plain_text(value).split(PARTNER_SEPARATOR):
            if not name.strip():
                continue
            try:
                partners.append(self.partner.clean(name.strip()))
            except ValueError:
                unknown.append(name.strip())
        if unknown:
            raise ValueError(
                _(
                    "Unknown partners: %(names)s. Separate partners with “;” and use their "
                    "names as in the partners export; import new partners first."
                )
                % {"names": ", ".join(unknown)}
            )
        return partners

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"{PARTNER_SEPARATOR} ".join(sorted(p.name for p in value.all()))


class AgreementWidget(NaturalKeyWidget):
    hint = gettext_lazy(
        "Use the agreement's reference, for example CANTO-AGR-2015-001, and import the "
        "agreement first if it is new."
    )

    def __init__(self, **kwargs):
        super().__init__(Agreement, "reference", **kwargs)


class SeatWidget(NaturalKeyWidget):
    """A seat by its label, within the council named in the row's "council" column."""

    hint = gettext_lazy(
        "Use the seat's label as in the appointments export, for example “Principal seat 1”, "
        "and name its council in the “council” column."
    )

    def __init__(self, **kwargs):
        super().__init__(Seat, "label", **kwargs)

    def context_key(self, row):
        return plain_text((row or {}).get("council")).lower()

    def lookup(self, text, row):
        council = plain_text((row or {}).get("council"))
        return list(
            Seat.objects.filter(label__iexact=text, council__name__iexact=council)
            .select_related("council")
            .order_by("pk")[:2]
        )


class PartnerResource(SpreadsheetResource):
    required_columns = ("name",)

    name = text_field("name")
    short_name = text_field("short_name")
    kind = choice_field(Partner, "kind")
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    website = text_field("website")
    description = text_field("description")

    class Meta(SpreadsheetResource.Meta):
        model = Partner
        import_id_fields = ["name"]
        fields = ["name", "short_name", "kind", "country", "website", "description"]


class AgreementResource(SpreadsheetResource):
    """The agreement register, keyed by reference. Partners are named in one cell."""

    required_columns = ("reference",)

    reference = fields.Field(
        attribute="reference", column_name="reference", widget=SafeTextWidget()
    )
    title = text_field("title")
    partners = fields.Field(attribute="partners", column_name="partners", widget=PartnersWidget())
    kind = choice_field(Agreement, "kind")
    status = choice_field(Agreement, "status")
    signed_on = date_field("signed_on")
    signed_at = text_field("signed_at")
    effective_from = date_field("effective_from")
    expires_on = date_field("expires_on")
    renewal = choice_field(Agreement, "renewal")
    notice_period_days = fields.Field(
        attribute="notice_period_days", column_name="notice_period_days", widget=IntegerWidget()
    )
    confidentiality = choice_field(Agreement, "confidentiality")
    summary = text_field("summary")
    next_review_on = date_field("next_review_on")
    superseded_by = fields.Field(
        attribute="superseded_by", column_name="superseded_by", widget=AgreementWidget()
    )

    class Meta(SpreadsheetResource.Meta):
        model = Agreement
        import_id_fields = ["reference"]
        fields = [
            "reference",
            "title",
            "partners",
            "kind",
            "status",
            "signed_on",
            "signed_at",
            "effective_from",
            "expires_on",
            "renewal",
            "notice_period_days",
            "confidentiality",
            "summary",
            "next_review_on",
            "superseded_by",
        ]

    def get_queryset(self):
        return Agreement.objects.select_related("superseded_by").prefetch_related("partners")

    def before_import_row(self, row, **kwargs):
        # References are written in capitals (CANTO-AGR-2015-001); accept them typed in any case.
        if "reference" in row:
            row["reference"] = plain_text(row["reference"]).upper()
        super().before_import_row(row, **kwargs)


class CommitmentResource(SpreadsheetResource):
    """An agreement's numbered commitments, keyed by agreement reference and number."""

    required_columns = ("agreement", "number")

    agreement = fields.Field(
        attribute="agreement", column_name="agreement", widget=AgreementWidget()
    )
    number = fields.Field(attribute="number", column_name="number", widget=IntegerWidget())
    text = text_field("text")
    owed_by = choice_field(Commitment, "owed_by")
    status = choice_field(Commitment, "status")
    due_on = date_field("due_on")
    evidence = text_field("evidence")

    class Meta(SpreadsheetResource.Meta):
        model = Commitment
        import_id_fields = ["agreement", "number"]
        fields = ["agreement", "number", "text", "owed_by", "status", "due_on", "evidence"]

    def get_queryset(self):
        return Commitment.objects.select_related("agreement")


class AppointmentResource(SpreadsheetResource):
    """Who holds a council seat, and when; keyed by council, seat, contact email and start."""

    required_columns = ("council", "seat", "contact", "starts_on")

    # Read by the seat widget to find the seat; the appointment itself has no council field.
    council = fields.Field(column_name="council", widget=SafeTextWidget())
    seat = fields.Field(attribute="seat", column_name="seat", widget=SeatWidget())
    contact = fields.Field(attribute="contact", column_name="contact", widget=ContactWidget())
    starts_on = date_field("starts_on")
    ends_on = date_field("ends_on")
    status = choice_field(Appointment, "status")
    decision = text_field("decision")

    class Meta(SpreadsheetResource.Meta):
        model = Appointment
        import_id_fields = ["seat", "contact", "starts_on"]
        fields = ["council", "seat", "contact", "starts_on", "ends_on", "status", "decision"]

    def get_queryset(self):
        return Appointment.objects.select_related("seat__council", "contact")

    def dehydrate_council(self, appointment):
        return appointment.seat.council.name


# The agreement register for the Board, outside the admin: board members have no staff login,
# and may export the register but import nothing.


def may_export_register(request):
    user = request.user
    return user.has_perm("agreements.export_agreement") or roles_for(request).is_board_member


def register_export_response(request, queryset, format_name="xlsx"):
    """The agreements in `queryset` as a CSV or XLSX download, for the Secretariat and the
    Board. The caller passes what the viewer may see (Agreement.objects.visible_to(clearance))."""
    if not may_export_register(request):
        raise PermissionDenied
    formats = {fmt().get_extension(): fmt for fmt in FORMATS}
    file_format = formats.get(format_name)
    if file_format is None:
        raise Http404(_("Export as csv or xlsx."))
    file_format = file_format()
    native = file_format.is_binary() and not isinstance(file_format, CSV)
    data = file_format.export_data(AgreementResource().export(queryset, force_native_type=native))
    audit.record(
        action=AuditAction.EXPORT,
        request=request,
        detail=f"agreements.agreement.{file_format.get_extension()}",
    )
    response = HttpResponse(data, content_type=file_format.get_content_type())
    filename = f"canto-agreements-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
