from django.urls import path

from sigill.vault import views

app_name = "vault"

urlpatterns = [
    path("", views.index, name="index"),
    path("rotation/", views.rotation_due, name="rotation_due"),
    path("deputies/", views.deputies, name="deputies"),
    path("deputies/name/", views.name_deputy, name="name_deputy"),
    path("deputies/<int:pk>/revoke/", views.revoke_deputy, name="revoke_deputy"),
    path("export/", views.export, name="export"),
    path("generate-password/", views.generate_password, name="generate_password"),
    path("accounts/<slug:slug>/", views.account_detail, name="account"),
    path("accounts/<slug:slug>/deposit/", views.deposit, name="deposit"),
    path("credentials/<uuid:pk>/edit/", views.edit, name="edit"),
    path("credentials/<uuid:pk>/reveal/", views.reveal, name="reveal"),
    path("credentials/<uuid:pk>/code/", views.totp_code, name="totp_code"),
    path("credentials/<uuid:pk>/copied/", views.copied, name="copied"),
]
