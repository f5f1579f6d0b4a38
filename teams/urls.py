from django.urls import path

from teams import views

# Included at "teams/". The fixed paths come first; teams.RESERVED_SLUGS keeps
# team slugs from shadowing them.
app_name = "teams"
urlpatterns = [
    path("", views.team_list, name="team-list"),
    path("create/", views.team_create, name="team-create"),
    path("switch/", views.team_switch, name="team-switch"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("<slug:slug>/", views.team_settings, name="team-settings"),
    path("<slug:slug>/rename/", views.team_rename, name="team-rename"),
    path("<slug:slug>/leave/", views.team_leave, name="team-leave"),
    path("<slug:slug>/delete/", views.team_delete, name="team-delete"),
    path("<slug:slug>/members/<int:pk>/role/", views.member_role, name="member-role"),
    path("<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("<slug:slug>/invitations/", views.invitation_create, name="invitation-create"),
    path(
        "<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
]
