"""Fictional agreements, partners, reviews and documents for the demo register."""

import datetime
import posixpath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils.text import slugify

from agreements.models import (
    Activity,
    Agreement,
    AgreementDocument,
    Commitment,
    Confidentiality,
    Partner,
    Review,
)
from members.models import BoardTerm
from members.roles import SECRETARIAT_GROUP

# Fictional partners; the Internet Society is the one real partner (production data).
DEMO_PARTNERS = {
    "spectrum": ("Caribbean Spectrum Forum", "CSF", "regional", "BB"),
    "ixp": ("Antilles Internet Exchange Association", "AIXA", "regional", "CW"),
    "vendor": ("Meridian Network Systems", "", "vendor", "US"),
    "university": ("University of the Southern Isles", "USI", "academic", "JM"),
    "regulator": ("Windward Islands Communications Regulator", "WICR", "regulator", "LC"),
    "numbering": ("Global Numbering Resource Trust", "GNRT", "international", "CH"),
    "datacentre": ("Coralline Data Centres", "", "vendor", "TT"),
    "cyber": ("Pan-Island Cybersecurity Alliance", "PICA", "regional", "JM"),
}


def demo_agreements(today):
    """A dozen fictional agreements around the ISOC one. Dates are relative to `today`, so the
    register always has something expiring, overdue or due for review."""
    day = datetime.timedelta(days=1)
    return [
        {
            "reference": "CANTO-AGR-2016-001",
            "title": "Memorandum on spectrum harmonisation studies",
            "partners": ["spectrum"],
            "kind": "mou",
            "status": "superseded",
            "signed_on": datetime.date(2016, 7, 12),
            "signed_at": "Bridgetown, Barbados",
            "effective_from": datetime.date(2016, 8, 1),
            "expires_on": datetime.date(2021, 7, 31),
            "confidentiality": "public",
            "summary": "Joint studies of spectrum use for mobile broadband across the region.",
            "commitments": [
                (1, "both", "Publish a yearly regional spectrum study.", "met", None),
                (2, "partner", "Host two technical workshops a year.", "met", None),
            ],
        },
        {
            "reference": "CANTO-AGR-2018-001",
            "title": "Sponsorship of the CANTO annual conference 2018–2020",
            "partners": ["vendor"],
            "kind": "sponsorship",
            "status": "expired",
            "signed_on": datetime.date(2018, 3, 5),
            "signed_at": "Miami, United States",
            "effective_from": datetime.date(2018, 4, 1),
            "expires_on": datetime.date(2020, 12, 31),
            "confidentiality": "board",
            "summary": "Gold sponsorship of three annual conferences and trade exhibitions.",
            "commitments": [
                (1, "partner", "Pay the sponsorship fee each year by March.", "met", None),
                (2, "canto", "Give the sponsor a keynote slot and exhibition space.", "met", None),
            ],
        },
        {
            "reference": "CANTO-AGR-2019-001",
            "title": "Internet exchange traffic data sharing",
            "partners": ["ixp"],
            "kind": "data_sharing",
            "status": "active",
            "signed_on": datetime.date(2019, 9, 18),
            "signed_at": "Willemstad, Curaçao",
            "effective_from": datetime.date(2019, 10, 1),
            "expires_on": today + 25 * day,
            "renewal": "notice",
            "notice_period_days": 60,
            "confidentiality": "members",
            "next_review_on": today + 10 * day,
            "summary": "Monthly aggregated traffic figures from the region's exchange points.",
            "commitments": [
                (1, "partner", "Send aggregated traffic figures every month.", "in_progress", None),
                (2, "canto", "Publish a yearly peering report for members.", "at_risk", -40),
            ],
        },
        {
            "reference": "CANTO-AGR-2020-001",
            "title": "Telecommunications policy fellowship programme",
            "partners": ["university"],
            "kind": "cooperation",
            "status": "active",
            "signed_on": datetime.date(2020, 2, 20),
            "signed_at": "Kingston, Jamaica",
            "effective_from": datetime.date(2020, 3, 1),
            "confidentiality": "public",
            "next_review_on": today + 200 * day,
            "summary": "Fellowships for young engineers and policy staff of member operators.",
            "commitments": [
                (1, "partner", "Offer four fellowships a year.", "in_progress", None),
                (2, "canto", "Select fellows from member operators.", "in_progress", None),
                (3, "both", "Report on the programme to the Board each year.", "met", None),
            ],
            "activities": [
                ("Fellowship cohort 2025", "programme", -300, "Kingston, Jamaica"),
            ],
        },
        {
            "reference": "CANTO-AGR-2021-001",
            "title": "Regulatory dialogue on number portability",
            "partners": ["regulator"],
            "kind": "mou",
            "status": "active",
            "signed_on": datetime.date(2021, 5, 10),
            "signed_at": "Castries, Saint Lucia",
            "effective_from": datetime.date(2021, 6, 1),
            "expires_on": today + 80 * day,
            "confidentiality": "board",
            "next_review_on": today - 14 * day,
            "summary": "Regular consultation before portability rules are changed.",
            "commitments": [
                (1, "both", "Meet twice a year on portability rules.", "in_progress", None),
                (2, "partner", "Consult CANTO before changing numbering rules.", "at_risk", -10),
            ],
        },
        {
            "reference": "CANTO-AGR-2022-001",
            "title": "Data centre services sponsorship",
            "partners": ["datacentre"],
            "kind": "sponsorship",
            "status": "terminated",
            "signed_on": datetime.date(2022, 1, 14),
            "signed_at": "Port of Spain, Trinidad and Tobago",
            "effective_from": datetime.date(2022, 2, 1),
            "expires_on": datetime.date(2025, 1, 31),
            "confidentiality": "board",
            "summary": "Ended early by mutual agreement after the sponsor's change of ownership.",
            "commitments": [
                (1, "partner", "Host the portal's backups free of charge.", "lapsed", None),
            ],
        },
        {
            "reference": "CANTO-AGR-2023-001",
            "title": "Caribbean cybersecurity incident response cooperation",
            "partners": ["cyber", "isoc"],
            "kind": "cooperation",
            "status": "active",
            "signed_on": datetime.date(2023, 6, 7),
            "signed_at": "Nassau, The Bahamas",
            "effective_from": datetime.date(2023, 7, 1),
            "expires_on": today + 700 * day,
            "renewal": "automatic",
            "confidentiality": "members",
            "next_review_on": today + 60 * day,
            "summary": "Shared alerts on hacktivism and attacks against operators' networks.",
            "commitments": [
                (1, "both", "Share incident alerts within 24 hours.", "in_progress", None),
                (2, "canto", "Run a yearly cybersecurity drill for members.", "not_started", 45),
            ],
            "activities": [
                ("Regional incident response drill", "workshop", -120, "Nassau, The Bahamas"),
            ],
        },
        {
            "reference": "CANTO-AGR-2024-001",
            "title": "IP numbering resource planning",
            "partners": ["numbering"],
            "kind": "data_sharing",
            "status": "active",
            "signed_on": datetime.date(2024, 4, 22),
            "signed_at": "Geneva, Switzerland",
            "effective_from": datetime.date(2024, 5, 1),
            "expires_on": today + 400 * day,
            "renewal": "notice",
            "notice_period_days": 90,
            "confidentiality": "board",
            "next_review_on": today - 3 * day,
            "summary": "Forecasts of IPv4 and IPv6 needs of member operators.",
            "commitments": [
                (1, "canto", "Collect yearly address forecasts from members.", "in_progress", -5),
            ],
        },
        {
            "reference": "CANTO-AGR-2025-001",
            "title": "Spectrum cooperation framework",
            "partners": ["spectrum"],
            "kind": "mou",
            "status": "active",
            "signed_on": datetime.date(2025, 3, 3),
            "signed_at": "Bridgetown, Barbados",
            "effective_from": datetime.date(2025, 3, 3),
            "expires_on": today + 1000 * day,
            "confidentiality": "public",
            "next_review_on": today + 120 * day,
            "summary": "Replaces the 2016 memorandum, adding satellite and 5G spectrum.",
            "commitments": [
                (1, "both", "Publish a joint spectrum outlook each year.", "not_started", 150),
            ],
        },
        {
            "reference": "CANTO-AGR-2025-002",
            "title": "Network training programme for member engineers",
            "partners": ["vendor"],
            "kind": "sponsorship",
            "status": "active",
            "signed_on": datetime.date(2025, 1, 9),
            "signed_at": "Port of Spain, Trinidad and Tobago",
            "effective_from": datetime.date(2025, 1, 15),
            "expires_on": today + 6 * day,
            "confidentiality": "members",
            "next_review_on": today + 2 * day,
            "summary": "Free vendor training places for engineers of member operators.",
            "commitments": [
                (1, "partner", "Offer 40 training places a year.", "met", None),
            ],
        },
        {
            "reference": "CANTO-AGR-2026-001",
            "title": "Data centre sponsorship renewal",
            "partners": ["datacentre"],
            "kind": "sponsorship",
            "status": "draft",
            "confidentiality": "board",
            "summary": "Draft terms for a new sponsorship under the sponsor's new owners.",
            "commitments": [],
        },
        {
            "reference": "CANTO-AGR-2026-002",
            "title": "Quality of service data sharing",
            "partners": ["regulator"],
            "kind": "data_sharing",
            "status": "negotiation",
            "confidentiality": "board",
            "next_review_on": today + 30 * day,
            "summary": "Under negotiation: which measurements operators share and how often.",
            "commitments": [],
        },
    ]


def minimal_pdf(lines):
    """A small valid one-page PDF showing `lines` of text, written by hand: no PDF library
    is needed for demo documents."""

    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = (
        "BT /F1 12 Tf 72 720 Td 16 TL "
        + " ".join(f"({escape(line)}) Tj T*" for line in lines)
        + " ET"
    )
    stream = text.encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        output += b"%010d 00000 n \n" % offset
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(output)


def demo_officer():
    """The Secretariat's (fictional) partnerships officer, responsible for the demo agreements;
    a login without a password, and only with DEBUG on, like every demo login."""
    if not settings.DEBUG:
        return None
    User = get_user_model()
    officer, created = User.objects.get_or_create(
        username="partnerships@demo.canto.example",
        defaults={
            "email": "partnerships@demo.canto.example",
            "first_name": "Renata",
            "last_name": "Santangelo",
            "is_staff": True,
        },
    )
    if created:
        officer.set_unusable_password()
        officer.save()
        officer.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return officer


def demo_reviewers(today):
    """Users for two current directors of the demo board, so reviews have real reviewers.
    The chair is left alone: seed_demo_logins gives the chair the demo board login. Like
    every demo login, only with DEBUG on; without them the demo has no reviews."""
    if not settings.DEBUG:
        return []
    User = get_user_model()
    reviewers = []
    terms = (
        BoardTerm.objects.current(on=today)
        .filter(role=BoardTerm.Role.DIRECTOR)
        .select_related("contact__user")
        .order_by("contact__email")[:2]
    )
    for term in terms:
        contact = term.contact
        if contact.user is None:
            user, created = User.objects.get_or_create(
                username=contact.email, defaults={"email": contact.email}
            )
            if created:
                user.first_name = contact.name
                user.set_unusable_password()
                user.save()
            contact.user = user
            contact.save(update_fields=["user"])
        reviewers.append(contact.user)
    return reviewers


def upsert_agreement(spec, partners, responsible):
    """Creates the agreement, or brings an existing one's fields in line; its status is only
    set on creation, since a later change must follow the allowed moves."""
    fields = {
        key: value
        for key, value in spec.items()
        if key not in {"reference", "partners", "commitments", "activities"}
    }
    fields["responsible"] = responsible
    agreement = Agreement.objects.filter(reference=spec["reference"]).first()
    if agreement is None:
        agreement = Agreement.objects.create(reference=spec["reference"], **fields)
    else:
        fields.pop("status")
        changed = {k: v for k, v in fields.items() if getattr(agreement, k) != v}
        if changed:
            for key, value in changed.items():
                setattr(agreement, key, value)
            agreement.save()
    agreement.partners.set([partners[key] for key in spec["partners"]])
    return agreement


def seed_commitments(agreement, commitments, today):
    for number, owed_by, text, status, due_in_days in commitments:
        due_on = today + datetime.timedelta(days=due_in_days) if due_in_days is not None else None
        commitment, created = Commitment.objects.get_or_create(
            agreement=agreement,
            number=number,
            defaults={"owed_by": owed_by, "text": text, "status": status, "due_on": due_on},
        )
        if not created and commitment.due_on != due_on:
            commitment.due_on = due_on
            commitment.save()


def seed_document(agreement, kind, title, confidentiality, lines):
    document, _created = AgreementDocument.objects.get_or_create(
        agreement=agreement,
        title=title,
        defaults={"kind": kind, "confidentiality": confidentiality},
    )
    if not document.file or not document.file.storage.exists(document.file.name):
        store_pdf(document.file, f"{slugify(title)}.pdf", [title, *lines])
    return document


def store_pdf(file, name, lines):
    """Saves the demo PDF to `file` and its row. A database rebuilt while the stored files were
    kept finds the same PDF in its folder already: the row points at it instead of storing a
    second copy."""
    content = minimal_pdf(lines)
    folder = posixpath.dirname(file.field.generate_filename(file.instance, name))
    for path in stored_files(file.storage, folder):
        with file.storage.open(path) as stored:
            if stored.read() == content:
                file.name = path
                file.instance.save()
                return
    file.save(name, ContentFile(content), save=True)


def stored_files(storage, folder):
    if not storage.exists(folder):
        return []
    return [f"{folder}/{name}" for name in storage.listdir(folder)[1]]


def seed_agreements(today):
    partners = {
        key: Partner.objects.get_or_create(
            name=name, defaults={"short_name": short, "kind": kind, "country": country}
        )[0]
        for key, (name, short, kind, country) in DEMO_PARTNERS.items()
    }
    partners["isoc"] = Partner.objects.get(name="Internet Society")
    officer = demo_officer()
    reviewers = demo_reviewers(today)

    isoc = Agreement.objects.get(reference="CANTO-AGR-2015-001")
    if isoc.next_review_on is None:
        isoc.next_review_on = today + datetime.timedelta(days=45)
        isoc.responsible = officer
        isoc.save()
    seed_document(
        isoc,
        AgreementDocument.Kind.SIGNED_COPY,
        "Signed copy, ISOC-CANTO cooperation agreement",
        Confidentiality.PUBLIC,
        [
            "Signed in Port of Spain, Trinidad and Tobago, on 11 February 2015.",
            "Demo copy generated by the CANTO Portal.",
        ],
    )

    for spec in demo_agreements(today):
        agreement = upsert_agreement(spec, partners, officer)
        seed_commitments(agreement, spec.get("commitments", []), today)
        for title, kind, starts_in_days, place in spec.get("activities", []):
            starts_on = today + datetime.timedelta(days=starts_in_days)
            Activity.objects.get_or_create(
                agreement=agreement,
                title=title,
                defaults={
                    "kind": kind,
                    "starts_on": starts_on,
                    "ends_on": starts_on,
                    "place": place,
                },
            )
        if agreement.signed_on:
            seed_document(
                agreement,
                AgreementDocument.Kind.SIGNED_COPY,
                f"Signed copy, {agreement.reference}",
                agreement.confidentiality,
                [
                    agreement.title,
                    f"Signed at {agreement.signed_at} on {agreement.signed_on}.",
                    "Fictional demo document.",
                ],
            )
        if agreement.confidentiality != Confidentiality.BOARD and agreement.signed_on:
            seed_document(
                agreement,
                AgreementDocument.Kind.ANNEX,
                f"Annex: board notes, {agreement.reference}",
                Confidentiality.BOARD,
                ["Board and Secretariat only.", "Fictional demo document."],
            )

    superseded = Agreement.objects.get(reference="CANTO-AGR-2016-001")
    if superseded.superseded_by is None:
        superseded.superseded_by = Agreement.objects.get(reference="CANTO-AGR-2025-001")
        superseded.save()

    if reviewers:
        for reference, outcome, comments, reviewed_days_ago in [
            ("CANTO-AGR-2015-001", "noted", "Commitments on track; briefings to resume.", 320),
            ("CANTO-AGR-2019-001", "renew", "Renew on the same terms; notice due soon.", 200),
            ("CANTO-AGR-2021-001", "renegotiate", "Ask for a consultation deadline.", 400),
            ("CANTO-AGR-2022-001", "terminate", "Sponsor changed owner; end by agreement.", 700),
        ]:
            Review.objects.get_or_create(
                agreement=Agreement.objects.get(reference=reference),
                comments=comments,
                defaults={
                    "reviewer": reviewers[len(comments) % len(reviewers)],
                    "outcome": outcome,
                    "reviewed_on": today - datetime.timedelta(days=reviewed_days_ago),
                },
            )
