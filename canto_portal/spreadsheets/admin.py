"""Import and export buttons in the admin: CSV or XLSX, all or nothing, and a confirm step that
only the preview can make.

The library's confirm form carries the temporary file's name, the format and the resource in
hidden fields, and trusts them. Here the preview signs them, for this login and this list: a
confirm with another file name (a path to /etc/passwd, say), another format or another
resource is refused before anything is read. The file is claimed before it is imported, so a
confirm sent twice imports once."""

import os

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm

from canto_portal import audit
from canto_portal.models import AuditAction
from canto_portal.spreadsheets.formats import FORMATS, UnreadableFile

# The preview's page stays open while someone checks it; a day is plenty.
CONFIRM_MAX_AGE = 24 * 60 * 60


class SignedConfirmImportForm(ConfirmImportForm):
    SIGNED_FIELDS = ("import_file_name", "original_file_name", "format", "resource")

    signature = forms.CharField(widget=forms.HiddenInput())

    def __init__(self, *args, salt, **kwargs):
        super().__init__(*args, **kwargs)
        self.salt = salt
        if self.initial:
            self.initial["import_file_name"] = os.path.basename(self.initial["import_file_name"])
            self.initial["signature"] = signing.dumps(self.signed_values(self.initial), salt=salt)

    def signed_values(self, data):
        return [str(data.get(name) or "") for name in self.SIGNED_FIELDS]

    def clean(self):
        data = super().clean()
        try:
            signed = signing.loads(
                data.get("signature", ""), salt=self.salt, max_age=CONFIRM_MAX_AGE
            )
        except signing.BadSignature:
            signed = None
        if signed != self.signed_values(data):
            raise forms.ValidationError(
                _(
                    "This confirmation does not match the preview it claims to come from, or "
                    "the preview is more than a day old. Nothing was imported. Upload the file "
                    "again."
                )
            )
        return data


class SpreadsheetImportExportMixin(ImportExportMixin):
    """Import and export in the admin, the portal's way.

    The preview (dry run) is the library's. What is added: a signed confirm step, and a
    confirm that imports the file a second time, rolls back and says so if the data changed
    in between and a row now fails, instead of reporting a success."""

    formats = FORMATS
    confirm_form_class = SignedConfirmImportForm
    confirm_refused_template_name = "admin/import_export/confirm_refused.html"

    def get_confirm_form_kwargs(self, request, import_form=None):
        # Bound to the login and the list, so that a preview cannot be confirmed by someone
        # else or into another table.
        salt = f"{__name__}:{request.user.pk}:{'.'.join(self.get_model_info())}"
        return {**super().get_confirm_form_kwargs(request, import_form), "salt": salt}

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        audit.record(
            action=AuditAction.EXPORT,
            request=request,
            detail=f"{self.model._meta.label_lower}.{file_format.get_extension()}",
        )
        return data

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnreadableFile):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if not form.is_valid():
            return self.refuse_confirm(
                request,
                " ".join(form.non_field_errors())
                or _(
                    "This confirmation is incomplete. Nothing was imported. Upload the file again."
                ),
            )
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        storage = self.get_tmp_storage_class()(
            name=form.cleaned_data["import_file_name"],
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            data = storage.read()
            # Claimed: a second confirm of the same preview finds nothing to import.
            storage.remove()
        except FileNotFoundError:
            data = None
        if data is None:  # The cache storage answers None for a file it does not hold.
            return self.refuse_confirm(
                request,
                _(
                    "This preview was already confirmed, or its file has expired. Look at the "
                    "list to see whether the rows are there; to import again, upload the file."
                ),
            )
        dataset = input_format.create_dataset(data)
        result = self.process_dataset(dataset, form, request, **kwargs)
        return self.process_result(result, request)

    def refuse_confirm(self, request, message):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.model._meta,
            "message": message,
        }
        return TemplateResponse(request, [self.confirm_refused_template_name], context, status=400)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _(
                    "Nothing was imported: the file no longer passes the checks, probably "
                    "because the data changed after the preview. Upload it again to see the "
                    "errors."
                ),
            )
            info = self.get_model_info()
            return HttpResponseRedirect(
                reverse(f"admin:{info[0]}_{info[1]}_import", current_app=self.admin_site.name)
            )
        return super().process_result(result, request)
