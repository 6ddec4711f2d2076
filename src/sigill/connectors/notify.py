"""E-mail to the communications department when an account's platform token stops working."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sigill.connectors.base import platform_login_set_up
from sigill.connectors.models import Connection
from sigill.organisation.models import Role, User


def needs_reconnecting(connection_pk: int) -> int:
    """Tell comms that an account needs reconnecting; returns how many mails were sent."""
    connection = Connection.objects.select_related("account__platform").get(pk=connection_pk)
    recipients = sorted(
        set(
            User.objects.filter(is_active=True, memberships__role=Role.COMMS)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not recipients:
        return 0
    link = settings.SIGILL_BASE_URL.rstrip("/") + reverse(
        "connectors:account", kwargs={"slug": connection.account.slug}
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(account)s needs reconnecting") % {"account": connection.account}
        body = render_to_string(
            "connectors/email/needs_reconnecting.txt",
            {
                "connection": connection,
                "link": link,
                "platform_login": platform_login_set_up(connection.account.platform.slug),
            },
        )
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
