from django.urls import path

from sigill.oauth import views

app_name = "oauth"

urlpatterns = [
    path("", views.setup, name="setup"),
    path("accounts/<slug:slug>/", views.account, name="account"),
    path("accounts/<slug:slug>/start/", views.start, name="start"),
    path("accounts/<slug:slug>/app-password/", views.app_password, name="app_password"),
    path("callback/<slug:platform>/", views.callback, name="callback"),
]
