"""The Secretariat's privacy actions on contacts: export a person's data, anonymise them."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.privacy import anonymisation_refusal, anonymise_contact, export_personal_data
from members.roles import roles_for


def one_contact_for_the_secretariat(modeladmin, request, queryset):
    """The one selected contact, or None after telling why not."""
    if not roles_for(request).is_secretariat:
        modeladmin.message_user(request, _("Only the Secretariat may do this."), messages.ERROR)
        return None
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Select exactly one contact."), messages.ERROR)
        return None
    return queryset.get()


@admin.action(description=gettext_lazy("Export personal data (JSON)"), permissions=["view"])
def export_personal_data_action(modeladmin, request, queryset):
    contact = one_contact_for_the_secretariat(modeladmin, request, queryset)
    if contact is None:
        return None
    response = HttpResponse(
        export_personal_data(contact=contact, by=request.user),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
    return response


@admin.action(description=gettext_lazy("Anonymise a contact who has left"), permissions=["change"])
def anonymise_contact_action(modeladmin, request, queryset):
    contact = one_contact_for_the_secretariat(modeladmin, request, queryset)
    if contact is None:
        return None
    refusal = anonymisation_refusal(contact)
    if refusal:
        modeladmin.message_user(request, refusal, messages.ERROR)
        return None
    if request.POST.get("confirmed") != "yes":
        return TemplateResponse(
            request,
            "admin/members/contact/anonymise_confirm.html",
            {
                **modeladmin.admin_site.each_context(request),
                "contact": contact,
                "opts": modeladmin.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
    try:
        anonymise_contact(contact=contact, by=request.user)
    except ValidationError as error:
        modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        return None
    modeladmin.message_user(
        request, _("The contact is now %(name)s.") % {"name": contact.name}, messages.SUCCESS
    )
    return None
