"""Writes about the guideline: publishing a version, acknowledging it, reminding the editors."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.compliance.selectors import absolute_url
from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.guidelines import selectors
from sigill.guidelines.models import Acknowledgement, GuidelineVersion
from sigill.organisation.people import User

audit.describe_acts(
    {
        "guidelines.version.published": gettext_lazy("Guideline version published"),
        "guidelines.acknowledged": gettext_lazy("Guideline acknowledged"),
        "guidelines.reminders.sent": gettext_lazy("Guideline reminders sent"),
    }
)


def publish_version(
    *, title: str, body: str, change_summary: str, in_force_from: dt.date, by: User
) -> GuidelineVersion:
    """Publish the next version. If it is in force already, the editors are reminded at once;
    a version that comes into force later is reminded of by ``send_due_reminders``."""
    policy_for(GuidelineVersion).require(by, "publish")
    if not body.strip():
        raise ValidationError({"body": _("Write the text of the guideline.")})
    if not change_summary.strip():
        raise ValidationError({"change_summary": _("Say what has changed since the last version.")})
    with transaction.atomic():
        # Locks the table's newest row so that two publishers cannot take the same number.
        list(GuidelineVersion.objects.select_for_update().order_by("-number")[:1])
        number = (GuidelineVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
        version = GuidelineVersion.objects.create(
            number=number,
            title=title.strip(),
            body=body.strip(),
            change_summary=change_summary.strip(),
            in_force_from=in_force_from,
            published_by=by,
        )
        audit.record(
            "guidelines.version.published",
            actor=by,
            target=version,
            details={"number": number, "in_force_from": in_force_from.isoformat()},
        )
        if in_force_from <= timezone.localdate():
            transaction.on_commit(lambda: send_reminders(version=version))
    return version


def acknowledge(*, version: GuidelineVersion, by: User) -> Acknowledgement:
    """Record that ``by`` has read ``version``. Only the version in force can be acknowledged;
    acknowledging twice changes nothing."""
    policy_for(GuidelineVersion).require(by, "acknowledge", version)
    if version != selectors.current_version():
        raise ValidationError(_("Only the version in force can be acknowledged."))
    with transaction.atomic():
        acknowledgement, created = Acknowledgement.objects.get_or_create(version=version, user=by)
        if created:
            audit.record(
                "guidelines.acknowledged", actor=by, target=version, details={"number": version.number}
            )
    return acknowledgement


def send_reminders(*, version: GuidelineVersion) -> int:
    """E-mail every editor who has not acknowledged ``version`` (once per version). Returns how many."""
    with transaction.atomic():
        version = GuidelineVersion.objects.select_for_update().get(pk=version.pk)
        if version.reminders_sent_at is not None:
            return 0
        people = [person for person in selectors.not_acknowledged(version) if person.email]
        link = absolute_url(reverse("guidelines:current"))
        subject = _("Read and acknowledge the social media guideline, version %(number)d") % {
            "number": version.number
        }
        messages = [
            (
                subject,
                _(
                    "Hello %(name)s,\n\nVersion %(number)d of the social media guideline is in force "
                    "from %(date)s. What has changed:\n\n%(summary)s\n\nRead it and confirm that you "
                    "have read it before you continue working on the municipality's accounts:\n%(link)s\n"
                )
                % {
                    "name": person.get_full_name() or person.username,
                    "number": version.number,
                    "date": version.in_force_from.isoformat(),
                    "summary": version.change_summary,
                    "link": link,
                },
                settings.DEFAULT_FROM_EMAIL,
                [person.email],
            )
            for person in people
        ]
        version.reminders_sent_at = timezone.now()
        version.save(update_fields=["reminders_sent_at"])
        audit.record(
            "guidelines.reminders.sent",
            target=version,
            actor_label="sigill",
            details={"number": version.number, "recipients": len(messages)},
        )
    send_mass_mail(messages, fail_silently=False)
    return len(messages)


def send_due_reminders(today: dt.date | None = None) -> int:
    """Remind the editors of every version that has come into force without a reminder yet."""
    today = today or timezone.localdate()
    due = GuidelineVersion.objects.filter(in_force_from__lte=today, reminders_sent_at__isnull=True)
    current = selectors.current_version(today)
    sent = 0
    for version in due:
        if version == current:
            sent += send_reminders(version=version)
        else:
            # An older version overtaken before anyone was reminded needs no e-mail any more.
            GuidelineVersion.objects.filter(pk=version.pk).update(reminders_sent_at=timezone.now())
    return sent
