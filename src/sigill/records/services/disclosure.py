"""Every write about disclosure requests: registering, selecting records, the secrecy review,
the decision. Every disclosure and every withholding writes its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.archive import disposal as archive_disposal
from sigill.archive import selectors as archive
from sigill.archive.models import Item
from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.organisation.people import User
from sigill.records.models import DisclosureRequest, Redaction, RequestedRecord
from sigill.records.redaction import find_passage

Decision = RequestedRecord.Decision

audit.describe_acts(
    {
        "records.disclosure.registered": gettext_lazy("Disclosure request registered"),
        "records.disclosure.records_added": gettext_lazy("Records selected into a disclosure request"),
        "records.disclosure.record_removed": gettext_lazy("Record taken out of a disclosure request"),
        "records.disclosure.record_disclosed": gettext_lazy("Record to be disclosed"),
        "records.disclosure.record_redacted": gettext_lazy("Record to be disclosed with redactions"),
        "records.disclosure.record_withheld": gettext_lazy("Record withheld"),
        "records.disclosure.decided": gettext_lazy("Disclosure request decided"),
        "records.disclosure.withdrawn": gettext_lazy("Disclosure request withdrawn"),
        "records.disclosure.package_downloaded": gettext_lazy("Disclosure package downloaded"),
    }
)


def reference_for(item_id: int, number: int) -> str:
    """The short reference printed beside each disclosed record (item and version)."""
    return f"SIG-{item_id}-{number}"


def register_request(
    *,
    by: User,
    received_at: dt.datetime,
    channel: str,
    description: str,
    requester_name: str = "",
    requester_contact: str = "",
    kind: str = DisclosureRequest.Kind.PUBLIC_RECORDS,
    subject_name: str = "",
) -> DisclosureRequest:
    """Register a request as it came in. The requester may stay anonymous."""
    policy_for(DisclosureRequest).require(by, "create")
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Say what is asked for.")
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        errors["received_at"] = _("The request cannot have come in in the future.")
    if kind == DisclosureRequest.Kind.ACCESS and not subject_name.strip():
        errors["subject_name"] = _("Name the person whose items are asked for.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = DisclosureRequest.objects.create(
            kind=kind,
            received_at=received_at,
            channel=channel,
            description=description.strip(),
            requester_name=requester_name.strip(),
            requester_contact=requester_contact.strip(),
            subject_name=subject_name.strip(),
            registered_by=by,
        )
        audit.record(
            "records.disclosure.registered",
            actor=by,
            target=request,
            details={"kind": kind, "channel": channel, "anonymous": not requester_name.strip()},
        )
    return request


def _open(request: DisclosureRequest, by: User) -> DisclosureRequest:
    """The request locked for a change; refused unless ``by`` may review it and it is open."""
    locked = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    policy_for(DisclosureRequest).require(by, "review", locked)
    return locked


def add_records(*, request: DisclosureRequest, items: Iterable[Item], by: User) -> int:
    """Select archived items into the request (each once); returns how many were added."""
    with transaction.atomic():
        archive_disposal.lock()  # never halfway through a disposal (see retention.dispose)
        request = _open(request, by)
        items = list(items)
        known = set(request.records.values_list("item_id", flat=True))
        latest = archive.latest_versions([item.pk for item in items])
        added = [
            RequestedRecord(
                request=request,
                item=item,
                version_number=latest[item.pk].number,
                reference=reference_for(item.pk, latest[item.pk].number),
                seal=latest[item.pk].seal,
            )
            for item in items
            if item.pk not in known and item.pk in latest
        ]
        RequestedRecord.objects.bulk_create(added)
        if added:
            audit.record(
                "records.disclosure.records_added",
                actor=by,
                target=request,
                details={"items": [record.item_id for record in added]},
            )
    return len(added)


def remove_record(*, record: RequestedRecord, by: User) -> None:
    """Take a record selected by mistake out of an open request."""
    with transaction.atomic():
        _open(record.request, by)
        audit.record(
            "records.disclosure.record_removed",
            actor=by,
            target=record.request,
            details={"reference": record.reference},
        )
        record.delete()


def _reviewed(record: RequestedRecord, decision: str, by: User, reason: str = "") -> None:
    record.decision, record.reason = decision, reason
    record.reviewed_at, record.reviewed_by = timezone.now(), by
    record.save(update_fields=["decision", "reason", "reviewed_at", "reviewed_by"])


def disclose(*, record: RequestedRecord, by: User) -> RequestedRecord:
    """The record is disclosed as it stands (any redactions made earlier are lifted)."""
    with transaction.atomic():
        _open(record.request, by)
        record.redactions.all().delete()
        _reviewed(record, Decision.DISCLOSE, by)
        audit.record(
            "records.disclosure.record_disclosed",
            actor=by,
            target=record.request,
            details={"reference": record.reference, "item": record.item_id},
        )
    return record


def withhold(*, record: RequestedRecord, reason: str, by: User) -> RequestedRecord:
    """The record is not disclosed, for ``reason`` (a secrecy provision or another ground)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the record is withheld.")})
    with transaction.atomic():
        _open(record.request, by)
        record.redactions.all().delete()
        _reviewed(record, Decision.WITHHOLD, by, reason.strip()[:300])
        audit.record(
            "records.disclosure.record_withheld",
            actor=by,
            target=record.request,
            details={"reference": record.reference, "item": record.item_id, "reason": reason.strip()},
        )
    return record


def redact(*, record: RequestedRecord, passage: str, provision: str, by: User) -> list[Redaction]:
    """Black out every place ``passage`` stands in the record's text, under ``provision``.

    The audit entry names where and why, never the passage itself: it may be the secret.
    """
    errors: dict[str, str] = {}
    if not provision.strip():
        errors["provision"] = _("Name the secrecy provision, e.g. OSL 26 kap. 1 §.")
    if not passage.strip():
        errors["passage"] = _("Copy the passage to black out from the record's text.")
    if errors:
        raise ValidationError(errors)
    if record.item is None:
        raise ValidationError(_("The record is no longer in the archive."))
    text = archive.version_of(record.item, record.version_number).text
    spans = find_passage(text, passage)
    if not spans:
        raise ValidationError({"passage": _("The passage does not stand in the record's text.")})
    with transaction.atomic():
        _open(record.request, by)
        made = Redaction.objects.bulk_create(
            Redaction(record=record, start=start, end=end, provision=provision.strip(), created_by=by)
            for start, end in spans
        )
        _reviewed(record, Decision.REDACT, by)
        audit.record(
            "records.disclosure.record_redacted",
            actor=by,
            target=record.request,
            details={
                "reference": record.reference,
                "item": record.item_id,
                "provision": provision.strip(),
                "spans": [[start, end] for start, end in spans],
            },
        )
    return made


def decide(*, request: DisclosureRequest, by: User, note: str = "") -> DisclosureRequest:
    """Decide the request once every selected record is reviewed; the package can then be made."""
    with transaction.atomic():
        request = _open(request, by)
        records = list(request.records.all())
        if not records:
            raise ValidationError(_("Select the records asked for before deciding."))
        if any(record.decision == Decision.PENDING for record in records):
            raise ValidationError(_("Review every selected record before deciding."))
        request.state = DisclosureRequest.State.DECIDED
        request.decided_at, request.decided_by, request.decision_note = timezone.now(), by, note.strip()
        request.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
        counts: dict[str, int] = {str(d): 0 for d in (Decision.DISCLOSE, Decision.REDACT, Decision.WITHHOLD)}
        for record in records:
            counts[record.decision] += 1
        audit.record("records.disclosure.decided", actor=by, target=request, details={"counts": counts})
    return request


def withdraw(*, request: DisclosureRequest, note: str, by: User) -> DisclosureRequest:
    """Close an open request without a decision (the requester withdrew it)."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the request is closed without a decision.")})
    with transaction.atomic():
        request = _open(request, by)
        request.state = DisclosureRequest.State.WITHDRAWN
        request.decided_at, request.decided_by, request.decision_note = timezone.now(), by, note.strip()
        request.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
        audit.record("records.disclosure.withdrawn", actor=by, target=request, details={"note": note.strip()})
    return request


def record_download(*, request: DisclosureRequest, by: User, fmt: str) -> None:
    """A package leaving Sigill is an export: audited."""
    policy_for(DisclosureRequest).require(by, "download", request)
    with transaction.atomic():
        audit.record(
            "records.disclosure.package_downloaded", actor=by, target=request, details={"format": fmt}
        )
