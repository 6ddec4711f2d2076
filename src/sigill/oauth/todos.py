"""What the platform log-ins ask of comms on the start page: a log-in the platform no longer
honours, and the LinkedIn API version nearing its retirement."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sigill.core.todo import Todo, provider
from sigill.oauth import selectors
from sigill.oauth.policies import grant_policy
from sigill.organisation.people import User


@provider
def lost_logins(user: User) -> list[Todo]:
    if not grant_policy.can(user, "view"):
        return []
    return [
        Todo(
            title=_("Log %(account)s in with %(platform)s again")
            % {"account": grant.account.display_name, "platform": grant.account.platform.name},
            url=reverse("oauth:account", kwargs={"slug": grant.account.slug}),
            detail=grant.lost_reason,
            urgent=True,
        )
        for grant in selectors.lost_grants(user)
    ]


@provider
def linkedin_version(user: User) -> list[Todo]:
    if not grant_policy.can(user, "view") or not selectors.linkedin_in_use():
        return []
    version, today = selectors.linkedin_version(), selectors.today()
    if not version.warning_due(today):
        return []
    retires = date_format(version.retires, "j F Y")
    if version.retired(today):
        title = _(
            "LinkedIn has retired API version %(version)s (%(date)s): LinkedIn accounts may not be captured"
        )
    else:
        title = _("LinkedIn retires API version %(version)s on %(date)s")
    return [
        Todo(
            title=title % {"version": version.version, "date": retires},
            url=reverse("oauth:setup"),
            detail=_(
                "Ask the operator to set LINKEDIN_API_VERSION to a version LinkedIn supports, after checking "
                "that Sigill's LinkedIn capture works with it."
            ),
            urgent=version.retired(today),
        )
    ]
