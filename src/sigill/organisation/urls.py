from django.urls import path

from sigill.organisation import views

app_name = "organisation"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("units/<slug:slug>/", views.unit_detail, name="unit"),
    path("units/<slug:slug>/grant/", views.grant, name="grant"),
    path("memberships/<int:pk>/revoke/", views.revoke, name="revoke"),
]
