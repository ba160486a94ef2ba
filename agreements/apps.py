from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the portal's cached parts show (canto_portal/versions.py), one scope per sub-domain,
# the alerts sent, which the Secretariat's dashboard counts, and the Board's action items,
# which it lists to their owners. Exchanges and briefing deliveries appear on no cached part:
# writes to them leave the cache alone.
REGISTER = "register"
SEATS = "seats"
BRIEFINGS = "briefings"
ALERTS = "alerts"
ACTION_ITEMS = "action-items"


class AgreementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agreements"
    verbose_name = _("Partnership agreements")

    def ready(self):
        # Connects the receivers that queue the Board's emails when its services announce.
        from agreements import tasks_board  # noqa: F401
        from agreements.models.seats import holds_a_seat_from
        from canto_portal.versions import watch
        from members.models import PRIVILEGED_ROLES
        from members.privacy import holds_addresses

        if holds_a_seat_from not in PRIVILEGED_ROLES:
            PRIVILEGED_ROLES.append(holds_a_seat_from)

        register = (
            "Partner",
            "Agreement",
            "Signatory",
            "Commitment",
            "AgreementDocument",
            "Activity",
            "Review",
        )
        watch(*map(self.get_model, register), scope=REGISTER)
        watch(*map(self.get_model, ("Council", "Seat", "Appointment")), scope=SEATS)
        watch(*map(self.get_model, ("Topic", "Briefing", "BriefingMove")), scope=BRIEFINGS)
        watch(self.get_model("SentAlert"), scope=ALERTS)
        holds_addresses(self.get_model("SentAlert"), "recipients")
        watch(self.get_model("ActionItem"), scope=ACTION_ITEMS)
