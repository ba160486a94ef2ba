"""A status that may only move along declared paths: the Secretariat corrects data in the
admin, so a move the association's rules forbid is refused there and in every other save."""

from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class GuardedStatusMixin:
    """For a model with a `status` field and `ALLOWED_STATUS_CHANGES`, {status: statuses it
    may move to}. The move is judged from the status as it was loaded, not just the new one."""

    ALLOWED_STATUS_CHANGES: ClassVar[dict[Any, set[Any]]]
    # A whole sentence per model, so that each language can phrase it: "%(old)s", "%(new)s".
    STATUS_MOVE_REFUSED: ClassVar["StrOrPromise"]
    status: Any
    _loaded_status: Any = None

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def status_is_moving(self) -> bool:
        return bool(self._loaded_status) and self._loaded_status != self.status

    def status_move_error(self) -> str | None:
        """Why the pending status change is not allowed, or None when it is."""
        if not self.status_is_moving:
            return None
        if self.status in self.ALLOWED_STATUS_CHANGES.get(self._loaded_status, set()):
            return None
        statuses = type(self).Status  # type: ignore[attr-defined]
        return self.STATUS_MOVE_REFUSED % {
            "old": statuses(self._loaded_status).label,
            "new": statuses(self.status).label,
        }

    def clean(self):
        super().clean()
        if message := self.status_move_error():
            raise ValidationError({"status": message})

    def save(self, *args, **kwargs):
        if message := self.status_move_error():
            raise ValidationError({"status": message})
        super().save(*args, **kwargs)
        self._loaded_status = self.status
