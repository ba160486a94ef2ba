"""Fictional demo data for the member register, built around the association's real figures:
123 members in 34 countries and territories, 8 of them founding members of 1985.

Every name here is invented. Generation is seeded, so running it again updates the same rows
to the same values instead of adding new ones."""

import base64
import datetime
import random
import time
from decimal import Decimal

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from members.models import BoardTerm, Contact, Dues, Member, MembershipCategory
from members.roles import SECRETARIAT_GROUP

MEMBER_COUNT = 123
FOUNDING_COUNT = 8
SUSPENDED = 3
LAPSED = 3

# 34 countries and territories, the first eight home to the founding members.
COUNTRIES = [
    ("TT", "Port of Spain"),
    ("JM", "Kingston"),
    ("BB", "Bridgetown"),
    ("BS", "Nassau"),
    ("GY", "Georgetown"),
    ("BZ", "Belmopan"),
    ("AG", "St. John's"),
    ("LC", "Castries"),
    ("GD", "St. George's"),
    ("VC", "Kingstown"),
    ("DM", "Roseau"),
    ("KN", "Basseterre"),
    ("AI", "The Valley"),
    ("MS", "Brades"),
    ("VG", "Road Town"),
    ("KY", "George Town"),
    ("TC", "Cockburn Town"),
    ("BM", "Hamilton"),
    ("AW", "Oranjestad"),
    ("CW", "Willemstad"),
    ("SX", "Philipsburg"),
    ("BQ", "Kralendijk"),
    ("SR", "Paramaribo"),
    ("HT", "Port-au-Prince"),
    ("DO", "Santo Domingo"),
    ("CU", "Havana"),
    ("PR", "San Juan"),
    ("VI", "Charlotte Amalie"),
    ("GP", "Pointe-à-Pitre"),
    ("MQ", "Fort-de-France"),
    ("GF", "Cayenne"),
    ("MF", "Marigot"),
    ("BL", "Gustavia"),
    ("US", "Miami"),
]

NAME_STEMS = [
    "Coralwave",
    "Tradewind",
    "Blue Lagoon",
    "Palmetto",
    "Reefline",
    "Hibiscus",
    "Mangrove",
    "Sargasso",
    "Leeward",
    "Windward",
    "Antilles Link",
    "Caribe Span",
    "Sunsplash",
    "Pelican",
    "Frigatebird",
    "Conch Shell",
    "Flamingo",
    "Kiskadee",
    "Breadfruit",
    "Calypso",
    "Steelpan",
    "Seagrape",
    "Turquoise",
    "Harbourlight",
    "Bluewater",
    "Islandspan",
    "Archipelago",
    "Trade Route",
    "Silk Cotton",
    "Poui",
    "Samaan",
    "Ibis",
    "Manatee",
    "Hummingbird",
    "Lignum",
    "Sea Fan",
    "Driftwood",
    "Lighthouse",
    "Cascadura",
    "Moko Jumbie",
]
NAME_KINDS = [
    "Telecom",
    "Communications",
    "Networks",
    "Mobile",
    "Fibre",
    "Broadband",
    "Connect",
    "Telephone Company",
    "Digital",
    "Wireless",
    "Cable and Data",
    "Carrier Services",
]
FIRST_NAMES = [
    "Aaliyah",
    "Andre",
    "Anya",
    "Baptiste",
    "Camille",
    "Carlos",
    "Celestine",
    "Dario",
    "Delia",
    "Desmond",
    "Elena",
    "Errol",
    "Farida",
    "Gaston",
    "Giselle",
    "Hakim",
    "Imani",
    "Isaura",
    "Jovan",
    "Kemal",
    "Keisha",
    "Lionel",
    "Lucinda",
    "Marisol",
    "Nadine",
    "Nigel",
    "Odalys",
    "Perrin",
    "Quincy",
    "Renata",
    "Rohan",
    "Sabine",
    "Selwyn",
    "Tamsin",
    "Ulric",
    "Valeska",
    "Winston",
    "Xiomara",
    "Yannick",
    "Zaida",
]
LAST_NAMES = [
    "Abernathy-Cole",
    "Baptistine",
    "Carrington-Hoyte",
    "Delacroix-Mend",
    "Esterhuys",
    "Fairweather-Lam",
    "Gonsalvez-Ward",
    "Harcourt-Deane",
    "Ismaili-Brandt",
    "Jacquemin",
    "Kowalczyk-Ross",
    "Lavalette",
    "Montclair-Ruiz",
    "Nakamura-Price",
    "Oyelaran",
    "Pemberton-Sosa",
    "Quarless-Vidal",
    "Rosenthal-Bain",
    "Santangelo",
    "Thistlewood",
    "Uzoma-Greaves",
    "Vanterpool-Ayo",
    "Westerhout",
    "Yearwood-Kahn",
    "Zwaanstra",
]
JOB_TITLES = {
    Contact.Role.PRIMARY: ["Chief Executive Officer", "Managing Director", "General Manager"],
    Contact.Role.BILLING: ["Finance Manager", "Accounts Payable Lead"],
    Contact.Role.TECHNICAL: ["Chief Technology Officer", "Head of Network Operations"],
    Contact.Role.REGULATORY: ["Regulatory Affairs Manager", "Head of Legal and Regulatory"],
    Contact.Role.OTHER: ["Business Development Manager", "Corporate Communications Lead"],
}

DEMO_LOGINS = {
    "secretariat": "secretariat@demo.canto.example",
    "board": "board@demo.canto.example",
    "operator": "operator@demo.canto.example",
}
# The Secretariat and the Board must use two-factor authentication. Their demo logins come with
# an authenticator already set up on these fixed secrets, so that `manage.py demo_logins` can
# print the current codes and a newcomer can log in without an authenticator app.
DEMO_TOTP_SECRETS = {
    "secretariat": base64.b32encode(b"canto-demo-secr-2026").decode(),
    "board": base64.b32encode(b"canto-demo-board-026").decode(),
}


def keep(model, *, lookup, values):
    """Like `update_or_create`, but a row that already holds these values is not saved again:
    every save of a model with history adds a history row, and a second run of the seed
    should leave no trace."""
    row, created = model.objects.get_or_create(**lookup, defaults=values)
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    if not created and changed:
        for name, value in changed.items():
            setattr(row, name, value)
        row.save()
    return row


def member_names(rng):
    names = [f"{stem} {kind}" for stem in NAME_STEMS for kind in NAME_KINDS]
    rng.shuffle(names)
    return names[:MEMBER_COUNT]


def member_countries(rng):
    """Every one of the 34 appears at least once; the rest spread over the region."""
    countries = list(COUNTRIES)
    extra = [rng.choice(COUNTRIES[:30]) for _ in range(MEMBER_COUNT - len(COUNTRIES))]
    return countries + extra


@transaction.atomic
def seed(rng=None, today=None):
    rng = rng or random.Random(1985)
    today = today or timezone.localdate()
    categories = {c.name: c for c in MembershipCategory.objects.all()}
    with_login = set(Contact.objects.filter(user__isnull=False).values_list("member__slug", "role"))
    members = []
    names = member_names(rng)
    for index, ((country, city), name) in enumerate(zip(member_countries(rng), names, strict=True)):
        founding = index < FOUNDING_COUNT
        if founding:
            category = categories["Full"]
            joined = datetime.date(1985, rng.randint(1, 12), rng.randint(1, 28))
        else:
            category = categories[rng.choices(["Full", "Associate", "Affiliate"], [5, 3, 2])[0]]
            joined = datetime.date(rng.randint(1986, today.year - 1), rng.randint(1, 12), 1)
        status = Member.Status.ACTIVE
        if MEMBER_COUNT - SUSPENDED - LAPSED <= index < MEMBER_COUNT - LAPSED:
            status = Member.Status.SUSPENDED
        elif index >= MEMBER_COUNT - LAPSED:
            status = Member.Status.LAPSED
        slug = slugify(f"{name}-{country}")
        member = keep(
            Member,
            lookup={"slug": slug},
            values={
                "name": name,
                "category": category,
                "country": country,
                "city": city,
                "website": f"https://www.{slugify(name)}.example",
                "description": (
                    f"{name} serves customers in {city} and beyond with voice, data and "
                    "connectivity services."
                ),
                "public_email": f"info@{slugify(name)}.example",
                "joined_on": joined,
                "founding_member": founding,
                "status": status,
            },
        )
        members.append(member)
        seed_contacts(member, rng, with_login)
        seed_dues(member, rng, today)
    seed_board(members, rng, today)
    return members


def seed_contacts(member, rng, with_login):
    roles = [
        Contact.Role.PRIMARY,
        Contact.Role.BILLING,
        Contact.Role.TECHNICAL,
        Contact.Role.REGULATORY,
        Contact.Role.OTHER,
    ]
    domain = f"{slugify(member.name)}.example"
    for position, role in enumerate(roles[: rng.randint(2, 5)]):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        values = {
            "name": f"{first} {last}",
            "email": f"{role}.{slugify(first)}@{domain}",
            "job_title": rng.choice(JOB_TITLES[role]),
            "phone": f"+1 868 555 {rng.randint(1000, 9999)}",
            "is_member_admin": position == 0,
        }
        if (member.slug, role) in with_login:
            # The demo login gave this contact its address and flag: seed_demo_logins owns them.
            del values["email"], values["is_member_admin"]
        keep(Contact, lookup={"member": member, "role": role}, values=values)


def seed_dues(member, rng, today):
    invoiced = set(member.dues.filter(invoices__isnull=False).values_list("year", flat=True))
    for year in range(today.year - 2, today.year + 1):
        if member.joined_on.year > year:
            continue
        if member.status != Member.Status.ACTIVE and year >= today.year - 1:
            status = Dues.Status.OVERDUE
        elif year == today.year:
            status = rng.choices(
                [Dues.Status.PAID, Dues.Status.ISSUED, Dues.Status.OVERDUE], [12, 5, 1]
            )[0]
        else:
            status = rng.choices([Dues.Status.PAID, Dues.Status.WAIVED], [30, 1])[0]
        paid_on = None
        if status == Dues.Status.PAID:
            paid_on = datetime.date(year, rng.randint(1, 6), rng.randint(1, 28))
        # An invoiced year's status follows its invoice (members.demo_billing). Its random
        # draws above are made all the same, so that a second run draws what the first did.
        if year in invoiced:
            continue
        keep(
            Dues,
            lookup={"member": member, "year": year},
            values={
                "amount": member.category.annual_dues * Decimal(1),
                "currency": "USD",
                "status": status,
                "paid_on": paid_on,
            },
        )


def seed_board(members, rng, today):
    """A board of nine from Full members, elected for two years, with the previous board."""
    eligible = [
        m for m in members if m.status == Member.Status.ACTIVE and m.category.name == "Full"
    ]
    current_start = datetime.date(today.year if today.month >= 5 else today.year - 1, 5, 1)
    terms = [
        (current_start, datetime.date(current_start.year + 2, 4, 30), eligible[:9]),
        (
            datetime.date(current_start.year - 2, 5, 1),
            datetime.date(current_start.year, 4, 30),
            eligible[4:13],
        ),
    ]
    for starts_on, ends_on, board in terms:
        for seat, member in enumerate(board):
            role = (
                [BoardTerm.Role.CHAIR, BoardTerm.Role.VICE_CHAIR][seat]
                if seat < 2
                else (BoardTerm.Role.DIRECTOR)
            )
            contact = member.contacts.get(role=Contact.Role.PRIMARY)
            keep(
                BoardTerm,
                lookup={"contact": contact, "starts_on": starts_on},
                values={"role": role, "ends_on": ends_on},
            )


def seed_demo_logins():
    """Logins for the three demo roles; the caller makes sure DEBUG is on."""
    if not settings.DEBUG:
        raise RuntimeError("Demo logins are never created with DEBUG off.")
    secretariat = demo_user(DEMO_LOGINS["secretariat"], "Demo Secretariat", is_staff=True)
    secretariat.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    demo_authenticator(secretariat, DEMO_TOTP_SECRETS["secretariat"])

    chair = BoardTerm.objects.current().filter(role=BoardTerm.Role.CHAIR).first()
    board = link_contact(chair.contact, DEMO_LOGINS["board"])
    demo_authenticator(board.user, DEMO_TOTP_SECRETS["board"])

    operator_member = Member.objects.active().filter(founding_member=True).order_by("name").first()
    operator = (
        operator_member.contacts.exclude(board_terms__isnull=False)
        .filter(is_member_admin=True)
        .first()
        or operator_member.contacts.exclude(board_terms__isnull=False).first()
    )
    # The demo shows what a member admin manages (the README says so): the profile, contacts
    # and invitations, whoever held the flag in the generated data.
    link_contact(operator, DEMO_LOGINS["operator"], is_member_admin=True)


def demo_user(email, name, is_staff=False):
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": name, "is_staff": is_staff}
    )
    if created:
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    keep(
        EmailAddress,
        lookup={"user": user, "email": email},
        values={"verified": True, "primary": True},
    )
    return user


def demo_authenticator(user, secret):
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)


def current_demo_code(role):
    """What an authenticator app set up on the role's demo secret shows now."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRETS[role], counter))


def link_contact(contact, email, **values):
    return keep(
        Contact,
        lookup={"pk": contact.pk},
        values={"email": email, "user": demo_user(email, contact.name), **values},
    )
