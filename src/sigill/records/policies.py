"""Who may work with the records.

The registrar handles disclosure requests (they read every archived item, secret ones too).
Retention rules and legal holds are kept by the registrar and comms together; only the registrar
runs a disposal. E-archive packages are made by the registrar and comms. Closing an account is
comms' work; the registrar follows it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sigill.core.policies import Policy, register
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role
from sigill.records.models import AccountClosure, DisclosureRequest, DisposalRecord, LegalHold, RetentionRule


def is_registrar(user: User) -> bool:
    return has_role(user, Role.REGISTRAR)


def keeps_records(user: User) -> bool:
    return has_role(user, Role.REGISTRAR, Role.COMMS)


@register(DisclosureRequest)
class DisclosureRequestPolicy(Policy[DisclosureRequest]):
    def can_view(self, user: User, request: DisclosureRequest | None) -> bool:
        return is_registrar(user)

    def view_queryset(self, user: User, requests: QuerySet[DisclosureRequest]) -> QuerySet[DisclosureRequest]:
        return requests if is_registrar(user) else requests.none()

    def can_create(self, user: User, request: DisclosureRequest | None) -> bool:
        return is_registrar(user)

    def can_review(self, user: User, request: DisclosureRequest | None) -> bool:
        """Select records, review them, decide: only while the request is open."""
        return is_registrar(user) and (request is None or request.is_open)

    def can_download(self, user: User, request: DisclosureRequest | None) -> bool:
        return is_registrar(user) and (request is None or request.state == DisclosureRequest.State.DECIDED)


@register(RetentionRule)
class RetentionRulePolicy(Policy[RetentionRule]):
    def can_view(self, user: User, rule: RetentionRule | None) -> bool:
        return keeps_records(user)

    def view_queryset(self, user: User, rules: QuerySet[RetentionRule]) -> QuerySet[RetentionRule]:
        return rules if keeps_records(user) else rules.none()

    def can_manage(self, user: User, rule: RetentionRule | None) -> bool:
        return keeps_records(user) and (rule is None or rule.retired_at is None)

    def can_dispose(self, user: User, rule: RetentionRule | None) -> bool:
        return is_registrar(user) and (rule is None or (rule.retired_at is None and not rule.permanent))


@register(LegalHold)
class LegalHoldPolicy(Policy[LegalHold]):
    def can_view(self, user: User, hold: LegalHold | None) -> bool:
        return keeps_records(user)

    def view_queryset(self, user: User, holds: QuerySet[LegalHold]) -> QuerySet[LegalHold]:
        return holds if keeps_records(user) else holds.none()

    def can_manage(self, user: User, hold: LegalHold | None) -> bool:
        return keeps_records(user)


@register(DisposalRecord)
class DisposalRecordPolicy(Policy[DisposalRecord]):
    def can_view(self, user: User, record: DisposalRecord | None) -> bool:
        return keeps_records(user)

    def view_queryset(self, user: User, records: QuerySet[DisposalRecord]) -> QuerySet[DisposalRecord]:
        return records if keeps_records(user) else records.none()


@register(AccountClosure)
class AccountClosurePolicy(Policy[AccountClosure]):
    def can_view(self, user: User, closure: AccountClosure | None) -> bool:
        return keeps_records(user)

    def view_queryset(self, user: User, closures: QuerySet[AccountClosure]) -> QuerySet[AccountClosure]:
        return closures if keeps_records(user) else closures.none()

    def can_work(self, user: User, closure: AccountClosure | None) -> bool:
        return has_role(user, Role.COMMS) and (closure is None or closure.is_open)
