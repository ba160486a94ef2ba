from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("portal/", views.portal, name="portal"),
    path("portal/profile/", views.profile_edit, name="profile_edit"),
    path("portal/contacts/add/", views.contact_edit, name="contact_add"),
    path("portal/contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("portal/contacts/<int:pk>/remove/", views.contact_remove, name="contact_remove"),
    path("portal/contacts/<int:pk>/invite/", views.contact_invite, name="contact_invite"),
    path("members/", views.directory, name="directory"),
    path("members/<slug:slug>/", views.member_detail, name="detail"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
