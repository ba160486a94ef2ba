"""Builds the benchmark dataset: ten times the real association, written in bulk.

1,230 members in 34 countries, about 6,000 contacts, three years of dues with their invoices,
payments, credit notes, reminders and lapse proposals, 300 agreements with commitments, reviews
and change history, 200 briefings; plus one login per role whose session keys are written to a
JSON file so the load generator never spends its time logging in.
Run through bench/run.py, which points it at a throw-away PostgreSQL database."""

import datetime
import json
import os
import random
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canto_portal.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

from agreements.models import (  # noqa: E402
    Agreement,
    Briefing,
    Commitment,
    Partner,
    Review,
    Topic,
)
from members.demo import COUNTRIES, FIRST_NAMES, LAST_NAMES, NAME_KINDS, NAME_STEMS  # noqa: E402
from members.models import (  # noqa: E402
    BoardTerm,
    Contact,
    CreditNote,
    Dues,
    DuesRate,
    Invoice,
    InvoiceLine,
    InvoiceReminder,
    LapseProposal,
    Member,
    MembershipCategory,
    Payment,
)
from members.roles import SECRETARIAT_GROUP  # noqa: E402
from members.services import billing  # noqa: E402

SCALE = int(os.environ.get("BENCH_SCALE", "10"))
MEMBERS = 123 * SCALE
AGREEMENTS = 30 * SCALE
BRIEFINGS = 20 * SCALE
SESSIONS_FILE = Path(os.environ.get("BENCH_SESSIONS_FILE", ROOT / "bench" / ".sessions.json"))


def build_members(rng, today):
    categories = list(MembershipCategory.objects.all())
    members = []
    for index in range(MEMBERS):
        stem = NAME_STEMS[index % len(NAME_STEMS)]
        kind = NAME_KINDS[(index // len(NAME_STEMS)) % len(NAME_KINDS)]
        name = f"{stem} {kind} {index // (len(NAME_STEMS) * len(NAME_KINDS)) + 1}"
        country, city = COUNTRIES[index % len(COUNTRIES)]
        members.append(
            Member(
                name=name,
                slug=slugify(f"{name}-{country}"),
                category=categories[index % len(categories)],
                country=country,
                city=city,
                website=f"https://www.{slugify(name)}.example",
                description=f"{name} serves customers in {city}.",
                joined_on=datetime.date(1985 + index % 40, 1 + index % 12, 1),
                founding_member=index < 8,
                status=Member.Status.ACTIVE if index % 20 else Member.Status.LAPSED,
            )
        )
    members = bulk_create_with_history(members, Member, batch_size=500)
    members = list(Member.objects.order_by("pk"))

    roles = list(Contact.Role)
    contacts = []
    for member in members:
        for position in range(3 + member.pk % 5):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            contacts.append(
                Contact(
                    member=member,
                    name=f"{first} {last}",
                    email=f"c{position}.{member.slug}@bench.example",
                    job_title="Manager",
                    role=roles[position] if position < len(roles) else Contact.Role.OTHER,
                    is_member_admin=position == 0,
                )
            )
    Contact.objects.bulk_create(contacts, batch_size=1000)

    dues = []
    for member in members:
        for year in range(today.year - 2, today.year + 1):
            status = rng.choices(["paid", "issued", "overdue", "waived"], [14, 4, 1, 1])[0]
            dues.append(
                Dues(
                    member=member,
                    year=year,
                    amount=member.category.annual_dues,
                    status=status,
                    paid_on=datetime.date(year, 3, 1) if status == "paid" else None,
                )
            )
    bulk_create_with_history(dues, Dues, batch_size=1000)
    return members


def build_agreements(rng, today):
    partners = Partner.objects.bulk_create(
        [
            Partner(name=f"Bench Partner {n}", kind=list(Partner.Kind)[n % 5], country="US")
            for n in range(40)
        ]
    )
    agreements = []
    for n in range(AGREEMENTS):
        effective = today - datetime.timedelta(days=rng.randint(30, 3000))
        agreements.append(
            Agreement(
                reference=f"CANTO-AGR-{2000 + n % 26}-{100 + n:03d}",
                title=f"Bench agreement {n}",
                kind=list(Agreement.Kind)[n % 4],
                status=["active", "draft", "negotiation", "expired"][n % 4],
                signed_on=effective,
                signed_at="Port of Spain",
                effective_from=effective,
                expires_on=effective + datetime.timedelta(days=rng.randint(400, 4000)),
                confidentiality=["public", "members", "board"][n % 3],
                summary="A benchmark agreement. " * 5,
                next_review_on=today + datetime.timedelta(days=rng.randint(-60, 300)),
            )
        )
    agreements = bulk_create_with_history(agreements, Agreement, batch_size=300)
    agreements = list(Agreement.objects.filter(title__startswith="Bench agreement"))
    through = Agreement.partners.through
    through.objects.bulk_create(
        [
            through(agreement=a, partner=partners[i % len(partners)])
            for i, a in enumerate(agreements)
        ]
    )
    commitments = [
        Commitment(
            agreement=agreement,
            number=number,
            text=f"Commitment {number} of {agreement.reference}",
            owed_by="both",
            status=list(Commitment.Status)[number % 5],
            due_on=today + datetime.timedelta(days=rng.randint(-100, 400)),
        )
        for agreement in agreements
        for number in range(1, 6)
    ]
    bulk_create_with_history(commitments, Commitment, batch_size=1000)
    # A few real edits so each agreement has a change history, not only its creation.
    for agreement in agreements[:: max(1, len(agreements) // 100)]:
        agreement.summary += " Revised."
        agreement.save()
    return agreements


def build_reviews(agreements, reviewer, today):
    Review.objects.bulk_create(
        [
            Review(
                agreement=agreement,
                reviewer=reviewer,
                reviewed_on=today - datetime.timedelta(days=90 * k),
                outcome=list(Review.Outcome)[k % 5],
                comments="Reviewed at the board meeting.",
            )
            for agreement in agreements
            for k in range(2)
        ]
    )


def build_briefings(today):
    topics = list(Topic.objects.all())
    briefings = Briefing.objects.bulk_create(
        [
            Briefing(
                title=f"Bench briefing {n}",
                slug=f"bench-briefing-{n}",
                summary="What the region should know.",
                body="## Heading\n\nA paragraph with **emphasis** and a [link](https://example.org).\n"
                * 20,
                audience="public" if n % 3 else "members",
                status="published",
                published_at=timezone.now() - datetime.timedelta(days=n),
            )
            for n in range(BRIEFINGS)
        ]
    )
    through = Briefing.topics.through
    through.objects.bulk_create(
        [through(briefing=b, topic=topics[i % len(topics)]) for i, b in enumerate(briefings)]
    )


# What becomes of a year's dues invoices, and how often. Earlier years are settled but for a
# few still open long enough to be proposed for lapsing; this year's, due six weeks ago, are
# still coming in. A voided invoice is issued again, corrected, and paid.
OUTCOMES = {"paid": 88, "instalments": 5, "part": 2, "unpaid": 2, "waived": 2, "voided": 1}
THIS_YEAR_OUTCOMES = {
    "paid": 72,
    "instalments": 8,
    "part": 7,
    "unpaid": 9,
    "waived": 2,
    "voided": 2,
}
# This autumn's conference packages, not due yet: one member in six bought one.
PACKAGE_PRICE = Decimal("750.00")
PACKAGE_OUTCOMES = {"paid": 3, "part": 2, "unpaid": 5}


def capped(day, today):
    return min(day, today - datetime.timedelta(days=1))


def payments_for(invoice, outcome, rng, today, by):
    """The transfers an invoice received, by its outcome; none for unpaid, waived, voided."""
    total = invoice.total
    early = invoice.issued_on + datetime.timedelta(days=rng.randint(3, 40))
    if outcome == "paid":
        parts = [(total, early)]
    elif outcome == "instalments":
        first = (total / 2).quantize(Decimal("0.01"))
        late = invoice.due_on + datetime.timedelta(days=rng.randint(10, 80))
        parts = [(first, early), (total - first, late)]
    elif outcome == "part":
        parts = [
            (
                (total * rng.choice([Decimal("0.25"), Decimal("0.5")])).quantize(Decimal("0.01")),
                early,
            )
        ]
    else:
        parts = []
    return [
        Payment(
            invoice=invoice,
            amount=amount,
            currency=invoice.currency,
            paid_on=capped(paid_on, today),
            method=Payment.Method.CHEQUE if invoice.pk % 9 == 0 else Payment.Method.BANK_TRANSFER,
            reference=f"BENCH-{invoice.number}-{number}",
            recorded_by=by,
        )
        for number, (amount, paid_on) in enumerate(parts, start=1)
    ]


def reminders_for(invoice, outcome, today):
    """The issue notice for every invoice; the later stages for those not paid by their due
    date, each once its day has come."""
    due = invoice.due_on
    stages = [(InvoiceReminder.Stage.ISSUED, invoice.issued_on)]
    if outcome in {"instalments", "part", "unpaid"}:
        stages += [
            (InvoiceReminder.Stage.BEFORE_DUE, due - datetime.timedelta(days=14)),
            (InvoiceReminder.Stage.DUE, due),
            (InvoiceReminder.Stage.OVERDUE, due + datetime.timedelta(days=30)),
        ]
    return [
        InvoiceReminder(
            invoice=invoice,
            stage=stage,
            sent_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(6))),
            recipients=f"c0.{invoice.member.slug}@bench.example",
        )
        for stage, day in stages
        if day <= today
    ]


def close(invoices, outcome, today, by):
    """Waives or voids `invoices` in one update, voided ones with their credit notes."""
    if not invoices:
        return
    day = capped(invoices[0].due_on + datetime.timedelta(days=20), today)
    chosen = Invoice.objects.filter(pk__in=[invoice.pk for invoice in invoices])
    if outcome == "waived":
        chosen.update(
            waived_on=day, waived_reason="Hurricane relief agreed by the Board.", closed_by=by
        )
        return
    day = invoices[0].issued_on + datetime.timedelta(days=7)
    reason = "Issued under the wrong membership category."
    chosen.update(voided_on=day, void_reason=reason, closed_by=by)
    CreditNote.objects.bulk_create(
        CreditNote(
            invoice=invoice,
            number=f"CN-{invoice.number}",
            issued_on=day,
            amount=invoice.total,
            reason=reason,
            issued_by=by,
        )
        for invoice in invoices
    )


def settle(invoices, outcomes, rng, today, by, forced=None):
    """Gives each invoice an outcome, `forced` ones theirs; returns the invoices voided."""
    forced = forced or {}
    payments, reminders, closing = [], [], defaultdict(list)
    for invoice in invoices:
        outcome = (
            forced.get(invoice.member_id) or rng.choices(list(outcomes), list(outcomes.values()))[0]
        )
        payments += payments_for(invoice, outcome, rng, today, by)
        reminders += reminders_for(invoice, outcome, today)
        if outcome in {"waived", "voided"}:
            closing[outcome].append(invoice)
    Payment.objects.bulk_create(payments, batch_size=2000)
    # What recording a payment keeps on its invoice, which bulk_create does not.
    paid = defaultdict(Decimal)
    for payment in payments:
        paid[payment.invoice_id] += payment.amount
    for invoice in invoices:
        invoice.paid = paid[invoice.pk]
    Invoice.objects.bulk_update(invoices, ["paid"], batch_size=2000)
    InvoiceReminder.objects.bulk_create(reminders, batch_size=2000)
    for outcome, closed in closing.items():
        close(closed, outcome, today, by)
    return closing["voided"]


def build_packages(members, rng, today, by, operator):
    """Conference packages issued ten days ago, not due yet: the open, partly paid and paid
    invoices that are not dues."""
    issued_on = today - datetime.timedelta(days=10)
    buyers = [
        m for m in members if m.status == Member.Status.ACTIVE and (m.pk % 6 == 0 or m == operator)
    ]
    numbers = billing.next_numbers(year=issued_on.year, count=len(buyers))
    invoices = []
    for member, number in zip(buyers, numbers, strict=True):
        quantity = 1 + member.pk % 3
        invoices.append(
            Invoice(
                member=member,
                kind=Invoice.Kind.OTHER,
                year=issued_on.year,
                number=number,
                issued_on=issued_on,
                due_on=issued_on + datetime.timedelta(days=settings.DUES_NET_DAYS),
                total=PACKAGE_PRICE * quantity,
                issued_by=by,
            )
        )
    invoices = Invoice.objects.bulk_create(invoices)
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            description="Annual Conference and Trade Exhibition, delegate package",
            quantity=invoice.total / PACKAGE_PRICE,
            unit_price=PACKAGE_PRICE,
            amount=invoice.total,
        )
        for invoice in invoices
    )
    settle(invoices, PACKAGE_OUTCOMES, rng, today, by, forced={operator.pk: "unpaid"})


def build_billing(members, rng, today, by, operator):
    """Three years of dues, issued as the Secretariat issues them (members.services.billing),
    paid, reminded, waived and voided in bulk; then the dues records follow their invoices
    and long-overdue members are proposed for lapsing, as the daily run does."""
    for category in MembershipCategory.objects.all():
        DuesRate.objects.bulk_create(
            DuesRate(category=category, year=year, amount=category.annual_dues)
            for year in range(today.year - 2, today.year + 1)
        )
    for year in range(today.year - 2, today.year + 1):
        this_year = year == today.year
        issued_on = today - datetime.timedelta(days=75) if this_year else datetime.date(year, 1, 15)
        invoices = billing.issue_dues(year=year, by=by, issued_on=issued_on)
        voided = settle(
            invoices,
            THIS_YEAR_OUTCOMES if this_year else OUTCOMES,
            rng,
            today,
            by,
            # The operator's dashboard shows an overdue invoice, partly paid.
            forced={operator.pk: "part" if this_year else "paid"},
        )
        if voided:
            corrected = billing.issue_dues(
                year=year, by=by, issued_on=voided[0].issued_on + datetime.timedelta(days=7)
            )
            settle(corrected, {"paid": 1}, rng, today, by)
    build_packages(members, rng, today, by, operator)
    # Planner statistics for the rows just written: without them the daily run's queries
    # below plan for empty tables and take seconds.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_invoice, members_payment, members_dues, members_member")
    billing.mirror_dues(invoices=Invoice.objects.dues(), today=today)
    billing.propose_lapses(today=today)


def login(email, contact=None, staff=False, mfa=False):
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.create_user(
        username=email, email=email, password="bench-password-not-secret", is_staff=staff
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if contact:
        contact.user = user
        contact.save(update_fields=["user"])
    if mfa:
        TOTP.activate(user, generate_totp_secret())
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return user, session.session_key


@transaction.atomic
def main():
    begun = time.perf_counter()
    rng = random.Random(2015)
    today = timezone.localdate()
    members = build_members(rng, today)
    operator_member = members[10]
    board_contact = Contact.objects.filter(member=members[20]).order_by("pk").first()
    BoardTerm.objects.create(
        contact=board_contact,
        role=BoardTerm.Role.CHAIR,
        starts_on=today - datetime.timedelta(days=100),
        ends_on=today + datetime.timedelta(days=600),
    )
    secretariat, secretariat_session = login("secretariat@bench.example", staff=True, mfa=True)
    secretariat.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    board, board_session = login("board@bench.example", board_contact, mfa=True)
    _, operator_session = login(
        "operator@bench.example",
        Contact.objects.filter(member=operator_member, is_member_admin=True).first(),
    )
    started = time.perf_counter()
    build_billing(members, rng, today, secretariat, operator_member)
    print(f"Billing built in {time.perf_counter() - started:.1f} s.")
    agreements = build_agreements(rng, today)
    build_reviews(agreements, board, today)
    build_briefings(today)
    other = members[30]
    SESSIONS_FILE.write_text(
        json.dumps(
            {
                "sessions": {
                    "secretariat": secretariat_session,
                    "board": board_session,
                    "operator": operator_session,
                },
                "member_slug": other.slug,
                "member_country": other.country.code,
                "member_category": other.category.pk,
                "agreement": "CANTO-AGR-2015-001",
            },
            indent=2,
        )
    )
    print(
        f"Dataset: {Member.objects.count()} members, {Contact.objects.count()} contacts, "
        f"{Dues.objects.count()} dues, {Invoice.objects.count()} invoices "
        f"({Invoice.objects.overdue(on=today).count()} overdue, "
        f"{Invoice.objects.filter(voided_on__isnull=False).count()} void, "
        f"{Invoice.objects.filter(waived_on__isnull=False).count()} waived), "
        f"{Payment.objects.count()} payments, {CreditNote.objects.count()} credit notes, "
        f"{InvoiceReminder.objects.count()} reminders, "
        f"{LapseProposal.objects.count()} lapse proposals, {Agreement.objects.count()} agreements, "
        f"{Commitment.objects.count()} commitments, {Review.objects.count()} reviews, "
        f"{Briefing.objects.count()} briefings, in {time.perf_counter() - begun:.1f} s."
    )


if __name__ == "__main__":
    main()
