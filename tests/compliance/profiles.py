"""Profile texts the compliance tests check, and a helper to read a check's results."""

from __future__ import annotations

from sigill.compliance.models import ProfileCheck, Requirement, Result

COMPLETE_PROFILE = (
    "Vara bibliotek är ett officiellt konto för Vara kommun. Lästips och evenemang på biblioteket. "
    "Här får du gärna kommentera och ställa frågor. Inlägg som är olagliga tas bort. Anmäl kommentarer "
    "som bryter mot GDPR eller plattformens villkor. www.vara-kommun.example, kommun@vara-kommun.example, "
    "0512-310 00, Torggatan 19, 534 31 Vara."
)
PUBLIC_RECORDS = " Inlägg och kommentarer blir allmänna handlingar."
# A person looked at the profile picture and saw the logo of the graphic profile.
LOGO_SEEN: dict[str, str] = {Requirement.SENDER: Result.MET}


def not_met(check: ProfileCheck) -> list[str]:
    return [item.requirement for item in check.items.all() if item.result == Result.NOT_MET]
