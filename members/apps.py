from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the portal's cached parts show (canto_portal/versions.py): the member register, and
# the logins with their groups, permissions and second factors, which roles are read from.
MEMBERS = "members"
LOGINS = "logins"


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"
    verbose_name = _("Member register")

    def ready(self):
        from allauth.mfa.models import Authenticator
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.contrib.auth.signals import user_logged_in

        from canto_portal.versions import watch
        from members import checks  # noqa: F401 (registers them)
        from members.languages import apply_saved_language
        from members.privacy import holds_addresses
        from members.visits import remember_previous_visit

        shown = (
            "MembershipCategory",
            "Benefit",
            "Member",
            "Contact",
            "Dues",
            "BoardTerm",
            "Invitation",
            "DuesRate",
            "Invoice",
            "InvoiceLine",
            "Payment",
            "CreditNote",
        )
        watch(*map(self.get_model, shown), scope=MEMBERS)
        holds_addresses(self.get_model("InvoiceReminder"), "recipients")
        # Stamps written at every login change nothing a page or a role shows, and must not
        # empty the cache each time.
        watch(get_user_model(), scope=LOGINS, ignore_fields={"last_login"})
        watch(Authenticator, scope=LOGINS, ignore_fields={"last_used_at"})
        watch(Group, scope=LOGINS)
        user_logged_in.connect(apply_saved_language, dispatch_uid="members.apply_saved_language")
        user_logged_in.connect(remember_previous_visit, dispatch_uid="members.previous_visit")
