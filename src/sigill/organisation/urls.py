from django.urls import path

from sigill.organisation import views

app_name = "organisation"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("new-unit/", views.create, name="create"),
    path("import/", views.import_units, name="import"),
    path("units/<slug:slug>/rename/", views.rename, name="rename"),
    path("units/<slug:slug>/move/", views.move, name="move"),
    path("units/<slug:slug>/close/", views.close, name="close"),
    path("sign-on-groups/", views.group_mappings, name="group_mappings"),
    path("sign-on-groups/<int:pk>/remove/", views.remove_group_mapping, name="remove_group_mapping"),
    path("units/<slug:slug>/", views.unit_detail, name="unit"),
    path("units/<slug:slug>/grant/", views.grant, name="grant"),
    path("memberships/<int:pk>/revoke/", views.revoke, name="revoke"),
]
