import datetime
import time
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from members.models import BoardTerm, Contact, Dues, Member, MembershipCategory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.SelfAttribute("username")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class MembershipCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipCategory
        django_get_or_create = ["name"]

    name = "Full"
    annual_dues = Decimal("5000.00")
    voting_rights = True


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"Member Operator {n}")
    category = factory.SubFactory(MembershipCategoryFactory)
    country = "TT"
    city = "Port of Spain"
    website = "https://operator.example"
    joined_on = datetime.date(2001, 3, 1)
    status = Member.Status.ACTIVE

    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    class Params:
        with_login = factory.Trait(
            user=factory.SubFactory(UserFactory, username=factory.SelfAttribute("..email"))
        )

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Contact Person {n}")
    email = factory.Sequence(lambda n: f"contact{n}@operator.example")
    job_title = "Network Engineer"
    role = Contact.Role.OTHER


class DuesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dues

    member = factory.SubFactory(MemberFactory)
    year = factory.Sequence(lambda n: 2000 + n % 100)
    amount = Decimal("5000.00")
    status = Dues.Status.PAID
    paid_on = factory.LazyAttribute(
        lambda o: datetime.date(o.year, 3, 1) if o.status == Dues.Status.PAID else None
    )


class BoardTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardTerm

    contact = factory.SubFactory(ContactFactory)
    role = BoardTerm.Role.DIRECTOR
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=730))


def activate_totp(user, secret=None):
    """Secretariat and board members must have MFA set up; tests give them a TOTP device."""
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


# A code typed in the last seconds of its period can reach the server in the next one, where
# allauth (no tolerance) refuses it; a person would wait for the next code, and so do tests.
CODE_TYPING_SECONDS = 5


def current_code(secret):
    """The code the director's authenticator app shows, with time left to type it."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < CODE_TYPING_SECONDS:
        time.sleep(period - time.time() % period)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
