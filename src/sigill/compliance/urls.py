from django.urls import path

from sigill.compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("accounts/<slug:slug>/", views.account, name="account"),
    path("accounts/<slug:slug>/check/", views.check, name="check"),
    path("accounts/<slug:slug>/text-applied/", views.text_applied, name="text_applied"),
    path("checks/<int:pk>/screenshot/", views.evidence, name="evidence"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<slug:code>/", views.template_edit, name="template_edit"),
    path("municipality/", views.municipality, name="municipality"),
]
