"""What each platform's profile can hold, beside the catalogue's text limit: whether it has a
field for one web address, and what that field is called. Keyed by the catalogue's short name;
a platform comms adds to the catalogue has no known field until one is listed here.

A profile meets a requirement in its text, or, where the text has no room, by linking to the
account's comment-policy page, which states it. Where a platform has neither room in its text nor
a field for the link, and the link does not fit in the text either, the requirement is not
possible on that platform.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sigill.registry.models import Platform


@dataclass(frozen=True)
class ProfileFields:
    # Where the profile holds one web address, in the words of the platform's settings; None
    # when it has no such field and a link must stand in the profile text.
    link_field: str | Promise | None


PROFILE_FIELDS: dict[str, ProfileFields] = {
    "facebook": ProfileFields(_("the page's website field (Edit page info → Contact)")),
    "instagram": ProfileFields(_("the profile's link (Edit profile → Links)")),
    "x": ProfileFields(_("the profile's website field (Edit profile → Website)")),
    "linkedin": ProfileFields(_("the page's website field (Edit page → Page info)")),
    "youtube": ProfileFields(_("the channel's links (Customise channel → Links)")),
    "snapchat": ProfileFields(_("the public profile's website field")),
    "tiktok": ProfileFields(_("the profile's website field (business account)")),
    "threads": ProfileFields(_("the profile's link (Edit profile → Link)")),
    "mastodon": ProfileFields(_("a profile metadata field (Edit profile → Extra fields)")),
    "bluesky": ProfileFields(None),
}
NO_FIELDS = ProfileFields(None)


def fields_of(platform: Platform) -> ProfileFields:
    return PROFILE_FIELDS.get(platform.slug, NO_FIELDS)


def link_fits_in_text(platform: Platform, policy_url: str) -> bool:
    """Whether the policy page's address (without its scheme) fits in the profile text."""
    limit = platform.profile_text_limit
    return limit is None or len(policy_url.removeprefix("https://")) <= limit


def can_link_to_policy(platform: Platform, policy_url: str) -> bool:
    """Whether a profile on ``platform`` can point to the policy page at all."""
    return fields_of(platform).link_field is not None or link_fits_in_text(platform, policy_url)
