"""The member site: dashboard, directory, profiles, contact management and invitations.

Every view checks access itself (never only by hiding links): anonymous visitors are sent to
log in, a login without the role gets the 403 "no access" page, and another organisation's
private objects answer 404 because they are looked up within the viewer's own organisation."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models.deletion import ProtectedError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agreements.services import representative_seats
from canto_portal.fragments import cached, fragment, known_parameters, seconds_until
from members import services
from members.forms import AcceptInvitationForm, ContactForm, DirectoryFilterForm, MemberProfileForm
from members.models import Member
from members.roles import roles_for

DIRECTORY_PAGE_SIZE = 25
# What the directory's listing varies on; any other parameter changes nothing.
DIRECTORY_PARAMETERS = ("q", "country", "category", "page")

# The invitation page's status for each kind of unusable link: a link that never existed
# (or was altered) is a bad request; one that existed but is spent is gone.
INVALID_INVITATION_STATUS = {
    services.InvalidInvitation.INVALID: 400,
    services.InvalidInvitation.USED: 410,
    services.InvalidInvitation.EXPIRED: 410,
    services.InvalidInvitation.REVOKED: 410,
}


def no_access(request):
    return TemplateResponse(request, "members/no_access.html", status=403)


def role_required(test):
    """Anonymous → login page; logged in without the role → 403; else the view."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(roles_for(request)):
                return no_access(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


portal_user = role_required(lambda roles: roles.may_use_portal)
member_admin = role_required(lambda roles: roles.is_member_admin)
directory_user = role_required(lambda roles: roles.may_use_directory)


@require_GET
@portal_user
def portal(request):
    roles = roles_for(request)
    member = roles.member
    context = {
        "member": member,
        "contact": roles.contact,
        "is_active": member.status == Member.Status.ACTIVE,
        "organisation": fragment(
            "dashboard-organisation",
            "members/includes/dashboard_organisation.html",
            lambda: dashboard_organisation(member.pk, roles.is_member_admin),
            vary_on=(member.pk, roles.is_member_admin),
        ),
        "contacts": dashboard_contacts(member, roles),
        "representatives": current_representatives(),
    }
    return TemplateResponse(request, "members/portal.html", context)


def current_representatives():
    """Who holds each council seat today: the same for every member."""
    return fragment(
        "current-representatives",
        "agreements/includes/current_representatives.html",
        lambda: {"seats": representative_seats()},
    )


def dashboard_contacts(member, roles):
    """The member's contacts with their login state. A member admin's list differs from
    their colleagues' (actions, and no Remove on their own row), so it is keyed by them."""
    may_manage = roles.is_member_admin
    viewer = roles.contact.pk if may_manage else None

    def render():
        contacts = list(member.contacts.for_dashboard())
        context = {"contacts": contacts, "may_manage": may_manage, "viewer": viewer}
        expiries = [i.expires_at for c in contacts for i in c.pending_invitations]
        return {
            "html": render_to_string("members/includes/dashboard_contacts.html", context),
            # "Invited" turns into "No login" when the first pending invitation expires.
            "until": min(expiries, default=None),
        }

    table = cached(
        "dashboard-contacts",
        render,
        vary_on=(member.pk, may_manage, viewer),
        timeout=lambda table: seconds_until(table["until"]),
    )
    return mark_safe(table["html"])


def dashboard_organisation(member_pk, may_manage):
    """The organisation, its standing, benefits and dues, for the cached fragment."""
    member = Member.objects.with_standing().select_related("category").get(pk=member_pk)
    is_active = member.status == Member.Status.ACTIVE
    return {
        "member": member,
        # A suspended or lapsed member keeps its dashboard, without the benefits it lost.
        "benefits": member.category.benefits.all() if is_active else None,
        "dues": member.dues.order_by("-year"),
        "may_manage": may_manage,
    }


@require_http_methods(["GET", "POST"])
@member_admin
def profile_edit(request):
    member = roles_for(request).member
    form = MemberProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organisation's profile is saved."))
        return redirect("members:portal")
    return TemplateResponse(request, "members/profile_form.html", {"form": form, "member": member})


def own_contact(request, pk):
    """A contact of the viewer's own organisation; any other answers 404."""
    return get_object_or_404(roles_for(request).member.contacts.select_related("user"), pk=pk)


@require_http_methods(["GET", "POST"])
@member_admin
def contact_edit(request, pk=None):
    member = roles_for(request).member
    contact = own_contact(request, pk) if pk else None
    form = ContactForm(request.POST or None, instance=contact, member=member)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
        return redirect("members:portal")
    context = {"form": form, "member": member, "contact": contact}
    return TemplateResponse(request, "members/contact_form.html", context)


@require_http_methods(["GET", "POST"])
@member_admin
def contact_remove(request, pk):
    contact = own_contact(request, pk)
    if contact.user_id == request.user.pk:
        messages.error(request, _("You cannot remove yourself; ask another member admin."))
        return redirect("members:portal")
    if request.method == "POST":
        try:
            services.remove_contact(contact)
        except ProtectedError:
            # Board terms keep their director: the Secretariat decides about those.
            messages.error(
                request,
                _("%(name)s holds a board term; ask the Secretariat to remove them.")
                % {"name": contact.name},
            )
        else:
            messages.success(request, _("%(name)s is removed.") % {"name": contact.name})
        return redirect("members:portal")
    return TemplateResponse(request, "members/contact_remove.html", {"contact": contact})


@require_http_methods(["GET", "POST"])
@member_admin
def contact_invite(request, pk):
    """Asks first, like removing: the dashboard's contact list then holds links only, and no
    form with the viewer's CSRF token, so that it can come from the cache."""
    contact = own_contact(request, pk)
    if request.method == "GET":
        context = {"contact": contact, "invited_before": contact.invitations.pending().exists()}
        return TemplateResponse(request, "members/contact_invite.html", context)
    try:
        services.invite(contact, invited_by=request.user, request=request)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("An invitation is on its way to %(email)s.") % {"email": contact.email}
        )
    return redirect("members:portal")


@require_GET
@directory_user
def directory(request):
    params = known_parameters(request, DIRECTORY_PARAMETERS)
    listing = fragment(
        "directory",
        "members/includes/directory_listing.html",
        lambda: directory_listing(params),
        vary_on=sorted(params.items()),
    )
    return TemplateResponse(request, "members/directory.html", {"listing": listing})


def directory_listing(params):
    """The directory's filters and one page of members, for the cached fragment."""
    members = Member.objects.directory()
    filters = {name: value for name, value in params.items() if name != "page"}
    form = DirectoryFilterForm(
        filters or None,
        country_codes=members.order_by().values_list("country", flat=True).distinct(),
    )
    page = Paginator(form.filter(members), DIRECTORY_PAGE_SIZE).get_page(params.get("page"))
    return {"form": form, "page": page, "query": urlencode(filters)}


@require_GET
@directory_user
def member_detail(request, slug):
    roles = roles_for(request)
    # Whether the viewer may open the profile is part of the key: a profile cached for the
    # Secretariat (who see suspended and lapsed members) is never served to anyone else.
    profile = cached(
        "member-profile",
        lambda: member_profile(roles, slug),
        vary_on=(slug, roles.is_secretariat),
    )
    return TemplateResponse(request, "members/member_detail.html", profile)


def member_profile(roles, slug):
    """The profile's title and rendered facts; 404 (and nothing cached) when not visible."""
    member = get_object_or_404(Member.objects.profiles_visible_to(roles), slug=slug)
    context = {"member": member, "show_status": roles.is_secretariat}
    return {
        "name": member.name,
        "profile": render_to_string("members/includes/member_profile.html", context),
    }


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """Anyone holding the link may open it; the token is the credential."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvalidInvitation as error:
        return invalid_invitation(request, error.reason)
    form = AcceptInvitationForm(
        request.POST or None, user=services.new_user_for(invitation.contact)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_invitation(token, form.cleaned_data["password1"])
        except services.InvalidInvitation as error:
            # Someone used the link in the moment between showing the form and posting it.
            return invalid_invitation(request, error.reason)
        messages.success(
            request,
            _("Your login is ready. Log in with %(email)s and the password you chose.")
            % {"email": invitation.email},
        )
        return redirect("account_login")
    context = {"invitation": invitation, "form": form}
    return TemplateResponse(request, "members/invitation_accept.html", context)


def invalid_invitation(request, reason):
    return TemplateResponse(
        request,
        "members/invitation_invalid.html",
        {"reason": reason},
        status=INVALID_INVITATION_STATUS[reason],
    )
