"""Demo data for compliance: Vara kommun's contact details (invented), profile checks of several
accounts (some failing) and a couple of residents' reports."""

from __future__ import annotations

from django.db import transaction

from sigill.compliance import selectors, services
from sigill.compliance.models import CommentReport, Municipality, ProfileCheck, ReportReason
from sigill.organisation.models import User
from sigill.registry.models import Account

CONTACT = {
    "name": "Vara kommun",
    "organisation_number": "212000-1652",
    "website": "https://www.vara-kommun.example",
    "email": "kommun@vara-kommun.example",
    "phone": "0512-310 00",
    "street_address": "Torggatan 19",
    "postal_code": "534 31",
    "city": "Vara",
    "logo_url": "https://www.vara-kommun.example/grafisk-profil/logotyp.svg",
    "privacy_url": "https://www.vara-kommun.example/personuppgifter",
    "public_address": "https://sigill.vara-kommun.example",
}

# (platform, handle, pasted profile text or None for "use Sigill's about text", profile link?)
CHECKS = [
    ("facebook", "varakommun", None, True),
    ("instagram", "varakommun", None, True),
    (
        "linkedin",
        "vara-kommun",
        "Vara kommun – en arbetsgivare mitt i Skaraborg. Lediga jobb: www.vara-kommun.example/jobb",
        False,
    ),
    (
        "youtube",
        "varakommun",
        "Vara kommun filmar kommunfullmäktiges sammanträden och gör informationsfilmer. Kommentera "
        "gärna och ställ frågor. Kommentarer som är olagliga tas bort. Anmäl kommentarer som bryter "
        "mot GDPR eller YouTubes villkor till kommun@vara-kommun.example. www.vara-kommun.example, "
        "0512-310 00, Torggatan 19, 534 31 Vara.",
        False,
    ),
]

REPORTS = [
    (
        "facebook",
        "varakommun",
        "https://www.facebook.com/varakommun/posts/1024#comment-77",
        ReportReason.PERSONAL_DATA,
        "",
        "192.0.2.10",
    ),
    (
        "instagram",
        "varakommun",
        "https://www.instagram.com/p/C3xYz/c/1789",
        ReportReason.ILLEGAL,
        "anna.invanare@example.org",
        "192.0.2.44",
    ),
]


@transaction.atomic
def seed() -> None:
    comms = User.objects.get(username="comms")
    if not Municipality.objects.exists():
        services.update_municipality(by=comms, changes=CONTACT)
    for platform, handle, text, linked in CHECKS:
        account = Account.objects.filter(platform__slug=platform, handle=handle).first()
        if account is None or ProfileCheck.objects.filter(account=account).exists():
            continue
        about = selectors.about_text(account).text
        services.record_check(
            account=account,
            by=comms,
            judgements={"sender": "met"},  # comms looked at the logo in each profile
            profile_text=about if text is None else text,
            profile_link=selectors.policy_url(account) if linked else "",
        )
        if text is None:
            services.record_text_applied(account=account, by=comms)
    if not CommentReport.objects.exists():
        for platform, handle, url, reason, contact, address in REPORTS:
            account = Account.objects.get(platform__slug=platform, handle=handle)
            services.report_comment(
                account=account, comment_url=url, reason=reason, contact=contact, sender_address=address
            )
