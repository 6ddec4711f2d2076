from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sigill.archive import seal


class Command(BaseCommand):
    help = (
        "Recompute the archive's hash chain and every sealed row, report the first broken link, "
        "and check every attachment file against its SHA-256."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = seal.verify(progress=self.stdout.write if options["verbosity"] > 1 else None)
        problems = []
        if report.broken is not None:
            problems.append(f"The chain breaks at event {report.broken.entry_id}: {report.broken.reason}.")
        problems.extend(f"Attachment {problem}." for problem in report.bad_files)
        if problems:
            raise CommandError("\n".join(problems))
        for event in report.disposals:
            details = event.details
            self.stdout.write(
                f"Disposal at event {event.pk} on {event.created_at:%Y-%m-%d %H:%M} UTC by "
                f"{event.actor_label or '-'}: {event.row_count} sealed rows of {details.get('items', '?')} "
                f"items removed under the rule “{details.get('rule', '?')}” ({details.get('decision', '')})."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The archive holds: {report.events} events and {report.rows} sealed rows link up, "
                f"and {report.files} files match their hashes."
            )
        )
