from django.urls import path

from members.views import portal, unsubscribe

app_name = "members"

urlpatterns = [
    path("portal/", portal.portal, name="portal"),
    path("portal/profile/", portal.profile_edit, name="profile_edit"),
    path("portal/contacts/add/", portal.contact_edit, name="contact_add"),
    path("portal/contacts/<int:pk>/", portal.contact_edit, name="contact_edit"),
    path("portal/contacts/<int:pk>/remove/", portal.contact_remove, name="contact_remove"),
    path("portal/contacts/<int:pk>/invite/", portal.contact_invite, name="contact_invite"),
    path("members/", portal.directory, name="directory"),
    path("members/<slug:slug>/", portal.member_detail, name="detail"),
    path("invitations/<str:token>/", portal.invitation, name="invitation"),
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
]
