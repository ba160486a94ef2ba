"""The member site: dashboard, directory, profiles, contact management and invitations.

Every view checks access itself (never only by hiding links): anonymous visitors are sent to
log in, a login without the role gets the 403 "no access" page, and another organisation's
private objects answer 404 because they are looked up within the viewer's own organisation."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from canto_portal.fragments import (
    NotKept,
    bounded,
    cached,
    fragment,
    known_parameters,
    seconds_until,
)
from canto_portal.submissions import acts_once
from members import services
from members.access import ANYONE, DIRECTORY_USER, MEMBER_ADMIN, PORTAL_USER, requires
from members.apps import MEMBERS
from members.balances import billing_summary
from members.forms import AcceptInvitationForm, ContactForm, DirectoryFilterForm, MemberProfileForm
from members.models import Member
from members.roles import roles_for
from members.views import billing

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


@require_GET
@requires(PORTAL_USER)
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
            dashboard_organisation,
            key=Organisation(member.pk, roles.is_member_admin),
            shows=[MEMBERS],
        ),
        "contacts": dashboard_contacts(member, roles),
        "summary": billing_summary(member.pk),
        "may_see_invoices": billing.handles_billing(roles),
    }
    return TemplateResponse(request, "members/portal.html", context)


@dataclass(frozen=True)
class Organisation:
    """What the dashboard's organisation part depends on."""

    member: int
    may_manage: bool


@dataclass(frozen=True)
class ContactList:
    """What the dashboard's contact list depends on. A member admin's list differs from their
    colleagues' (actions, and no Remove on their own row), so it names their contact."""

    member: int
    managed_by: int | None


def dashboard_contacts(member, roles):
    managed_by = roles.contact.pk if roles.is_member_admin else None
    table = cached(
        "dashboard-contacts",
        contact_list,
        key=ContactList(member.pk, managed_by),
        shows=[MEMBERS],
        timeout=lambda table: seconds_until(table["until"]),
    )
    return mark_safe(table["html"])


def contact_list(key: ContactList) -> dict:
    """The member's contacts with their login state, and until when that state holds."""
    contacts = list(Member(pk=key.member).contacts.for_dashboard())
    context = {
        "contacts": contacts,
        "may_manage": key.managed_by is not None,
        "viewer": key.managed_by,
    }
    expiries = [i.expires_at for c in contacts for i in c.pending_invitations]
    return {
        "html": render_to_string("members/includes/dashboard_contacts.html", context),
        # "Invited" turns into "No login" when the first pending invitation expires.
        "until": min(expiries, default=None),
    }


def dashboard_organisation(key: Organisation) -> dict:
    """The organisation, its standing, benefits and dues, for the cached fragment."""
    member = Member.objects.with_standing().select_related("category").get(pk=key.member)
    is_active = member.status == Member.Status.ACTIVE
    return {
        "member": member,
        # A suspended or lapsed member keeps its dashboard, without the benefits it lost.
        "benefits": member.category.benefits.all() if is_active else None,
        "dues": member.dues.order_by("-year"),
        "may_manage": key.may_manage,
    }


@require_http_methods(["GET", "POST"])
@requires(MEMBER_ADMIN)
@acts_once
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
@requires(MEMBER_ADMIN)
@acts_once
def contact_edit(request, pk=None):
    member = roles_for(request).member
    contact = own_contact(request, pk) if pk else None
    locked = contact and services.email_change_refusal(contact=contact, by=request.user)
    form = ContactForm(
        request.POST or None, instance=contact, member=member, email_locked_because=locked
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_contact(contact=form.save(commit=False), by=request.user)
        except services.ContactChangeRefused as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
            return redirect("members:portal")
    context = {"form": form, "member": member, "contact": contact}
    return TemplateResponse(request, "members/contact_form.html", context)


@require_http_methods(["GET", "POST"])
@requires(MEMBER_ADMIN)
@acts_once
def contact_remove(request, pk):
    contact = own_contact(request, pk)
    if contact.user_id == request.user.pk:
        messages.error(request, _("You cannot remove yourself; ask another member admin."))
        return redirect("members:portal")
    if request.method == "POST":
        try:
            services.remove_contact(contact=contact, by=request.user)
        except services.ContactChangeRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s is removed.") % {"name": contact.name})
        return redirect("members:portal")
    return TemplateResponse(request, "members/contact_remove.html", {"contact": contact})


@require_http_methods(["GET", "POST"])
@requires(MEMBER_ADMIN)
@acts_once
def contact_invite(request, pk):
    """Asks first, like removing: the dashboard's contact list then holds links only, and no
    form with the viewer's CSRF token, so that it can come from the cache."""
    contact = own_contact(request, pk)
    if request.method == "GET":
        context = {
            "contact": contact,
            "invited_before": contact.invitations.pending().exists(),
            "refusal": services.invitation_refusal(contact, by=request.user),
        }
        return TemplateResponse(request, "members/contact_invite.html", context)
    try:
        services.invite(contact, invited_by=request.user)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("An invitation is on its way to %(email)s.") % {"email": contact.email}
        )
    return redirect("members:portal")


@require_GET
@requires(DIRECTORY_USER)
def directory(request):
    listing = fragment(
        "directory",
        "members/includes/directory_listing.html",
        directory_listing,
        key=DirectoryQuery(known_parameters(request, DIRECTORY_PARAMETERS)),
        shows=[MEMBERS],
    )
    return TemplateResponse(request, "members/directory.html", {"listing": listing})


@dataclass(frozen=True)
class DirectoryQuery:
    """The directory's known parameters, as (name, value) pairs."""

    params: tuple[tuple[str, str], ...]


def directory_listing(query: DirectoryQuery) -> dict | NotKept:
    """The directory's filters and one page of members, for the cached fragment."""
    params = dict(query.params)
    members = Member.objects.directory()
    filters = {name: value for name, value in params.items() if name != "page"}
    form = DirectoryFilterForm(
        filters or None,
        country_codes=members.order_by().values_list("country", flat=True).distinct(),
    )
    page = Paginator(form.filter(members), DIRECTORY_PAGE_SIZE).get_page(params.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": urlencode(filters),
        # The home page counts every member on the register: the directory says who it leaves out.
        "unlisted": Member.objects.left_out_of_directory().count(),
    }
    return context if bounded(form, params, page) else NotKept(context)


@require_GET
@requires(DIRECTORY_USER)
def member_detail(request, slug):
    profile = cached(
        "member-profile",
        member_profile,
        key=ProfileView(slug, roles_for(request).is_secretariat),
        shows=[MEMBERS],
    )
    return TemplateResponse(request, "members/member_detail.html", profile)


@dataclass(frozen=True)
class ProfileView:
    """A profile, and whether the viewer is the Secretariat: a profile cached for them (who
    see suspended and lapsed members) is never served to anyone else."""

    slug: str
    is_secretariat: bool


def member_profile(view: ProfileView) -> dict:
    """The profile's title and rendered facts; 404 (and nothing cached) when not visible."""
    member = get_object_or_404(Member.objects.profiles_visible_to(view), slug=view.slug)
    context = {"member": member, "show_status": view.is_secretariat}
    return {
        "name": member.name,
        "profile": render_to_string("members/includes/member_profile.html", context),
    }


@require_http_methods(["GET", "POST"])
@requires(ANYONE)
@acts_once
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
