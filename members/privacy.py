"""A contact's personal data: everything the portal holds about them, as JSON, and their
anonymisation once they have left.

Anonymising replaces the person's name, email and phone wherever the portal keeps them as
text: the contact, their login and its addresses, their invitations, and, in the live rows and
the history tables (django-simple-history) of every model, any text field holding exactly one
of those values (a member's public email that was the person's own, say), the names the
admin's log gives the objects it records, and the lists of addresses that emails were sent
to. Rows that must stay (council appointments, reviews, board terms) stay, pointing at
"Former contact #<pk>". The audit trail keeps the address a failed login was tried with, for
as long as it keeps security events (AUDIT_RETENTION_DAYS): it is append-only."""

import json
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import registered_models

from canto_portal import audit
from canto_portal.models import AuditAction
from members.models import Contact, Invitation

# Never exported: secrets, and the rows that only hold them.
SECRET_FIELDS = {"password", "token_hash", "data", "session_key", "session_data", "secret"}
TEXT_FIELDS = (models.CharField, models.TextField)
# Text fields holding the addresses an email went to, ", " between them, as (model, field):
# each app names its own (members/apps.py, agreements/apps.py).
ADDRESS_LISTS: list[tuple[type[models.Model], str]] = []


def holds_addresses(model: type[models.Model], field: str) -> None:
    """Names a text field that lists the addresses an email went to."""
    if (model, field) not in ADDRESS_LISTS:
        ADDRESS_LISTS.append((model, field))


@dataclass(frozen=True)
class Placeholder:
    name: str
    email: str

    @classmethod
    def for_contact(cls, contact: Contact) -> "Placeholder":
        # .invalid is reserved (RFC 2606): no mail to the placeholder address can be delivered.
        # Stored text, the same whatever language the Secretariat reads the admin in.
        return cls(
            name=f"Former contact #{contact.pk}",
            email=f"former-contact-{contact.pk}@anonymised.invalid",
        )


def export_personal_data(*, contact: Contact, by: AbstractBaseUser) -> str:
    """Everything the portal holds about `contact` as JSON: the contact, their login, and every
    row that points at either of them, secrets left out. Recorded in the audit trail."""
    rows = rows_of(contact)
    if contact.user is not None:
        rows += rows_of(contact.user)
    document = {
        "exported_at": timezone.now(),
        "contact": contact.pk,
        "rows": rows,
    }
    audit.record(action=AuditAction.PRIVACY_EXPORT, actor=by, obj=contact)
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def rows_of(instance: models.Model) -> list[dict]:
    """`instance` and the rows of every model that points at it."""
    rows = [serialise(instance)]
    for relation in instance._meta.related_objects:
        related = relation.related_model
        if relation.field.name in SECRET_FIELDS or related.__module__.startswith(
            "django.contrib.sessions"
        ):
            continue
        queryset = related._base_manager.filter(**{relation.field.name: instance})
        rows += [serialise(row) for row in queryset]
    return rows


def serialise(instance: models.Model) -> dict:
    (row,) = serializers.serialize("python", [instance])
    fields = {name: value for name, value in row["fields"].items() if name not in SECRET_FIELDS}
    return {"model": row["model"], "pk": row["pk"], "fields": fields}


def anonymisation_refusal(contact: Contact) -> str | None:
    """Why `contact` may not be anonymised, or None."""
    if contact.holds_privileged_role():
        return _(
            "%(name)s holds a current or future board term, council seat or back-office "
            "login: end it before anonymising the contact."
        ) % {"name": contact.name}
    return None


def anonymise_contact(*, contact: Contact, by: AbstractBaseUser) -> Contact:
    """Replaces the person's name, email and phone everywhere (module docstring); their login
    can no longer be used. Recorded in the audit trail."""
    refusal = anonymisation_refusal(contact)
    if refusal:
        raise ValidationError(refusal)
    placeholder = Placeholder.for_contact(contact)
    replacements = {
        value: replacement
        for value, replacement in (
            (contact.name, placeholder.name),
            (contact.email, placeholder.email),
            (contact.phone, ""),
        )
        if value
    }
    with transaction.atomic():
        if contact.user_id:
            forget_login(contact.user, placeholder)
        Invitation.objects.filter(contact=contact).update(email=placeholder.email)
        for model in text_holding_models():
            replace_text(model, replacements)
        if contact.name:
            rename_in_admin_log(contact.name, placeholder.name)
        if contact.email:
            replace_address(contact.email, placeholder.email)
        Contact.objects.filter(pk=contact.pk).update(
            name=placeholder.name, email=placeholder.email, phone="", job_title=""
        )
        audit.record(action=AuditAction.PRIVACY_ANONYMISE, actor=by, obj=contact)
    contact.refresh_from_db()
    return contact


def forget_login(user, placeholder: Placeholder) -> None:
    user.username = user.email = placeholder.email
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    user.authenticator_set.all().delete()


def text_holding_models() -> list[type[models.Model]]:
    """The models whose text may hold a person's details: those with history, their history
    tables, and the admin's log (which names each object it records a change to)."""
    tracked = list(registered_models.values())
    return [LogEntry, *tracked, *(model.history.model for model in tracked)]


def rename_in_admin_log(name: str, replacement: str) -> None:
    """The admin's log names each object as it was then ("Name (Member)" for a contact)."""
    LogEntry.objects.filter(object_repr__contains=name).update(
        object_repr=Replace("object_repr", Value(name), Value(replacement))
    )


def replace_address(email: str, replacement: str) -> None:
    """The address in every list of ADDRESS_LISTS, where it is one of the list's items."""
    for model, field in ADDRESS_LISTS:
        rows = model._base_manager.filter(**{f"{field}__contains": email})
        for pk, addresses in rows.values_list("pk", field):
            items = [replacement if item == email else item for item in addresses.split(", ")]
            model._base_manager.filter(pk=pk).update(**{field: ", ".join(items)})


def replace_text(model: type[models.Model], replacements: dict[str, str]) -> None:
    for field in model._meta.concrete_fields:
        if not isinstance(field, TEXT_FIELDS) or field.name in SECRET_FIELDS:
            continue
        limit = field.max_length
        for value, replacement in replacements.items():
            # PostgreSQL refuses a value longer than the column even where no row matches.
            if limit and len(value) > limit:
                continue
            model._base_manager.filter(**{field.name: value}).update(
                **{field.name: replacement[:limit] if limit else replacement}
            )
