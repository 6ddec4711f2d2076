from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sigill.core import audit
from sigill.core.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        count, found = audit.verify_chain()
        if found is not None:
            raise CommandError(f"Audit log broken at entry {found.entry_id}: {found.reason}.")
        head = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or "-"
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {count} entries; head {head}"))
