"""Every write of the e-service: drafts, the workflow's steps, approval into the registry, ticks."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.applications import notify
from sigill.applications.checklist import ITEMS
from sigill.applications.models import Application, ApplicationStep, ChecklistTick
from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.organisation import services as organisation
from sigill.organisation.models import Unit, User
from sigill.registry import services as registry
from sigill.registry.models import Account, Platform, Purpose
from sigill.registry.profile_urls import read_profile

State = Application.State

audit.describe_acts(
    {
        "applications.application.saved": gettext_lazy("Application saved"),
        "applications.application.submitted": gettext_lazy("Application submitted"),
        "applications.application.anchored": gettext_lazy("Application anchored"),
        "applications.application.approved": gettext_lazy("Application approved"),
        "applications.application.returned": gettext_lazy("Application returned for completion"),
        "applications.application.rejected": gettext_lazy("Application rejected"),
        "applications.application.withdrawn": gettext_lazy("Application withdrawn"),
        "applications.checklist.ticked": gettext_lazy("Setup item ticked by hand"),
    }
)


@dataclass
class ApplicationData:
    """What the applicant writes; everything may be empty while it is a draft."""

    platform: Platform | None = None
    proposed_name: str = ""
    proposed_address: str = ""
    unit: Unit | None = None
    purposes: list[Purpose] = field(default_factory=list)
    purpose_statement: str = ""
    target_audience: str = ""
    content_plan: str = ""
    publishers: str = ""
    hours_per_week: Decimal | None = None
    moderation_plan: str = ""
    crisis_plan: str = ""
    ending_plan: str = ""
    responsible: User | None = None
    deputy: User | None = None


TEXT_FIELDS = (
    "proposed_name",
    "proposed_address",
    "purpose_statement",
    "target_audience",
    "content_plan",
    "publishers",
    "moderation_plan",
    "crisis_plan",
    "ending_plan",
)


def save_draft(*, data: ApplicationData, by: User, application: Application | None = None) -> Application:
    """Create or change an application while it is a draft or returned for completion."""
    if application is None:
        application = Application(applicant=by)
    else:
        policy_for(Application).require(by, "edit", application)
        if application.state not in Application.EDITABLE_STATES:
            raise ValidationError(_("The application can no longer be changed."))
    if data.unit is not None and data.unit.pk != application.unit_id:
        organisation.require_open_unit(data.unit)
    with transaction.atomic():
        for name in TEXT_FIELDS:
            setattr(application, name, str(getattr(data, name)).strip())
        application.platform, application.unit = data.platform, data.unit
        application.hours_per_week = data.hours_per_week
        application.responsible, application.deputy = data.responsible, data.deputy
        application.save()
        application.purposes.set(data.purposes)
        audit.record(
            "applications.application.saved",
            actor=by,
            target=application,
            details={"state": application.state},
        )
    return application


def missing_for_submission(application: Application) -> dict[str, str]:
    """What must be filled in before the application can be submitted, per field, in Swedish."""
    required = {
        "platform": _("Choose the platform."),
        "proposed_name": _("Write the account's proposed name."),
        "proposed_address": _("Write the proposed handle or profile address."),
        "unit": _("Choose the unit that will own the account."),
        "purpose_statement": _("Describe the purpose: what the account is for."),
        "target_audience": _("Say who the account is for."),
        "content_plan": _("Describe what will be published and how often."),
        "publishers": _("Say who will publish."),
        "hours_per_week": _("Say how many hours a week the account will take."),
        "moderation_plan": _("Describe who reads the comments and how often, also on weekends and holidays."),
        "crisis_plan": _("Describe what happens with the account in a crisis."),
        "ending_plan": _("Describe how and when the account is ended if it no longer serves its purpose."),
        "responsible": _("Name the person responsible for the account."),
        "deputy": _("Name a deputy."),
    }
    missing = {name: str(message) for name, message in required.items() if not getattr(application, name)}
    if application.pk and not application.purposes.exists():
        missing["purposes"] = _("Choose at least one purpose category.")
    if application.responsible_id and application.responsible_id == application.deputy_id:
        missing["deputy"] = _("The deputy must be someone other than the responsible person.")
    if application.platform and application.proposed_address and proposed_profile_url(application) is None:
        missing["proposed_address"] = _("This is not a handle or profile address on %(platform)s.") % {
            "platform": application.platform.name
        }
    return missing


def proposed_profile_url(application: Application) -> str | None:
    """The profile address the account will have: as written, or made from the handle."""
    platform, written = application.platform, application.proposed_address.strip().lstrip("@")
    if platform is None or not written:
        return None
    profile = read_profile(platform, written)
    if profile is None and "{handle}" in platform.profile_url_template:
        profile = read_profile(platform, platform.profile_url_template.format(handle=written))
    return profile.url if profile else None


def _step(
    application: Application, *, to: str, by: User, comment: str = "", account: Account | None = None
) -> Application:
    """Move one legal step, locked against a second reviewer, with its timeline row and audit entry."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.can_move_to(to):
        raise ValidationError(
            _("The application is “%(state)s” and cannot become “%(to)s”.")
            % {"state": application.get_state_display(), "to": State(to).label}
        )
    now = timezone.now()
    ApplicationStep.objects.create(
        application=application,
        from_state=application.state,
        to_state=to,
        actor=by,
        applicant=application.applicant,
        comment=comment.strip(),
        at=now,
    )
    application.state, application.state_changed_at, application.reminded_at = to, now, None
    if to == State.SUBMITTED:
        application.submitted_at = now
    if to in (State.APPROVED, State.REJECTED):
        application.decided_at = now
    if account is not None:
        application.account = account
    application.save()
    audit.record(
        f"applications.application.{to}", actor=by, target=application, details={"comment": comment.strip()}
    )
    transaction.on_commit(lambda: notify.step_taken(application.pk, to))
    return application


def submit(*, application: Application, by: User) -> Application:
    policy_for(Application).require(by, "submit", application)
    if missing := missing_for_submission(application):
        raise ValidationError(missing)
    with transaction.atomic():
        return _step(application, to=State.SUBMITTED, by=by)


def withdraw(*, application: Application, by: User, comment: str = "") -> Application:
    policy_for(Application).require(by, "withdraw", application)
    with transaction.atomic():
        return _step(application, to=State.WITHDRAWN, by=by, comment=comment)


def _require_reviewer(application: Application, by: User, action: str) -> None:
    # The decision is about the application as it is now, not as the caller last read it.
    application.refresh_from_db(fields=["state", "unit", "applicant"])
    if application.applicant_id == by.pk:
        raise PermissionDenied(_("You cannot review your own application."))
    if not policy_for(Application).can(by, action, application):
        raise PermissionDenied(
            _("Only a unit manager of the owning unit can anchor this application.")
            if action == "anchor"
            else _("Only the communications department can do this.")
        )


def anchor(*, application: Application, by: User, comment: str = "") -> Application:
    """The unit manager anchors the application: the unit stands behind the account."""
    _require_reviewer(application, by, "anchor")
    with transaction.atomic():
        return _step(application, to=State.ANCHORED, by=by, comment=comment)


def return_for_completion(*, application: Application, by: User, comment: str) -> Application:
    """Send the application back to the applicant, whose text is kept, with what to complete."""
    _require_reviewer(application, by, "review")
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the applicant should complete.")})
    with transaction.atomic():
        return _step(application, to=State.RETURNED, by=by, comment=comment)


def reject(*, application: Application, by: User, reason: str) -> Application:
    _require_reviewer(application, by, "review")
    if not reason.strip():
        raise ValidationError({"comment": _("Give the reason for the rejection.")})
    with transaction.atomic():
        return _step(application, to=State.REJECTED, by=by, comment=reason)


def approve(*, application: Application, by: User, comment: str = "") -> Account:
    """Comms approves: the account is registered and moved to "being set up" with its checklist."""
    _require_reviewer(application, by, "approve")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not application.can_move_to(State.APPROVED):
            raise ValidationError(
                _("The application is “%(state)s” and cannot become “%(to)s”.")
                % {"state": application.get_state_display(), "to": State.APPROVED.label}
            )
        organisation.require_open_unit(application.unit)
        url = proposed_profile_url(application)
        if url is None or application.platform is None or application.unit is None:
            raise ValidationError(
                _("The application's profile address cannot be read; return it for completion.")
            )
        data = registry.AccountData(
            platform=application.platform,
            profile_url=url,
            display_name=application.proposed_name,
            unit=application.unit,
            purposes=list(application.purposes.all()),
            purpose_statement=application.purpose_statement,
            target_audience=application.target_audience,
            responsible=application.responsible,
            deputy=application.deputy,
        )
        account = registry.create_account(data=data, by=by)
        account = registry.change_status(
            account=account,
            to=Account.Status.SETTING_UP,
            reason=_("Application no. %(number)d approved.") % {"number": application.pk},
            by=by,
        )
        _step(application, to=State.APPROVED, by=by, comment=comment, account=account)
    return account


STEPS = ("submit", "withdraw", "anchor", "approve", "return", "reject")


def take_step(*, application: Application, action: str, by: User, comment: str = "") -> None:
    """Take the workflow step named ``action`` (as the decision form and the demo name them)."""
    if action == "submit":
        submit(application=application, by=by)
    elif action == "withdraw":
        withdraw(application=application, by=by, comment=comment)
    elif action == "anchor":
        anchor(application=application, by=by, comment=comment)
    elif action == "approve":
        approve(application=application, by=by, comment=comment)
    elif action == "return":
        return_for_completion(application=application, by=by, comment=comment)
    elif action == "reject":
        reject(application=application, by=by, reason=comment)
    else:
        raise ValidationError(_("Unknown step."))


def tick(*, account: Account, item: str, note: str, by: User) -> ChecklistTick:
    """Comms ticks a setup item that no app records yet, saying how they know it is done."""
    policy_for(Application).require(by, "tick")
    if item not in ITEMS:
        raise ValidationError(_("Unknown checklist item."))
    if not note.strip():
        raise ValidationError({"note": _("Say how you know it is done.")})
    with transaction.atomic():
        ticked, _created = ChecklistTick.objects.update_or_create(
            account=account,
            item=item,
            defaults={"note": note.strip(), "ticked_by": by, "ticked_at": timezone.now()},
        )
        audit.record(
            "applications.checklist.ticked",
            actor=by,
            target=account,
            details={"item": item, "note": note.strip()},
        )
    return ticked
