"""The audit trail: `record` adds one event; the receivers below add the login and
second-factor events that allauth and Django signal."""

from allauth.account.adapter import get_adapter
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.http import HttpRequest

from canto_portal.models import AuditAction, AuditEvent

# A failed login names the account tried, cut short: enough to see one guessed at, never a
# password typed into the wrong box at length.
TRIED_ACCOUNT_LENGTH = 100


def record(
    *,
    action: AuditAction,
    request: HttpRequest | None = None,
    actor=None,
    obj: models.Model | None = None,
    detail: str = "",
) -> AuditEvent:
    """Adds one event. The actor is the request's login unless given; the client address is
    read as the login rate limits read it (behind `TRUSTED_PROXY_COUNT` proxies)."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail[: AuditEvent._meta.get_field("detail").max_length],
        client_address=client_address(request),
    )


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        # No address, or a forwarded header shorter than the proxies we trust: the event is
        # kept all the same.
        return None


def _logged_in(sender, request, user, **kwargs):
    record(action=AuditAction.LOGIN, request=request, actor=user, obj=user)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(action=AuditAction.LOGOUT, request=request, actor=user, obj=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    tried = next(
        (str(value) for key, value in credentials.items() if key in {"email", "username"}), ""
    )
    record(action=AuditAction.LOGIN_FAILED, request=request, detail=tried[:TRIED_ACCOUNT_LENGTH])


def _second_factor(action):
    def receiver(sender, request, user, authenticator, **kwargs):
        record(
            action=action,
            request=request,
            actor=user,
            obj=user,
            detail=authenticator.get_type_display(),
        )

    return receiver


# Kept at module level: signals hold their receivers weakly.
_SECOND_FACTOR_RECEIVERS = {
    mfa_signals.authenticator_used: _second_factor(AuditAction.SECOND_FACTOR_USED),
    mfa_signals.authenticator_added: _second_factor(AuditAction.SECOND_FACTOR_ADDED),
    mfa_signals.authenticator_removed: _second_factor(AuditAction.SECOND_FACTOR_REMOVED),
    mfa_signals.authenticator_reset: _second_factor(AuditAction.SECOND_FACTOR_RESET),
}


def connect() -> None:
    auth_signals.user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    auth_signals.user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    auth_signals.user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    for signal, receiver in _SECOND_FACTOR_RECEIVERS.items():
        signal.connect(receiver, dispatch_uid=f"audit-{id(signal)}")
