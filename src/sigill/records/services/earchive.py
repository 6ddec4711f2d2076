"""Making e-archive packages: by the command, by the registrar's button; each one audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy

from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.organisation.people import User
from sigill.records.earchive.writer import PackageSummary, write_package
from sigill.registry.models import Account

audit.describe_acts({"records.earchive.exported": gettext_lazy("E-archive package made")})


def export(
    *,
    account: Account,
    target: Path,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    only_kept: bool = False,
    by: User | None = None,
) -> PackageSummary:
    """Write the package into ``target``; ``by`` None is the command line (the operator)."""
    if by is not None:
        policy_for(Account).require(by, "view", account)
        policy_for("records.RetentionRule").require(by, "manage")
    summary = write_package(account=account, since=since, until=until, target=target, only_kept=only_kept)
    with transaction.atomic():
        audit.record(
            "records.earchive.exported",
            actor=by,
            actor_label="manage.py earchive_export" if by is None else "",
            target=account,
            details={
                "package": summary.objid,
                "items": summary.items,
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
                "only_kept": only_kept,
            },
        )
    return summary
