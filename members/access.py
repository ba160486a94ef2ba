"""Who may open a page: one rule per view, declared with `requires` (functions) or
`RequiresAccess` (class-based views), and one answer for each kind of refusal.

- anonymous visitor on a page that needs a login: the login page, coming back afterwards;
- logged in without the role: the 403 page;
- an object of another organisation, or one the viewer may not see: 404, the same answer as
  for one that does not exist, so that nothing tells them apart.

Every URL of the site declares its rule (`tests/test_access_rules.py` enumerates them)."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from members.roles import Roles, roles_for


@dataclass(frozen=True)
class AccessRule:
    """A named test of a viewer's roles. `public` rules admit anonymous visitors."""

    name: str
    admits: Callable[[Roles], bool]
    public: bool = False

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        """None when the rule admits the request's viewer, else the answer to give."""
        if self.public:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        roles = roles_for(request)
        if not self.admits(roles):
            # The Secretariat's work is in the back office: its refusals point there.
            context = {"back_office": roles.is_back_office_login}
            return TemplateResponse(request, "members/no_access.html", context, status=403)
        return None


ANYONE = AccessRule("anyone", lambda roles: True, public=True)
PORTAL_USER = AccessRule("contact of a member", lambda roles: roles.may_use_portal)
MEMBER_ADMIN = AccessRule("member admin", lambda roles: roles.is_member_admin)
DIRECTORY_USER = AccessRule("member, Board or Secretariat", lambda roles: roles.may_use_directory)
REPRESENTATIVES_VIEWER = AccessRule(
    "member, Board or Secretariat",
    lambda roles: roles.is_member_operator or roles.may_see_register,
)
BOARD_OR_SECRETARIAT = AccessRule("Board or Secretariat", lambda roles: roles.may_see_register)
# Pages of one object that only some viewers may see: everyone logged in is let through, and
# the view answers `hidden` to the others, as it would for an object that does not exist.
LOGGED_IN = AccessRule("logged in, then the object's own check", lambda roles: True)
# Search: every login may ask; each kind of result is then filtered by the viewer's own
# visibility rules.
ANY_LOGIN = AccessRule("any login", lambda roles: True)
# Reviews are the directors' own judgement: the Secretariat edits agreements in the admin.
BOARD_MEMBER = AccessRule("board member", lambda roles: roles.is_board_member)


type View = Callable[..., HttpResponse]


def requires(rule: AccessRule) -> Callable[[View], View]:
    """Guards a function view with `rule`, and declares it on the view."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if refusal := rule.refusal(request):
                return refusal
            return view(request, *args, **kwargs)

        guarded.access_rule = rule  # type: ignore[attr-defined]
        return guarded

    return decorator


class RequiresAccess:
    """Guards a class-based view with its `access_rule`, checked before any handler runs."""

    access_rule: AccessRule

    def dispatch(self, request, *args, **kwargs):
        if refusal := self.access_rule.refusal(request):
            return refusal
        return super().dispatch(request, *args, **kwargs)


def hidden(request: HttpRequest, message: str | None = None) -> HttpResponse:
    """The answer for an object the viewer may not see, or that does not exist: anonymous
    visitors are sent to log in (a director following an alert email is usually not logged
    in yet), everyone else gets 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404(message or _("Not found."))
