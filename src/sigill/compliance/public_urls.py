from django.urls import path

from sigill.compliance import public_views

app_name = "compliance_public"

urlpatterns = [
    path("accounts/<slug:slug>/policy/", public_views.policy_page, name="policy"),
]
