from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from sigill.api.api import api

urlpatterns = [
    path("", include("sigill.core.urls")),
    path("organisation/", include("sigill.organisation.urls")),
    path("registry/", include("sigill.registry.urls")),
    path("applications/", include("sigill.applications.urls")),
    path("public/", include("sigill.registry.public_urls")),
    path("public/", include("sigill.records.public_urls")),
    path("public/", include("sigill.compliance.public_urls")),
    path("vault/", include("sigill.vault.urls")),
    path("guidelines/", include("sigill.guidelines.urls")),
    path("compliance/", include("sigill.compliance.urls")),
    path("archive/", include("sigill.archive.urls")),
    path("inquiries/", include("sigill.inquiries.urls")),
    path("moderation/", include("sigill.moderation.urls")),
    path("alerts/", include("sigill.alerts.urls")),
    path("capture/", include("sigill.connectors.urls")),
    path("oauth/", include("sigill.oauth.urls")),
    path("publishing/", include("sigill.publishing.urls")),
    path("records/", include("sigill.records.urls")),
    path("reports/", include("sigill.reports.urls")),
    path("api/v1/", api.urls),
    path("api-tokens/", include("sigill.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

# 404 and 403 use the templates of the same names (core/templates/); the 500 page must not need the database.
handler500 = "sigill.core.views.errors.server_error"
