"""E-mail to the employee who forwarded a question, once it is answered.

Called after the answer's transaction commits. The mail is in Swedish, the municipality's
language, whatever language the contact center uses Sigill in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from sigill.inquiries.models import Inquiry


def answered(inquiry_pk: int) -> int:
    """Tell the forwarding employee the answer; returns how many mails were sent (0 or 1)."""
    inquiry = Inquiry.objects.select_related("forwarded_by").get(pk=inquiry_pk)
    person = inquiry.forwarded_by
    if person is None or not person.email:
        return 0
    link = settings.SIGILL_BASE_URL.rstrip("/") + inquiry.get_absolute_url()
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your forwarded question is answered: %(inquiry)s") % {"inquiry": inquiry}
        body = render_to_string(
            "inquiries/email/answered.txt", {"inquiry": inquiry, "person": person, "link": link}
        )
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email], fail_silently=False)
